"""The train step: dataset in S3 -> LoRA adapter in S3, with the status comment kept current.

    python -m tech_lead_trainer      (the composite action runs this; inputs come as INPUT_* variables)

Every failure ends the same way: a ``❌`` line on the pull request's status
comment, an error annotation in the job log, and a non-zero exit status. The
training lock is released and the dataset deleted (unless retained) either way.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import tempfile
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tech_lead_trainer.base_model import ensure_base_model
from tech_lead_trainer.confidence import calibrate
from tech_lead_trainer.dataset import DatasetMeta, read_jsonl
from tech_lead_trainer.errors import TrainerError, error_message
from tech_lead_trainer.evaluate import answer_held_out
from tech_lead_trainer.manifest import Manifest, adapter_record, drop_pending, promote
from tech_lead_trainer.metrics import GateDecision, evaluate, quality_gate
from tech_lead_trainer.object_store import ObjectStore
from tech_lead_trainer.preflight import read_readings, require_ready
from tech_lead_trainer.profiles import profile_for
from tech_lead_trainer.progress import format_duration
from tech_lead_trainer.recipe import TrainingRun, build_overrides, train
from tech_lead_trainer.report import gate_text, job_summary, loss_chart, metrics_table
from tech_lead_trainer.reviewer_store import ReviewerStore, utc_now
from tech_lead_trainer.settings import GitHubSettings, Settings, read_github_settings, read_settings
from tech_lead_trainer.status_comment import StatusComment, StatusCommentError, StatusLine, render

ADAPTER_FILES = ("adapter_model.safetensors", "adapter_config.json", "metrics.json")


class Reporter:
    """The status comment, the job log and the job's outputs and summary."""

    def __init__(self, github: GitHubSettings, reviewer: str) -> None:
        self.github = github
        self.reviewer = reviewer
        self.lines: list[StatusLine] = []
        self._comment = (
            StatusComment(github.api_url, github.repository, github.status_comment_id, github.token)
            if github.status_comment_id is not None
            else None
        )
        self._previous: str | None = None

    def report(self, *lines: StatusLine, table: str = "") -> None:
        """Adds lines (replacing a trailing "next" line of this step) and edits the comment."""
        while self.lines and self.lines[-1].state == "next":
            self.lines.pop()
        self.lines.extend(lines)
        for line in lines:
            print(f"status: {line.render()}", flush=True)
        if self._comment is None:
            return
        try:
            if self._previous is None:
                self._previous = self._comment.read()
            self._comment.write(render(self._previous, self.reviewer, self.github.run_url, self.lines, table))
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


def main(env: Mapping[str, str] = os.environ) -> int:
    # A cancelled job gets SIGTERM: turn it into an exception so that cleanup still runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        github = read_github_settings(env)
    except TrainerError as error:
        annotate("error", error.title, error.message)
        return 1
    reporter = Reporter(github, reviewer_from_uri(env.get("INPUT_DATASET_URI", "")))
    try:
        settings = read_settings(env)
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


def reviewer_from_uri(uri: str) -> str:
    parts = uri.rstrip("/").split("/")
    return parts[-3] if len(parts) >= 3 and parts[-2] == "datasets" else "unknown"


