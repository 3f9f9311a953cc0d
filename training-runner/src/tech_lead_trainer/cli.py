"""The train step: dataset in S3 -> LoRA adapter in S3, with the status comment kept current.

    python -m tech_lead_trainer               (the composite action runs this; inputs come as INPUT_* variables)
    python -m tech_lead_trainer release-lock  (the action's last step, when the one above did not succeed)

Every failure ends the same way: a ``❌`` line on the pull request's status
comment, an error annotation in the job log, and a non-zero exit status. The
training lock this run holds is released on every path, a bad input included,
and the dataset deleted (unless retained) once it was read.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import tempfile
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from tech_lead_trainer.base_model import ensure_base_model
from tech_lead_trainer.confidence import calibrate
from tech_lead_trainer.dataset import DatasetMeta, cap_examples, read_jsonl, write_preferences
from tech_lead_trainer.errors import TrainerError, error_message
from tech_lead_trainer.evaluate import answer_held_out
from tech_lead_trainer.manifest import Manifest, adapter_record, drop_pending, promote
from tech_lead_trainer.metrics import SCORE_FORMULA, Judgement, judge, pointing
from tech_lead_trainer.object_store import ObjectStore
from tech_lead_trainer.preflight import read_readings, require_ready
from tech_lead_trainer.profiles import profile_for
from tech_lead_trainer.progress import format_duration
from tech_lead_trainer.recipe import (
    PREFERENCES_FILE,
    TrainingRun,
    build_dpo_overrides,
    build_overrides,
    combined,
    train,
)
from tech_lead_trainer.report import gate_text, job_summary, loss_chart, metrics_table
from tech_lead_trainer.reviewer_store import ReviewerStore, utc_now
from tech_lead_trainer.sequence_length import fit_to_max_seq_len, write_kept
from tech_lead_trainer.settings import (
    GitHubSettings,
    Settings,
    read_github_settings,
    read_lock_settings,
    read_settings,
)
from tech_lead_trainer.status_comment import (
    StatusComment,
    StatusCommentError,
    StatusDocument,
    StatusLine,
    append,
    parse,
    render,
)

ADAPTER_FILES = ("adapter_model.safetensors", "adapter_config.json", "metrics.json")


class Reporter:
    """The status comment, the job log and the job's outputs and summary."""

    def __init__(self, github: GitHubSettings, reviewer: str) -> None:
        self.github = github
        self.reviewer = reviewer
        self.lines: list[StatusLine] = []
        self.blocks: list[str] = []
        self._comment = (
            StatusComment(github.api_url, github.repository, github.status_comment_id, github.token)
            if github.status_comment_id is not None
            else None
        )
        # What the comment said when this step first read it: the prepare step's lines stay.
        self._found: StatusDocument | None = None
        self._read = False

    def report(self, *lines: StatusLine, table: str = "") -> None:
        """Adds lines (replacing a trailing "next" line of this step) and edits the comment."""
        while self.lines and self.lines[-1].state == "next":
            self.lines.pop()
        self.lines.extend(lines)
        if table:
            self.blocks.append(table)
        for line in lines:
            print(f"status: {line.render()}", flush=True)
        if self._comment is None:
            return
        try:
            if not self._read:
                self._found = parse(self._comment.read())
                self._read = True
            document = append(self._found, self.reviewer, self.github.run_url, self.lines, self.blocks)
            self._comment.write(render(document))
        except StatusCommentError as error:
            annotate("warning", "Status comment not updated", str(error))

    def fail(self, error: TrainerError) -> None:
        annotate("error", error.title, error.message)
        self.report(StatusLine("failed", error.message))

    def outputs(self, values: Mapping[str, str]) -> None:
        if self.github.output:
            with self.github.output.open("a", encoding="utf-8") as output:
                output.writelines(f"{key}={value}\n" for key, value in values.items())

    def summary(self, text: str) -> None:
        if self.github.step_summary:
            with self.github.step_summary.open("a", encoding="utf-8") as summary:
                summary.write(text)


def annotate(level: str, title: str, message: str) -> None:
    """A workflow command: the message shows on the run's page, not only in the log."""
    text = message.replace("`", "").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    print(f"::{level} title={title}::{text}", flush=True)


