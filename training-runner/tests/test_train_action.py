"""The train step end to end, started as the composite action starts it (`python -m
tech_lead_trainer` with INPUT_* variables), on the dataset the TypeScript builder writes,
against moto's S3 server and a stand-in for the GitHub API, with the tiny model."""

import hashlib
import json
import math
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import torch
from peft import PeftModel
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM

from tech_lead_trainer.testing.servers import FakeGitHub, free_port, github_api, moto_server
from tech_lead_trainer.testing.tiny_model import TINY, TINY_REPO_ID, recipe_overrides

pytestmark = pytest.mark.slow

# The dataset the TypeScript builder writes (test/fixtures/dataset, kept in sync with
# src/dataset/build.ts by a TypeScript test): the cross-language contract.
TS_DATASET = Path(__file__).parents[2] / "test" / "fixtures" / "dataset"
AWS_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
BUCKET = "tlb-test"
RUN_URL = "https://github.com/acme/widgets/actions/runs/4242"
TOKEN = "ghs_secret-token-never-printed"
COMMENT_ID = 77
PREPARED_STATUS = "\n".join(
    [
        "<!-- tech-lead-bot:status reviewer=alice -->",
        "### tech-lead-bot · reviewing as `alice`",
        "",
        "- ✅ Found 24 review comments by `alice` on 3 pull requests.",
        "- ✅ Built 24 training and 8 evaluation examples (24 comments, 8 hunks left alone) from 3 pull requests.",
        "- ⏳ Next: train `alice`'s adapter on the GPU runner, then review.",
        "",
        f"<sub>[Workflow run]({RUN_URL})</sub>",
    ]
)
OLD_ADAPTER = {
    "id": "0123456789abcdef",
    "name": "tlb/acme/widgets/alice/0123456789abcdef",
    "baseModel": TINY_REPO_ID,
    "datasetDigest": "old",
    "createdAt": "2026-01-01T00:00:00.000Z",
    "comments": 20,
    "metrics": {"score": 0.1},
}
# Memorise 24 examples in a few CPU seconds: small batches, a high learning rate.
FAST_TRAINING = [
    "batch_size=4",
    "gradient_accumulation_steps=1",
    "optimizer.lr=1e-2",
    "lr_scheduler.num_warmup_steps=0",
]


def two_steps(model_cache: Path, *more: str) -> dict[str, str]:
    """Inputs for a run that only has to train something, not learn: one epoch of two steps."""
    overrides = [*recipe_overrides(model_cache / TINY_REPO_ID), *FAST_TRAINING, "max_steps_per_epoch=2", *more]
    return {"INPUT_EPOCHS": "1", "INPUT_RECIPE_OVERRIDES": "\n".join(overrides)}


@dataclass(frozen=True)
class Reviewer:
    """One reviewer's folder in S3 as the prepare step leaves it for the train job."""

    root: str  # "<prefix>/acme/widgets/alice/"
    digest: str
    adapter_id: str

    @property
    def dataset_uri(self) -> str:
        return f"s3://{BUCKET}/{self.root}datasets/{self.digest}/"


