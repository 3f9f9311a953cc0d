"""Inputs, the dataset files and the model cache: what is accepted, and what a bad one is told."""

import json
import re
from pathlib import Path

import pytest

from tech_lead_trainer.base_model import MARKER, ensure_base_model
from tech_lead_trainer.dataset import read_jsonl
from tech_lead_trainer.errors import TrainerError
from tech_lead_trainer.profiles import default_base_model
from tech_lead_trainer.progress import format_progress
from tech_lead_trainer.report import loss_chart
from tech_lead_trainer.settings import parse_dataset_uri, read_settings

TS_DATASET = Path(__file__).parents[2] / "test" / "fixtures" / "dataset"
ENV = {
    "GITHUB_REPOSITORY": "acme/widgets",
    "GITHUB_RUN_ID": "9",
    "INPUT_DATASET_URI": "s3://bucket/tlb/acme/widgets/alice/datasets/d1/",
}


def test_dataset_uri_gives_the_reviewer_folder() -> None:
    location = parse_dataset_uri("s3://my-bucket/team/bots/acme/widgets/alice/datasets/0a1b/")

    assert (location.bucket, location.reviewer_prefix, location.digest) == (
        "my-bucket",
        "team/bots/acme/widgets/alice/",
        "0a1b",
    )
    assert location.reviewer == "alice"
    assert location.uri == "s3://my-bucket/team/bots/acme/widgets/alice/datasets/0a1b/"


def test_defaults() -> None:
    settings = read_settings({**ENV, "RUNNER_TOOL_CACHE": "/opt/hostedtoolcache"})

    assert settings.github.run_url == "https://github.com/acme/widgets/actions/runs/9"
    assert settings.training.base_model == default_base_model() == "meta-llama/Llama-3.1-8B-Instruct"
    assert settings.training.model_cache_dir == Path("/opt/hostedtoolcache/tech-lead-bot/models")
    assert (settings.training.lora_rank, settings.training.lora_alpha, settings.training.epochs) == (16, 32, 2)
    assert settings.training.quality_margin == 0.02
    assert settings.training.confidence_target == 0.7
    assert settings.training.feedback_method == "dpo"
    assert settings.s3.sse == "AES256"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "INPUT_DATASET_URI",
            "s3://bucket/alice/",
            "Invalid dataset-uri 's3://bucket/alice/'. Expected s3://<bucket>/",
        ),
        ("INPUT_LORA_RANK", "12", "Invalid lora-rank '12'. Expected one of 8, 16, 32, 64"),
        ("INPUT_EPOCHS", "two", "Invalid epochs 'two'. Expected a whole number."),
        ("INPUT_QUALITY_MARGIN", "high", "Invalid quality-margin 'high'. Expected a number"),
        ("INPUT_CONFIDENCE_TARGET", "0", "Invalid confidence-target '0'. Expected a number above 0 and at most 1."),
        ("INPUT_FEEDBACK_METHOD", "rlhf", "Invalid feedback-method 'rlhf'. Expected one of sft, dpo."),
        ("INPUT_RECIPE_OVERRIDES", "batch_size 4", "Invalid recipe-overrides line 'batch_size 4'. Expected key=value"),
        ("INPUT_S3_SSE", "kms", "Invalid s3-sse 'kms'. Expected AES256, aws:kms or none."),
    ],
)
def test_a_bad_input_is_quoted_with_the_expected_form(name: str, value: str, message: str) -> None:
    with pytest.raises(TrainerError, match=message.replace("(", r"\(").replace(".", r"\.")):
        read_settings({**ENV, name: value})


def test_recipe_overrides_are_one_per_line() -> None:
    settings = read_settings(
        {**ENV, "INPUT_RECIPE_OVERRIDES": "batch_size=4\n\n# smaller steps\n  tokenizer.max_seq_len=1024 \n"}
    )
    assert settings.training.recipe_overrides == ("batch_size=4", "tokenizer.max_seq_len=1024")


def test_the_typescript_dataset_is_valid() -> None:
    train = read_jsonl(TS_DATASET / "train.jsonl", "train.jsonl")
    held_out = read_jsonl(TS_DATASET / "eval.jsonl", "eval.jsonl")

    assert (len(train), len(held_out)) == (24, 8)
    assert {example.kind for example in train + held_out} == {"positive", "negative"}