def main(env: Mapping[str, str] = os.environ, argv: Sequence[str] = ()) -> int:
    # A cancelled job gets SIGTERM: turn it into an exception so that cleanup still runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        github = read_github_settings(env)
    except TrainerError as error:
        annotate("error", error.title, error.message)
        return 1
    if list(argv) == ["release-lock"]:
        release_lock(env, github.run_url)
        return 0
    reporter = Reporter(github, reviewer_from_uri(env.get("INPUT_DATASET_URI", "")))
    try:
        settings = read_settings(env)
    except TrainerError as error:
        reporter.fail(error)
        # run() never started, so its clean-up will not release the lock the prepare step took.
        release_lock(env, github.run_url)
        return 1
    try:
        reporter.reviewer = settings.dataset.reviewer
        run(settings, reporter)
        return 0
    except TrainerError as error:
        reporter.fail(error)
    except Exception as error:
        traceback.print_exc()
        reporter.fail(
            TrainerError(
                f"Training failed unexpectedly ({type(error).__name__}: {error_message(error)})."
                " The job log has the details."
            )
        )
    return 1


def release_lock(env: Mapping[str, str], run_url: str) -> None:
    """Releases this run's training lock, found from the dataset-uri and S3 inputs alone."""
    try:
        location, s3 = read_lock_settings(env)
        store = ReviewerStore(ObjectStore(location.bucket, s3, policy_prefix=location.reviewer_prefix), location)
        released = store.release_lock(run_url)
    except TrainerError as error:
        annotate("warning", "Could not release the training lock", error.message)
        return
    print("Training lock released" if released else "Training lock: not held by this run, left as it is")


def reviewer_from_uri(uri: str) -> str:
    parts = uri.rstrip("/").split("/")
    return parts[-3] if len(parts) >= 3 and parts[-2] == "datasets" else "unknown"