def prepare(
    s3,
    prefix: str,
    *,
    train: bytes | None = None,
    eval_jsonl: bytes | None = None,
    retain: bool = False,
    upload: bool = True,
) -> Reviewer:
    root = f"{prefix}/acme/widgets/alice/"
    train = (TS_DATASET / "train.jsonl").read_bytes() if train is None else train
    digest = hashlib.sha256(train).hexdigest()[:16]
    adapter_id = hashlib.sha256(f"{prefix}{digest}".encode()).hexdigest()[:16]
    reviewer = Reviewer(root=root, digest=digest, adapter_id=adapter_id)
    if upload:
        dataset = f"{root}datasets/{digest}/"
        meta = {
            "reviewer": "alice",
            "repository": "acme/widgets",
            "baseModel": TINY_REPO_ID,
            "adapterId": adapter_id,
            "adapterName": f"tlb/acme/widgets/alice/{adapter_id}",
            "stats": {"comments": 24, "positives": 24, "negatives": 8, "pulls": 3 if eval_jsonl is None else 1},
            "redactions": {},
            "retain": retain,
            "fewShot": json.loads((TS_DATASET / "few-shot.json").read_text()),
            "createdAt": "2026-02-01T00:00:00.000Z",
        }
        s3.put_object(Bucket=BUCKET, Key=f"{dataset}train.jsonl", Body=train)
        held_out = (TS_DATASET / "eval.jsonl").read_bytes() if eval_jsonl is None else eval_jsonl
        s3.put_object(Bucket=BUCKET, Key=f"{dataset}eval.jsonl", Body=held_out)
        s3.put_object(Bucket=BUCKET, Key=f"{dataset}meta.json", Body=json.dumps(meta).encode())
    manifest = {
        "schemaVersion": 1,
        "owner": "acme",
        "repo": "widgets",
        "reviewer": "alice",
        "current": OLD_ADAPTER,
        "previous": [],
        "pending": {
            "adapterId": adapter_id,
            "adapterName": f"tlb/acme/widgets/alice/{adapter_id}",
            "baseModel": TINY_REPO_ID,
            "datasetDigest": digest,
            "datasetUri": reviewer.dataset_uri,
            "comments": 24,
            "requestedAt": "2026-02-01T00:00:00.000Z",
            "runUrl": RUN_URL,
        },
        "freshness": {"adapterId": OLD_ADAPTER["id"], "newComments": 4, "cursor": {"since": "2026-02-01T00:00:00Z"}},
        "updatedAt": "2026-02-01T00:00:00.000Z",
    }
    s3.put_object(Bucket=BUCKET, Key=f"{root}manifest.json", Body=json.dumps(manifest).encode())
    lock = {"runUrl": RUN_URL, "acquiredAt": "2026-02-01T00:00:00.000Z"}
    s3.put_object(Bucket=BUCKET, Key=f"{root}training.lock", Body=json.dumps(lock).encode())
    return reviewer


@dataclass(frozen=True)
class Result:
    returncode: int
    log: str
    status: str  # the status comment's body afterwards
    outputs: dict[str, str]
    summary: str


def run_action(
    tmp_path: Path, github: FakeGitHub, s3_endpoint: str, model_cache: Path, reviewer: Reviewer, **inputs: str
) -> Result:
    """Runs the train step as action.yml does: the venv's python, inputs only through the environment."""
    github.comments[COMMENT_ID] = PREPARED_STATUS
    output, summary = tmp_path / "github-output", tmp_path / "step-summary"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "HF_HOME": str(tmp_path / "hf-home"),
        # The tiny model is on no hub: as on a runner that cannot reach it, the cache is not checked
        # against the hub's hashes (test_model_cache.py checks that).
        "HF_HUB_OFFLINE": "1",
        **AWS_ENV,
        "GITHUB_ACTIONS": "true",
        "GITHUB_REPOSITORY": "acme/widgets",
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_RUN_ID": "4242",
        "GITHUB_API_URL": github.url,
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(tmp_path / "runner-temp"),
        "INPUT_DATASET_URI": reviewer.dataset_uri,
        "INPUT_S3_ENDPOINT": s3_endpoint,
        "INPUT_AWS_REGION": "us-east-1",
        "INPUT_BASE_MODEL": TINY_REPO_ID,
        "INPUT_HF_TOKEN": "",
        "INPUT_MODEL_CACHE_DIR": str(model_cache),
        "INPUT_LORA_RANK": "16",
        "INPUT_LORA_ALPHA": "32",
        "INPUT_EPOCHS": "4",
        "INPUT_PULL_NUMBER": "7",
        "INPUT_STATUS_COMMENT_ID": str(COMMENT_ID),
        "INPUT_GITHUB_TOKEN": TOKEN,
        "INPUT_QUALITY_MARGIN": "0.02",
        "INPUT_RECIPE_OVERRIDES": "\n".join([*recipe_overrides(model_cache / TINY_REPO_ID), *FAST_TRAINING]),
        **inputs,
    }
    result = subprocess.run(
        [sys.executable, "-m", "tech_lead_trainer"], env=env, capture_output=True, text=True, timeout=600, check=False
    )
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines()) if output.exists() else {}
    return Result(
        returncode=result.returncode,
        log=result.stdout + result.stderr,
        status=github.comments[COMMENT_ID],
        outputs=outputs,
        summary=summary.read_text() if summary.exists() else "",
    )


def keys(s3, prefix: str) -> set[str]:
    return {item["Key"][len(prefix) :] for item in s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])}


def read_json(s3, key: str) -> dict:
    return json.loads(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())


# --- the adapter passes the gate ---------------------------------------------------------