def run(settings: Settings, reporter: Reporter) -> None:
    location = settings.dataset
    training = settings.training
    store = ReviewerStore(ObjectStore(location.bucket, settings.s3, policy_prefix=location.reviewer_prefix), location)
    training.work_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{location.digest[:16]}-", dir=training.work_dir))
    meta: DatasetMeta | None = None
    finished = False
    try:
        profile = profile_for(training.base_model)
        # Before the dataset or the model is downloaded: a runner that cannot train says so in seconds.
        require_ready(read_readings(training, profile.config))
        meta = store.read_meta()
        if meta.base_model != training.base_model:
            raise TrainerError(
                f"The dataset was prepared for {meta.base_model}, but this step's base-model input is"
                f" {training.base_model}. Give both steps the same base-model.",
                title="Invalid input",
            )
        files = store.download_dataset(work / "dataset")
        train_examples = read_jsonl(files["train.jsonl"], "train.jsonl")
        eval_examples = read_jsonl(files["eval.jsonl"], "eval.jsonl")[: training.max_eval_examples]
        print(f"Dataset {location.uri}: {len(train_examples)} training, {len(eval_examples)} held-out examples")

        model_dir = ensure_base_model(training.base_model, training.model_cache_dir, training.hf_token)
        overrides = build_overrides(
            profile.config, training, model_dir, work / "dataset", work / "run", len(train_examples)
        )
        reporter.report(
            StatusLine(
                "next",
                f"Training `{meta.reviewer}`'s adapter on {len(train_examples)} examples"
                f" ({training.epochs} epochs) on the GPU runner, then comparing it with the base model.",
            )
        )
        trained = train(profile.config, overrides, work / "run")
        answers, answered = answer_held_out(
            trained.output_dir, trained.adapter_dir, eval_examples, training.max_new_tokens
        )
        references = [example.answer for example in answered]
        base, adapter = evaluate(references, answers.base), evaluate(references, answers.adapter)
        adapter |= calibrate(references, answers.adapter, answers.adapter_confidence, training.confidence_target)
        decision = quality_gate(base, adapter, training.quality_margin)
        _write_metrics(trained.adapter_dir / "metrics.json", meta, location.digest, base, adapter, decision, trained)

        losses = trained.losses
        loss_text = f", loss {losses[0][1]:.2f} → {losses[-1][1]:.2f}" if losses else ""
        lines = [
            StatusLine(
                "done",
                f"Trained `{meta.reviewer}`'s adapter on {len(train_examples)} examples:"
                f" {trained.total_steps} steps in {format_duration(trained.seconds)}{loss_text}.",
            )
        ]
        compared = f"on {len(answered)} held-out hunks ({gate_text(decision)})"
        if decision.promote:
            uri = store.upload_adapter(meta.adapter_id, [trained.adapter_dir / name for name in ADAPTER_FILES])
            store.update_manifest(lambda m: promote(m, _record(m, meta, location.digest, adapter, base)))
            print(f"Adapter uploaded to {uri}")
            lines += [
                StatusLine(
                    "done",
                    f"It beats the base model {compared}: `{meta.reviewer}`'s adapter is now `{meta.adapter_id}`.",
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
                    "failed", f"The new adapter does not beat the base model {compared}, so it is not used; {kept}"
                )
            )
            if current:
                lines.append(StatusLine("next", "Next: review this pull request with the current adapter."))
            outputs = {
                "promoted": "false",
                "adapter-id": current["id"] if current else "",
                "adapter-name": current["name"] if current else "",
            }
        table = metrics_table(base, adapter)
        reporter.report(*lines, table=table)
        reporter.outputs(outputs)
        reporter.summary(job_summary(meta.reviewer, [line.render() for line in lines], table, loss_chart(losses)))
        finished = True
    finally:
        _clean_up(store, meta, settings, finished)
        shutil.rmtree(work, ignore_errors=True)


def _record(
    manifest: Manifest, meta: DatasetMeta, digest: str, adapter: dict[str, float], base: dict[str, float]
) -> dict[str, Any]:
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
    return adapter_record(pending, utc_now(), {**adapter, "base_score": base["score"]})


def _write_metrics(
    path: Path,
    meta: DatasetMeta,
    digest: str,
    base: dict[str, float],
    adapter: dict[str, float],
    decision: GateDecision,
    trained: TrainingRun,
) -> None:
    document: dict[str, Any] = {
        "adapterId": meta.adapter_id,
        "baseModel": meta.base_model,
        "datasetDigest": digest,
        "createdAt": utc_now(),
        "mainMetric": "score = 0.5 * comment_f1 + 0.5 * bleu4 / 100",
        "gate": {
            "promoted": decision.promote,
            "margin": decision.margin,
            "baseScore": decision.base_score,
            "adapterScore": decision.adapter_score,
        },
        "base": base,
        "adapter": adapter,
        "training": {
            "steps": trained.total_steps,
            "seconds": round(trained.seconds, 1),
            "loss": [{"step": step, "loss": loss} for step, loss in trained.losses],
        },
    }
    path.write_text(json.dumps(document, indent=2) + "\n")


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