def run(settings: Settings, reporter: Reporter) -> None:
    location = settings.dataset
    training = settings.training
    store = ReviewerStore(ObjectStore(location.bucket, settings.s3, policy_prefix=location.reviewer_prefix), location)
    # First of all: a job that waited for a GPU runner past the lock's time to live may have lost
    # the lock to a later run, which then trains; this one stops and leaves that run's dataset alone.
    store.claim_lock(settings.github.run_url)
    training.work_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{location.digest[:16]}-", dir=training.work_dir))
    meta: DatasetMeta | None = None
    finished = False
    try:
        profile = profile_for(training.base_model)
        # Before the dataset or the model is downloaded: a runner that cannot train says so in seconds.
        require_ready(read_readings(training, profile))
        meta = store.read_meta()
        if meta.base_model != training.base_model:
            raise TrainerError(
                f"The dataset was prepared for {meta.base_model}, but this step's base-model input is"
                f" {training.base_model}. Give both steps the same base-model.",
                title="Invalid input",
            )
        files = store.download_dataset(work / "dataset")
        train_examples = read_jsonl(files["train.jsonl"], "train.jsonl")
        eval_examples = cap_examples(
            read_jsonl(files["eval.jsonl"], "eval.jsonl", allow_empty=True), training.max_eval_examples
        )
        print(f"Dataset {location.uri}: {len(train_examples)} training, {len(eval_examples)} held-out examples")
        if not eval_examples and not training.allow_ungated:
            raise TrainerError(_no_held_out_message(meta), title="No held-out examples")

        model_dir = ensure_base_model(
            training.base_model, training.model_cache_dir, training.hf_token, pinned=profile.weights
        )
        fitted = fit_to_max_seq_len(
            profile.config, [f"base_model_dir={model_dir}", *training.recipe_overrides], train_examples
        )
        if fitted.too_long:
            note = StatusLine("note", fitted.note(len(train_examples)))
            annotate("warning", "Training examples left out", note.text)
            reporter.report(note)
            write_kept(files["train.jsonl"], fitted.kept)
            train_examples = [train_examples[index] for index in fitted.kept]
        # Every training example counts for the baselines (always-comment's text), whichever run learns it.
        all_train = train_examples
        pairs = [e for e in train_examples if e.rejected is not None] if training.feedback_method == "dpo" else []
        if pairs:
            # The turned-down examples leave the SFT run: the DPO run learns them as pairs.
            kept = [index for index, example in enumerate(train_examples) if example.rejected is None]
            write_kept(files["train.jsonl"], kept)
            train_examples = [train_examples[index] for index in kept]
            write_preferences(work / "dataset" / PREFERENCES_FILE, pairs)
        overrides = build_overrides(
            profile.config, training, model_dir, work / "dataset", work / "run", len(train_examples)
        )
        then = f", then on {len(pairs)} comments they turned down (DPO)" if pairs else ""
        reporter.report(
            StatusLine(
                "next",
                f"Training `{meta.reviewer}`'s adapter on {len(train_examples)} examples"
                f" ({training.epochs} epochs){then} on the GPU runner, then comparing it with the base model.",
            )
        )
        trained = train(profile.config, overrides, work / "run")
        if pairs:
            dpo_overrides = build_dpo_overrides(
                profile.dpo_config, training, model_dir, work / "dataset", work / "dpo", trained.adapter_dir, len(pairs)
            )
            trained = combined(trained, train(profile.dpo_config, dpo_overrides, work / "dpo", dpo=True))
        judged: Judgement | None = None  # None: not compared (no held-out examples, allow-ungated)
        compared = "(not compared with them: the dataset has no held-out examples, and allow-ungated is true)"
        if eval_examples:
            answers, answered = answer_held_out(
                trained.output_dir, trained.adapter_dir, eval_examples, meta.few_shot, training.max_new_tokens
            )
            judged = judge(answered, answers.adapter, answers.base, all_train, training.quality_margin)
            judged.adapter.update(
                calibrate(answered, answers.adapter, answers.adapter_confidence, training.confidence_target)
            )
            judged.adapter.update(pointing(answered, answers.adapter_pointed))
            compared = f"on {len(answered)} held-out hunks ({gate_text(judged.decision)})"
        metrics = _write_metrics(trained.adapter_dir / "metrics.json", meta, location.digest, judged, trained)

        losses = trained.losses
        loss_text = f", loss {losses[0][1]:.2f} → {losses[-1][1]:.2f}" if losses else ""
        learnt = f" and {len(pairs)} turned-down comments (DPO)" if pairs else ""
        lines = [
            StatusLine(
                "done",
                f"Trained `{meta.reviewer}`'s adapter on {len(train_examples)} examples{learnt}:"
                f" {trained.total_steps} steps in {format_duration(trained.seconds)}{loss_text}.",
            )
        ]
        if judged is None or judged.decision.promote:
            uri = store.upload_adapter(meta.adapter_id, [trained.adapter_dir / name for name in ADAPTER_FILES])
            store.update_manifest(lambda m: promote(m, _record(m, meta, location.digest, judged)))
            print(f"Adapter uploaded to {uri}")
            lines += [
                StatusLine(
                    "done",
                    f"It {'beats' if judged else 'is used without'} the base model and the constant answers"
                    f" {compared}:"
                    f" `{meta.reviewer}`'s adapter is now `{meta.adapter_id}`.",
                ),
                StatusLine("next", "Next: review this pull request."),
            ]
            outputs = {"promoted": "true", "adapter-id": meta.adapter_id, "adapter-name": meta.adapter_name}
        else:
            manifest = store.update_manifest(lambda m: drop_pending(m, meta.adapter_id))
            current = manifest.get("current")
            kept = (
                f"`{meta.reviewer}`'s adapter stays `{current['id']}`."
                if current
                else f"`{meta.reviewer}` has no adapter yet."
            )
            lines.append(
                StatusLine(
                    "failed",
                    f"The new adapter does not beat the base model and the constant answers {compared},"
                    f" so it is not used; {kept}",
                )
            )
            if current:
                lines.append(StatusLine("next", "Next: review this pull request with the current adapter."))
            outputs = {
                "promoted": "false",
                "adapter-id": current["id"] if current else "",
                "adapter-name": current["name"] if current else "",
            }
        table = metrics_table({"adapter": judged.adapter, **judged.baselines}) if judged else ""
        reporter.report(*lines, table=table)
        # The held-out comparison leaves with the job whether or not the adapter was promoted: a
        # refused adapter's metrics.json is never uploaded, and benchmarks read both kinds.
        reporter.outputs({**outputs, "metrics": json.dumps(metrics, separators=(",", ":"))})
        reporter.summary(job_summary(meta.reviewer, [line.render() for line in lines], table, loss_chart(losses)))
        finished = True
    finally:
        _clean_up(store, meta, settings, finished)
        shutil.rmtree(work, ignore_errors=True)