@pytest.fixture(scope="module")
def promoted(tmp_path_factory, s3, s3_endpoint, model_cache):
    reviewer = prepare(s3, "promoted")
    with github_api() as github:
        # The default quality-margin: the adapter has to beat the base model to be promoted.
        result = run_action(tmp_path_factory.mktemp("promoted"), github, s3_endpoint, model_cache, reviewer)
    assert result.returncode == 0, result.log[-6000:]
    return reviewer, result, github


def test_training_loss_goes_down_on_the_typescript_dataset(promoted, s3) -> None:
    reviewer, result, _ = promoted
    metrics = read_json(s3, f"{reviewer.root}adapters/{reviewer.adapter_id}/metrics.json")
    losses = [point["loss"] for point in metrics["training"]["loss"]]

    assert len(losses) == 4 * 24 // 4  # epochs x steps per epoch (24 examples, batch 4)
    assert sum(losses[-6:]) / 6 < 0.6 * sum(losses[:6]) / 6, losses
    # Progress lines come from our TorchTune metric logger, one per step.
    assert re.search(
        r"^train: step 3/24 · loss \d+\.\d{4} · "
        r"[\d,]+ answer tokens/s · [\d,]+ processed tokens/s · ETA \d+m \d\ds$",
        result.log,
        re.M,
    )


def test_the_adapter_is_uploaded_in_peft_layout_and_loads_onto_the_hf_model(
    promoted, s3, model_cache, tmp_path
) -> None:
    reviewer, _, _ = promoted
    prefix = f"{reviewer.root}adapters/{reviewer.adapter_id}/"
    assert keys(s3, prefix) == {"adapter_model.safetensors", "adapter_config.json", "metrics.json"}
    for name in ("adapter_model.safetensors", "adapter_config.json"):
        s3.download_file(BUCKET, prefix + name, str(tmp_path / name))
    config = json.loads((tmp_path / "adapter_config.json").read_text())
    weights = load_file(tmp_path / "adapter_model.safetensors")

    assert config["base_model_name_or_path"] == TINY_REPO_ID
    assert (config["peft_type"], config["r"], config["lora_alpha"]) == ("LORA", 16, 32)
    assert "base_model.model.model.layers.1.mlp.down_proj.lora_B.weight" in weights
    assert all(
        re.fullmatch(r"base_model\.model\.model\.layers\.\d\.\w+\.\w+_proj\.lora_[AB]\.weight", k) for k in weights
    )

    tokens = torch.arange(TINY.vocab_size).reshape(8, -1)[:, :64]
    base = AutoModelForCausalLM.from_pretrained(model_cache / TINY_REPO_ID).eval()
    with torch.no_grad():
        base_logits = base(tokens).logits
        adapted_logits = PeftModel.from_pretrained(base, tmp_path).eval()(tokens).logits
    assert (adapted_logits - base_logits).abs().max() > 0.1


def test_metrics_compare_base_and_adapter_on_the_held_out_set(promoted, s3) -> None:
    reviewer, _, _ = promoted
    metrics = read_json(s3, f"{reviewer.root}adapters/{reviewer.adapter_id}/metrics.json")

    baselines = metrics["baselines"]
    assert set(baselines) == {"base-few-shot", "always-comment", "never-comment"}
    for model in (metrics["adapter"], *baselines.values()):
        assert model["examples"] == 8
        assert {"precision", "recall", "f1", "mcc", "right_line", "bleu4", "chrf", "score"} <= set(model)
    assert metrics["gate"] == {
        "promoted": True,
        "margin": 0.02,
        "adapterScore": metrics["adapter"]["score"],
        "baselineScores": {name: baseline["score"] for name, baseline in baselines.items()},
    }
    assert (baselines["always-comment"]["recall"], baselines["never-comment"]["recall"]) == (1.0, 0.0)
    # The trained adapter answers in the dataset's format, the random base model does not.
    assert metrics["adapter"]["recall"] > baselines["base-few-shot"]["recall"]
    # So it has comment answers to calibrate its confidence threshold on (contracts/confidence.md).
    adapter = metrics["adapter"]
    assert 0 <= adapter["min_confidence"] <= 1
    assert adapter["min_confidence_target"] == 0.7
    assert adapter["min_confidence_target_met"] in (0.0, 1.0)
    assert {"precision_at_confidence_50", "recall_at_confidence_50"} <= set(adapter)
    # Pointing, asked on each of the 6 held-out hunks alice commented on, whatever it decided.
    assert adapter["pointing_examples"] == 6
    assert 0 <= adapter["pointing"] <= 1


