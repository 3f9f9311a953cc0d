"""Every input of the train action, read from the environment in one place.

The composite action (``training-runner/action.yml``) passes each of its inputs
as an ``INPUT_*`` variable; the runner itself sets the ``GITHUB_*`` and
``RUNNER_*`` ones. Nothing else in the package reads the environment.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tech_lead_trainer.errors import TrainerError
from tech_lead_trainer.profiles import default_base_model

# vLLM serves LoRA adapters of these ranks only (its --max-lora-rank choices).
VLLM_LORA_RANKS = (8, 16, 32, 64)
FEEDBACK_METHODS = ("sft", "dpo")

_DATASET_URI = re.compile(
    r"^s3://(?P<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(?P<root>(?:[^/]+/)+)datasets/(?P<digest>[^/]+)/?$"
)


@dataclass(frozen=True)
class DatasetLocation:
    """Where a dataset lives, and the reviewer's folder it belongs to (its manifest, lock, adapters)."""

    bucket: str
    reviewer_prefix: str  # "<prefix>/<owner>/<repo>/<reviewer>/"
    digest: str

    @property
    def dataset_prefix(self) -> str:
        return f"{self.reviewer_prefix}datasets/{self.digest}/"

    @property
    def uri(self) -> str:
        return f"s3://{self.bucket}/{self.dataset_prefix}"

    @property
    def reviewer(self) -> str:
        return self.reviewer_prefix.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class S3Settings:
    endpoint: str | None
    region: str | None
    sse: str | None
    kms_key_id: str | None


@dataclass(frozen=True)
class GitHubSettings:
    api_url: str
    repository: str  # "owner/repo"
    token: str | None
    pull_number: int | None
    status_comment_id: int | None
    run_url: str
    step_summary: Path | None
    output: Path | None


@dataclass(frozen=True)
class TrainingSettings:
    base_model: str
    hf_token: str | None
    model_cache_dir: Path
    lora_rank: int
    lora_alpha: int
    epochs: int
    recipe_overrides: tuple[str, ...]
    quality_margin: float
    # Promote without the quality gate when the dataset holds no held-out examples (the user opted in).
    allow_ungated: bool
    confidence_target: float
    # How feedback the reviewer turned down is learnt: "sft" trains on the answer they wanted like
    # any example; "dpo" trains on the rest, then runs the DPO recipe on the turned-down pairs.
    feedback_method: str
    max_eval_examples: int
    max_new_tokens: int
    work_dir: Path


@dataclass(frozen=True)
class Settings:
    dataset: DatasetLocation
    s3: S3Settings
    github: GitHubSettings
    training: TrainingSettings


def parse_dataset_uri(value: str) -> DatasetLocation:
    match = _DATASET_URI.match(value.strip())
    if not match:
        raise TrainerError(
            f"Invalid dataset-uri '{value}'. Expected s3://<bucket>/<prefix>/<owner>/<repo>/<reviewer>/datasets/<digest>/,"
            " the dataset-uri output of the prepare step.",
            title="Invalid input",
        )
    return DatasetLocation(bucket=match["bucket"], reviewer_prefix=match["root"], digest=match["digest"])


def read_github_settings(env: Mapping[str, str] = os.environ) -> GitHubSettings:
    """What reporting needs; read first, so that every later error can reach the status comment."""
    repository = _get(env, "GITHUB_REPOSITORY")
    if not re.fullmatch(r"[^/\s]+/[^/\s]+", repository):
        raise TrainerError(
            f"GITHUB_REPOSITORY is '{repository}'. Expected owner/repo: the runner sets it in GitHub Actions.",
            title="Invalid input",
        )
    server = _get(env, "GITHUB_SERVER_URL", "https://github.com")
    return GitHubSettings(
        api_url=_get(env, "GITHUB_API_URL", "https://api.github.com").rstrip("/"),
        repository=repository,
        token=_get(env, "INPUT_GITHUB_TOKEN") or None,
        pull_number=_optional_integer(_get(env, "INPUT_PULL_NUMBER"), "pull-number"),
        status_comment_id=_optional_integer(_get(env, "INPUT_STATUS_COMMENT_ID"), "status-comment-id"),
        # The same link the prepare step puts into the training lock and the manifest.
        run_url=f"{server}/{repository}/actions/runs/{_get(env, 'GITHUB_RUN_ID', '0')}",
        step_summary=Path(_get(env, "GITHUB_STEP_SUMMARY")) if _get(env, "GITHUB_STEP_SUMMARY") else None,
        output=Path(_get(env, "GITHUB_OUTPUT")) if _get(env, "GITHUB_OUTPUT") else None,
    )


def read_lock_settings(env: Mapping[str, str] = os.environ) -> tuple[DatasetLocation, S3Settings]:
    """What releasing the training lock needs, without the inputs only training reads: one of
    those may be the bad input the run ends on, and the lock must be released all the same."""
    return parse_dataset_uri(_get(env, "INPUT_DATASET_URI")), _s3_settings(env, sse=None)