def _no_held_out_message(meta: DatasetMeta) -> str:
    pulls = meta.raw.get("stats", {}).get("pulls")
    source = f" come from {pulls} pull request{'' if pulls == 1 else 's'}" if isinstance(pulls, int) else ""
    return (
        f"The dataset has no held-out examples, so the new adapter cannot be compared with the base model:"
        f" the prepare step holds out whole pull requests, and `{meta.reviewer}`'s review comments{source}."
        " Asking again does not change that. Ask again once they have reviewed at least two pull requests"
        " here, or set `allow-ungated: true` on the train action to use an adapter that was not compared."
    )


def _record(
    manifest: Manifest,
    meta: DatasetMeta,
    digest: str,
    judged: Judgement | None,
) -> dict[str, Any]:
    """The manifest record of the new adapter, with its numbers and its baselines' (none when ungated)."""
    pending = manifest.get("pending")
    if not pending or pending.get("adapterId") != meta.adapter_id:
        # The prepare step wrote pending; should it be gone, the dataset's meta.json says the same.
        pending = {
            "adapterId": meta.adapter_id,
            "adapterName": meta.adapter_name,
            "baseModel": meta.base_model,
            "datasetDigest": digest,
            "comments": int(meta.raw.get("stats", {}).get("comments", 0)),
        }
    return adapter_record(pending, utc_now(), judged.adapter if judged else {}, judged.baselines if judged else {})


def _write_metrics(
    path: Path,
    meta: DatasetMeta,
    digest: str,
    judged: Judgement | None,
    trained: TrainingRun,
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "adapterId": meta.adapter_id,
        "baseModel": meta.base_model,
        "datasetDigest": digest,
        "createdAt": utc_now(),
        "mainMetric": SCORE_FORMULA,
        "gate": (
            {
                "promoted": judged.decision.promote,
                "margin": judged.decision.margin,
                "adapterScore": judged.decision.adapter_score,
                "baselineScores": judged.decision.baseline_scores,
            }
            if judged
            else {"promoted": True, "skipped": "no held-out examples (allow-ungated)"}
        ),
        "adapter": judged.adapter if judged else {},
        "baselines": judged.baselines if judged else {},
        "training": {
            "steps": trained.total_steps,
            "seconds": round(trained.seconds, 1),
            "loss": [{"step": step, "loss": loss} for step, loss in trained.losses],
            **(
                {
                    "dpo": {
                        "steps": trained.dpo.total_steps,
                        "seconds": round(trained.dpo.seconds, 1),
                        "loss": [{"step": step, "loss": loss} for step, loss in trained.dpo.losses],
                    }
                }
                if trained.dpo
                else {}
            ),
        },
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
    return document


def _clean_up(store: ReviewerStore, meta: DatasetMeta | None, settings: Settings, finished: bool) -> None:
    """Best effort, each part on its own: one failing must not keep the others from running."""

    def attempt(what: str, action: Callable[[], object]) -> object:
        try:
            return action()
        except TrainerError as error:
            annotate("warning", f"Could not {what}", error.message)
            return None

    if meta is not None and not finished:
        attempt(
            "forget the pending training", lambda: store.update_manifest(lambda m: drop_pending(m, meta.adapter_id))
        )
    if meta is not None and meta.retain:
        print(f"Dataset kept at {settings.dataset.uri} (retain-datasets)")
    elif meta is not None:
        deleted = attempt("delete the dataset", store.delete_dataset)
        if deleted is not None:
            print(f"Dataset deleted: {deleted} objects under {settings.dataset.uri}")
    if attempt("release the training lock", lambda: store.release_lock(settings.github.run_url)) is False:
        print("Training lock: not held by this run, left as it is")