def test_the_manifest_promotes_the_adapter_and_keeps_the_old_one(promoted, s3) -> None:
    reviewer, _, _ = promoted
    manifest = read_json(s3, f"{reviewer.root}manifest.json")

    assert "pending" not in manifest
    assert manifest["previous"] == [OLD_ADAPTER]
    current = manifest["current"]
    assert {key: current[key] for key in ("id", "name", "baseModel", "datasetDigest", "comments")} == {
        "id": reviewer.adapter_id,
        "name": f"tlb/acme/widgets/alice/{reviewer.adapter_id}",
        "baseModel": TINY_REPO_ID,
        "datasetDigest": reviewer.digest,
        "comments": 24,
    }
    # The gate at its default margin: the adapter really beat every baseline, whose numbers the record keeps
    # for the review body to show beside the adapter's.
    assert set(current["baselines"]) == {"base-few-shot", "always-comment", "never-comment"}
    assert all(current["metrics"]["score"] > baseline["score"] + 0.02 for baseline in current["baselines"].values())
    # The review step reads its default min-confidence from here.
    metrics = read_json(s3, f"{reviewer.root}adapters/{reviewer.adapter_id}/metrics.json")
    assert current["metrics"]["min_confidence"] == metrics["adapter"]["min_confidence"]
    assert manifest["freshness"] == {
        "adapterId": OLD_ADAPTER["id"],
        "newComments": 4,
        "cursor": {"since": "2026-02-01T00:00:00Z"},
    }


def test_lock_released_and_dataset_deleted(promoted, s3) -> None:
    reviewer, _, _ = promoted
    assert keys(s3, reviewer.root) == {
        "manifest.json",
        *(
            f"adapters/{reviewer.adapter_id}/{name}"
            for name in ("adapter_model.safetensors", "adapter_config.json", "metrics.json")
        ),
    }


def test_the_status_comment_gets_the_metrics_and_the_next_step(promoted) -> None:
    _, result, github = promoted
    lines = result.status.splitlines()

    assert lines[:5] == PREPARED_STATUS.splitlines()[:5]  # marker, heading, what prepare did
    assert "- ⏳ Next: train `alice`'s adapter on the GPU runner, then review." not in lines
    trained = r"- ✅ Trained `alice`'s adapter on 24 examples: 24 steps in \d+m \d\ds, loss \d+\.\d\d → \d+\.\d\d\."
    assert any(re.fullmatch(trained, line) for line in lines)
    assert any(
        line.startswith("- ✅ It beats the base model and the constant answers on 8 held-out hunks") for line in lines
    )
    assert "| held-out hunks | adapter | base model + examples | always comment | never comment |" in lines
    assert "| **review score** (gate) |" in result.status
    assert lines[-1] == f"<sub>[Workflow run]({RUN_URL})</sub>"
    assert lines[-3].startswith("| BLEU-4")
    assert lines[lines.index("") + 1 :].count("- ⏳ Next: review this pull request.") == 1
    # The first edit says training started; every edit is authenticated with the token.
    assert "- ⏳ Training `alice`'s adapter on 24 examples" in github.patches()[0]
    assert {r.authorization for r in github.requests} == {f"Bearer {TOKEN}"}
    assert TOKEN not in result.log


def test_outputs_and_job_summary(promoted, s3) -> None:
    reviewer, result, _ = promoted
    outputs = dict(result.outputs)
    metrics = json.loads(outputs.pop("metrics"))
    assert outputs == {
        "promoted": "true",
        "adapter-id": reviewer.adapter_id,
        "adapter-name": f"tlb/acme/widgets/alice/{reviewer.adapter_id}",
    }
    assert metrics == read_json(s3, f"{reviewer.root}adapters/{reviewer.adapter_id}/metrics.json")
    chart = re.search(r"```mermaid\nxychart-beta\n(.*?)```", result.summary, re.S)
    assert chart, result.summary
    assert re.search(r'x-axis "step" \[1, 2, 3, .*, 24\]', chart[1])
    assert len(re.search(r"line \[(.*)\]", chart[1])[1].split(", ")) == 24
    assert "| comment decision MCC |" in result.summary


# --- the adapter fails the gate ----------------------------------------------------------