def test_the_typescript_feedback_examples_are_valid() -> None:
    """feedback.jsonl: what the prepare step adds to train.jsonl from the reviewer's feedback on the bot's comments."""
    examples = read_jsonl(TS_DATASET / "feedback.jsonl", "feedback.jsonl")

    assert len(examples) == 5
    assert sorted(example.kind for example in examples) == [
        "feedback-correction",
        "feedback-negative",
        "feedback-negative",
        "feedback-positive",
        "feedback-positive",
    ]
    assert [example.comments for example in examples] == [example.answer != "NO COMMENT" for example in examples]
    # The turned-down ones carry the bot's comment they refused; the approved ones do not.
    turned_down = [example for example in examples if example.rejected is not None]
    assert sorted(example.kind for example in turned_down) == [
        "feedback-correction",
        "feedback-negative",
        "feedback-negative",
    ]
    assert all(re.fullmatch(r"line \d+: Bot remark \d+: .+", example.rejected or "") for example in turned_down)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"messages": []}, r"line 2 is not a valid training example: expected messages with roles"),
        (
            {
                "messages": [{"role": r, "content": "x"} for r in ("system", "user", "assistant")],
                "meta": {"kind": "negative"},
            },
            r"line 2 is not a valid training example: a negative example's answer must be exactly NO COMMENT",
        ),
        (
            {"messages": [{"role": r, "content": "NO COMMENT"} for r in ("system", "user", "assistant")], "meta": {}},
            r"line 2 is not a valid training example: expected meta.kind one of feedback-correction,",
        ),
        (
            {
                "messages": [{"role": r, "content": "x"} for r in ("system", "user", "assistant")],
                "meta": {"kind": "feedback-negative"},
            },
            r"line 2 is not a valid training example: a feedback-negative example's answer must be exactly NO COMMENT",
        ),
        (
            {
                "messages": [{"role": r, "content": "line 1: x"} for r in ("system", "user", "assistant")],
                "rejected": "line 1: y",
                "meta": {"kind": "feedback-positive"},
            },
            r"line 2 is not a valid training example: only a turned-down example \(feedback-correction,"
            r" feedback-negative\) has a rejected answer",
        ),
        (
            {
                "messages": [{"role": r, "content": "NO COMMENT"} for r in ("system", "user", "assistant")],
                "rejected": "NO COMMENT",
                "meta": {"kind": "feedback-negative"},
            },
            r"line 2 is not a valid training example: rejected must be the bot's comment",
        ),
    ],
)
def test_a_bad_example_is_named_by_its_line(tmp_path: Path, row: dict, message: str) -> None:
    first = (TS_DATASET / "eval.jsonl").read_text().splitlines()[0]
    (tmp_path / "eval.jsonl").write_text(first + "\n" + json.dumps(row) + "\n")

    with pytest.raises(TrainerError, match=message):
        read_jsonl(tmp_path / "eval.jsonl", "eval.jsonl")


def test_the_base_model_is_downloaded_once_and_names_its_hub_id(tmp_path: Path, monkeypatch) -> None:
    # No hub to check the cache against here (test_model_cache.py covers that check).
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    calls = []

    # Stands in for huggingface_hub.snapshot_download (its network side is tested in
    # test_train_action.py::test_hub_download_failure).
    def download(repo_id: str, local_dir: Path, token: str | None, allow_patterns: list[str]) -> str:
        calls.append((repo_id, token))
        assert "original/tokenizer.model" in allow_patterns
        (local_dir / "model.safetensors").parent.mkdir(parents=True)
        (local_dir / "model.safetensors").write_bytes(b"")
        return str(local_dir)

    first = ensure_base_model("org/model", tmp_path, "hf_x", download)
    again = ensure_base_model("org/model", tmp_path, "hf_x", download)

    assert first == again == tmp_path / "org" / "model"
    assert calls == [("org/model", "hf_x")]
    assert json.loads((first / "original_repo_id.json").read_text()) == {"repo_id": "org/model"}
    assert (first / MARKER).exists()


def test_an_interrupted_download_is_redone(tmp_path: Path) -> None:
    def fail(**_: object) -> None:
        raise OSError("No space left on device")

    with pytest.raises(TrainerError, match="Could not download org/model from the Hugging Face hub: No space left"):
        ensure_base_model("org/model", tmp_path, None, fail)
    assert not (tmp_path / "org" / "model" / MARKER).exists()


def test_progress_line() -> None:
    values = {"loss": 1.23456, "tokens_per_second_per_gpu": 4321.9, "processed_tokens_per_second": 86438.0, "lr": 1e-4}
    line = format_progress(30, 120, values, elapsed=60.0)
    # 2 s per step so far, 90 steps to go.
    assert line == "train: step 30/120 · loss 1.2346 · 4,322 answer tokens/s · 86,438 processed tokens/s · ETA 3m 00s"


def test_the_loss_chart_keeps_at_most_sixty_points_and_the_last() -> None:
    chart = loss_chart([(step, 10 / step) for step in range(1, 201)])

    steps = chart.split('x-axis "step" [', 1)[1].split("]", 1)[0].split(", ")
    assert chart.startswith("```mermaid\nxychart-beta\n")
    assert len(steps) <= 61
    assert (steps[0], steps[-1]) == ("1", "200")
    assert loss_chart([]) == ""