def read_settings(env: Mapping[str, str] = os.environ) -> Settings:
    """Reads and validates every input; errors quote the bad value and the expected form."""

    def get(name: str, default: str = "") -> str:
        return _get(env, name, default)

    lora_rank = _integer(get("INPUT_LORA_RANK", "16"), "lora-rank")
    if lora_rank not in VLLM_LORA_RANKS:
        raise TrainerError(
            f"Invalid lora-rank '{lora_rank}'. Expected one of {', '.join(map(str, VLLM_LORA_RANKS))}:"
            " the ranks vLLM can serve.",
            title="Invalid input",
        )
    epochs = _integer(get("INPUT_EPOCHS", "2"), "epochs")
    if epochs < 1:
        raise TrainerError(f"Invalid epochs '{epochs}'. Expected 1 or more.", title="Invalid input")
    sse = get("INPUT_S3_SSE", "AES256")
    if sse not in {"AES256", "aws:kms", "none"}:
        raise TrainerError(f"Invalid s3-sse '{sse}'. Expected AES256, aws:kms or none.", title="Invalid input")
    cache_default = Path(get("RUNNER_TOOL_CACHE") or Path.home() / ".cache") / "tech-lead-bot" / "models"
    work_default = Path(get("RUNNER_TEMP") or tempfile.gettempdir()) / "tech-lead-bot-train"

    return Settings(
        dataset=parse_dataset_uri(get("INPUT_DATASET_URI")),
        s3=_s3_settings(env, sse=None if sse == "none" else sse),
        github=read_github_settings(env),
        training=TrainingSettings(
            base_model=get("INPUT_BASE_MODEL") or default_base_model(),
            hf_token=get("INPUT_HF_TOKEN") or None,
            model_cache_dir=Path(get("INPUT_MODEL_CACHE_DIR") or cache_default).expanduser(),
            lora_rank=lora_rank,
            lora_alpha=_integer(get("INPUT_LORA_ALPHA", str(2 * lora_rank)), "lora-alpha"),
            epochs=epochs,
            recipe_overrides=_overrides(env.get("INPUT_RECIPE_OVERRIDES", "")),
            quality_margin=_number(get("INPUT_QUALITY_MARGIN", "0.02"), "quality-margin"),
            allow_ungated=_boolean(get("INPUT_ALLOW_UNGATED", "false"), "allow-ungated"),
            confidence_target=_share(get("INPUT_CONFIDENCE_TARGET", "0.7"), "confidence-target"),
            feedback_method=_choice(get("INPUT_FEEDBACK_METHOD", "dpo"), "feedback-method", FEEDBACK_METHODS),
            max_eval_examples=_positive(get("INPUT_MAX_EVAL_EXAMPLES", "200"), "max-eval-examples"),
            max_new_tokens=_positive(get("INPUT_MAX_NEW_TOKENS", "96"), "max-new-tokens"),
            work_dir=work_default,
        ),
    )


def _s3_settings(env: Mapping[str, str], sse: str | None) -> S3Settings:
    return S3Settings(
        endpoint=_get(env, "INPUT_S3_ENDPOINT") or None,
        region=_get(env, "INPUT_AWS_REGION") or _get(env, "AWS_REGION") or None,
        sse=sse,
        kms_key_id=_get(env, "INPUT_S3_KMS_KEY_ID") or None,
    )


def _get(env: Mapping[str, str], name: str, default: str = "") -> str:
    return env.get(name, "").strip() or default


def _positive(value: str, name: str) -> int:
    number = _integer(value, name)
    if number < 1:
        raise TrainerError(f"Invalid {name} '{value}'. Expected 1 or more.", title="Invalid input")
    return number


def _overrides(text: str) -> tuple[str, ...]:
    lines = tuple(line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#"))
    for line in lines:
        if not re.fullmatch(r"[A-Za-z_][\w.]*=.*", line):
            raise TrainerError(
                f"Invalid recipe-overrides line '{line}'. Expected key=value, one per line (e.g. batch_size=4).",
                title="Invalid input",
            )
    return lines


def _boolean(value: str, name: str) -> bool:
    # The YAML 1.2 core schema's booleans, as the Actions toolkit's getBooleanInput reads them.
    if value in {"true", "True", "TRUE"}:
        return True
    if value in {"false", "False", "FALSE"}:
        return False
    raise TrainerError(f"Invalid {name} '{value}'. Expected true or false.", title="Invalid input")


def _choice(value: str, name: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise TrainerError(f"Invalid {name} '{value}'. Expected one of {', '.join(choices)}.", title="Invalid input")
    return value


def _integer(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise TrainerError(f"Invalid {name} '{value}'. Expected a whole number.", title="Invalid input") from None


def _optional_integer(value: str, name: str) -> int | None:
    return _integer(value, name) if value else None


def _share(value: str, name: str) -> float:
    share = _number(value, name)
    if not 0 < share <= 1:
        raise TrainerError(f"Invalid {name} '{value}'. Expected a number above 0 and at most 1.", title="Invalid input")
    return share


def _number(value: str, name: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise TrainerError(f"Invalid {name} '{value}'. Expected a number, e.g. 0.02.", title="Invalid input") from None