def test_an_adapter_that_does_not_beat_the_base_model_is_not_used(
    tmp_path, github, s3, s3_endpoint, model_cache
) -> None:
    reviewer = prepare(s3, "gate-fails", retain=True)

    # No adapter can beat the base model by a whole point (scores lie in 0..1).
    result = run_action(
        tmp_path,
        github,
        s3_endpoint,
        model_cache,
        reviewer,
        INPUT_QUALITY_MARGIN="1",
        # 4 of the 24 examples have 401 tokens with the tiny model's tokenizer.
        **two_steps(model_cache, "tokenizer.max_seq_len=400"),
    )

    assert result.returncode == 0, result.log[-6000:]
    manifest = read_json(s3, f"{reviewer.root}manifest.json")
    assert manifest["current"] == OLD_ADAPTER
    assert "pending" not in manifest
    assert manifest["previous"] == []
    # Nothing uploaded; the lock is gone; the dataset was kept, as its meta.json asked.
    assert keys(s3, reviewer.root) == {
        "manifest.json",
        *(f"datasets/{reviewer.digest}/{n}" for n in ("train.jsonl", "eval.jsonl", "meta.json")),
    }
    assert re.search(
        r"^- ❌ The new adapter does not beat the base model and the constant answers on 8 held-out hunks"
        r" \(review score \d\.\d{3} against \d\.\d{3} for the best baseline, [a-z-]+, quality-margin 1\),"
        r" so it is not used; `alice`'s adapter stays `0123456789abcdef`\.$",
        result.status,
        re.M,
    )
    assert "- ⏳ Next: review this pull request with the current adapter." in result.status
    assert (
        "- ℹ️ 4 of 24 training examples are longer than tokenizer.max_seq_len 400 tokens (the longest has 401),"  # noqa: RUF001
        " so they were left out rather than cut" in result.status
    )
    assert "- ✅ Trained `alice`'s adapter on 20 examples:" in result.status
    # The refused adapter's numbers still leave with the job (the quality benchmark reads them).
    outputs = dict(result.outputs)
    metrics = json.loads(outputs.pop("metrics"))
    assert metrics["gate"]["promoted"] is False
    assert set(metrics["baselines"]) == {"base-few-shot", "always-comment", "never-comment"}
    assert outputs == {"promoted": "false", "adapter-id": OLD_ADAPTER["id"], "adapter-name": OLD_ADAPTER["name"]}


# --- failures: each ends with a ❌ line on the status comment and a non-zero exit --------


def assert_failed(result: Result, message: str) -> None:
    assert result.returncode != 0, result.log[-4000:]
    last_bullet = [line for line in result.status.splitlines() if line.startswith("- ")][-1]
    assert last_bullet.startswith("- ❌ "), result.status
    assert message in last_bullet, result.status
    assert re.search(r"^::error title=[^:]+::", result.log, re.M), result.log[-4000:]
    assert "Next: train" not in result.status


def assert_cleaned_up(s3, reviewer: Reviewer, *, dataset_kept: bool = False) -> None:
    left = keys(s3, reviewer.root)
    assert "training.lock" not in left
    assert any(key.startswith("datasets/") for key in left) == dataset_kept
    assert "pending" not in read_json(s3, f"{reviewer.root}manifest.json")


def test_no_dataset(tmp_path, github, s3, s3_endpoint, model_cache) -> None:
    reviewer = prepare(s3, "no-dataset", upload=False)

    result = run_action(tmp_path, github, s3_endpoint, model_cache, reviewer)

    assert_failed(result, f"No dataset at {reviewer.dataset_uri} (meta.json is missing).")
    assert "training.lock" not in keys(s3, reviewer.root)


def test_corrupt_jsonl_names_the_line(tmp_path, github, s3, s3_endpoint, model_cache) -> None:
    lines = (TS_DATASET / "train.jsonl").read_bytes().splitlines(keepends=True)
    reviewer = prepare(s3, "corrupt", train=b"".join([*lines[:2], lines[2][:40] + b"\n", *lines[3:]]))

    result = run_action(tmp_path, github, s3_endpoint, model_cache, reviewer)

    assert_failed(result, "train.jsonl line 3 is not valid JSON (Expecting value at character 41).")
    assert_cleaned_up(s3, reviewer)


def test_s3_access_denied_names_the_iam_action(tmp_path, github, s3, model_cache) -> None:
    reviewer = prepare(s3, "denied", upload=False)
    # A second moto server that checks credentials: every request with unknown keys gets 403.
    with moto_server({"INITIAL_NO_AUTH_ACTION_COUNT": "0"}) as endpoint:
        result = run_action(tmp_path, github, endpoint, model_cache, reviewer)

    assert_failed(
        result,
        # The first thing the job reads is its training lock.
        f"S3 denied s3:GetObject on s3://{BUCKET}/{reviewer.root}training.lock (InvalidAccessKeyId)."
        " Allow s3:GetObject on"
        f" arn:aws:s3:::{BUCKET}/{reviewer.root}* in the IAM policy of the train job's AWS role.",
    )


def test_out_of_memory_names_the_knobs(tmp_path, github, s3, s3_endpoint, model_cache) -> None:
    reviewer = prepare(s3, "oom")
    # An MLP no machine can hold: the recipe's first allocation of it fails as a real
    # out-of-memory error does (on the GPU it is torch.OutOfMemoryError, caught the same way).
    overrides = [*recipe_overrides(model_cache / TINY_REPO_ID), *FAST_TRAINING, f"model.intermediate_dim={2**40}"]

    result = run_action(
        tmp_path, github, s3_endpoint, model_cache, reviewer, INPUT_RECIPE_OVERRIDES="\n".join(overrides)
    )

    assert_failed(result, "Training ran out of memory.")
    for knob in (
        "batch_size",
        "gradient_accumulation_steps",
        "tokenizer.max_seq_len",
        "enable_activation_checkpointing",
    ):
        assert knob in result.status
    assert_cleaned_up(s3, reviewer)


def test_hub_download_failure(tmp_path, github, s3, s3_endpoint) -> None:
    reviewer = prepare(s3, "hub-down")
    # A hub that cannot be reached (nothing listens on the port), and an empty cache.
    result = run_action(
        tmp_path,
        github,
        s3_endpoint,
        tmp_path / "empty-cache",
        reviewer,
        HF_ENDPOINT=f"http://127.0.0.1:{free_port()}",
        HF_HUB_OFFLINE="0",
        HF_HUB_ETAG_TIMEOUT="1",
        HF_HUB_DOWNLOAD_TIMEOUT="1",
    )

    assert_failed(result, f"Could not download {TINY_REPO_ID} from the Hugging Face hub")
    assert_cleaned_up(s3, reviewer)
    assert not (tmp_path / "empty-cache" / TINY_REPO_ID / ".tlb-complete").exists()


# --- the training lock: released on every path, never another run's ------------------------


def lock_holder(s3, reviewer: Reviewer) -> str | None:
    key = f"{reviewer.root}training.lock"
    return read_json(s3, key)["runUrl"] if keys(s3, reviewer.root) >= {"training.lock"} else None


@pytest.mark.parametrize(
    ("name", "inputs", "message"),
    [
        ("bad-rank", {"INPUT_LORA_RANK": "12"}, "Invalid lora-rank '12'. Expected one of 8, 16, 32, 64"),
        (
            "bad-override",
            {"INPUT_RECIPE_OVERRIDES": "batch_size: 4"},
            "Invalid recipe-overrides line 'batch_size: 4'. Expected key=value",
        ),
        ("bad-ungated", {"INPUT_ALLOW_UNGATED": "yes"}, "Invalid allow-ungated 'yes'. Expected true or false."),
    ],
)
def test_a_bad_input_releases_the_lock(tmp_path, github, s3, s3_endpoint, model_cache, name, inputs, message) -> None:
    reviewer = prepare(s3, name)
    assert lock_holder(s3, reviewer) == RUN_URL

    result = run_action(tmp_path, github, s3_endpoint, model_cache, reviewer, **inputs)

    assert_failed(result, message)
    assert lock_holder(s3, reviewer) is None
    assert "Training lock released" in result.log


def test_a_job_that_waited_past_the_locks_lifetime_does_not_train(
    tmp_path, github, s3, s3_endpoint, model_cache
) -> None:
    reviewer = prepare(s3, "taken-over")
    # While this job waited for a GPU runner, a later run took the expired lock over, asked for
    # its own training and uses the same dataset (same history, same digest).
    later = "https://github.com/acme/widgets/actions/runs/5151"
    s3.put_object(
        Bucket=BUCKET,
        Key=f"{reviewer.root}training.lock",
        Body=json.dumps({"runUrl": later, "acquiredAt": "2026-02-01T06:30:00.000Z"}).encode(),
    )
    manifest = read_json(s3, f"{reviewer.root}manifest.json")
    manifest["pending"] = {**manifest["pending"], "adapterId": "5151515151515151", "runUrl": later}
    s3.put_object(Bucket=BUCKET, Key=f"{reviewer.root}manifest.json", Body=json.dumps(manifest).encode())

    result = run_action(tmp_path, github, s3_endpoint, model_cache, reviewer)

    assert_failed(result, f"[Another run]({later}) took over `alice`'s training lock")
    assert "train: step" not in result.log
    assert lock_holder(s3, reviewer) == later
    assert read_json(s3, f"{reviewer.root}manifest.json")["pending"]["runUrl"] == later
    assert {f"datasets/{reviewer.digest}/{n}" for n in ("train.jsonl", "eval.jsonl", "meta.json")} <= keys(
        s3, reviewer.root
    )


# --- a dataset without held-out examples ----------------------------------------------------


def test_no_held_out_examples_says_what_is_missing(tmp_path, github, s3, s3_endpoint, model_cache) -> None:
    reviewer = prepare(s3, "no-held-out", eval_jsonl=b"")

    result = run_action(tmp_path, github, s3_endpoint, model_cache, reviewer)

    assert_failed(result, "The dataset has no held-out examples, so the new adapter cannot be compared")
    assert "come from 1 pull request." in result.status
    assert "set `allow-ungated: true` on the train action" in result.status
    assert "Ask the bot again" not in result.status
    assert "train: step" not in result.log
    assert_cleaned_up(s3, reviewer)


def test_no_held_out_examples_trains_without_the_gate_when_allowed(
    tmp_path, github, s3, s3_endpoint, model_cache
) -> None:
    reviewer = prepare(s3, "ungated", eval_jsonl=b"")

    result = run_action(
        tmp_path,
        github,
        s3_endpoint,
        model_cache,
        reviewer,
        INPUT_ALLOW_UNGATED="true",
        **two_steps(model_cache),
    )

    assert result.returncode == 0, result.log[-6000:]
    assert result.outputs["promoted"] == "true"
    assert read_json(s3, f"{reviewer.root}manifest.json")["current"]["id"] == reviewer.adapter_id
    metrics = read_json(s3, f"{reviewer.root}adapters/{reviewer.adapter_id}/metrics.json")
    assert metrics["gate"] == {"promoted": True, "skipped": "no held-out examples (allow-ungated)"}
    assert "- ✅ It is used without the base model and the constant answers (not compared with them" in result.status
    assert "| held-out hunks |" not in result.status


# --- feedback-method dpo -------------------------------------------------------------------


def test_dpo_learns_the_turned_down_comments_as_pairs_starting_from_the_sft_adapter(
    tmp_path, github, s3, s3_endpoint, model_cache
) -> None:
    # The prepare step's training set with the reviewer's feedback on the bot's comments: 2 approved
    # (SFT examples like any other) and 3 turned down (pairs: what they wanted over the bot's comment).
    train = (TS_DATASET / "train.jsonl").read_bytes() + (TS_DATASET / "feedback.jsonl").read_bytes()
    reviewer = prepare(s3, "dpo", train=train)

    result = run_action(
        tmp_path, github, s3_endpoint, model_cache, reviewer, INPUT_FEEDBACK_METHOD="dpo", **two_steps(model_cache)
    )

    assert result.returncode == 0, result.log[-6000:]
    assert "- ✅ Trained `alice`'s adapter on 26 examples and 3 turned-down comments (DPO):" in result.status
    metrics = json.loads(result.outputs["metrics"])
    dpo = metrics["training"]["dpo"]
    # 3 pairs make one step of 3 (fewer than the batch_size of 4), for the DPO config's one epoch.
    assert dpo["steps"] == 1
    losses = [point["loss"] for point in dpo["loss"]]
    assert len(losses) == 1
    # A fresh adapter is the reference model itself (LoRA's B starts at zero), so its first DPO loss
    # is exactly ln 2; the SFT run's adapter already tells the pair's answers apart.
    assert abs(losses[0] - math.log(2)) > 1e-3, losses
    assert metrics["training"]["steps"] == 2 + 1  # the SFT run's two, then DPO's
    assert re.search(r"^train: .*run_recipe --dpo --config \S+llama3_1_8B_lora_dpo\.yaml ", result.log, re.M)
