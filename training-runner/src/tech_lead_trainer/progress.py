"""TorchTune's metric logger for the train job: one progress line per step in the job log
(step, loss, tokens/s, ETA) and the same numbers as JSON lines for the loss chart.

The recipe config selects it as ``metric_logger._component_``; the trainer passes
``total_steps`` so that each line can say how far along the run is.

The recipe's ``tokens_per_second_per_gpu`` counts only the tokens the loss is taken on
(the reviewer's comments, about 5% of a hunk prompt plus its answer), so alone it makes
training look ~20 times slower than it is. The config's ``collate_fn``,
``counting_collate_sft``, counts every token the model processes as well, and each
progress line shows both rates.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from omegaconf import DictConfig
from torchtune.data import CROSS_ENTROPY_IGNORE_IDX, padded_collate_sft
from torchtune.training.metric_logging import MetricLoggerInterface, save_config

PROGRESS_FILE = "progress.jsonl"
ANSWER_RATE = "tokens_per_second_per_gpu"  # the recipe's name for it
PROCESSED_RATE = "processed_tokens_per_second"


class TokenCounts:
    """Tokens of the batches collated in this process so far: all of them, and those with a label."""

    processed = 0
    answer = 0


def counting_collate_sft(batch: list[dict[str, list[int]]], **kwargs: Any) -> dict[str, Any]:
    """TorchTune's ``padded_collate_sft``, counting the batch's tokens first (no padding)."""
    TokenCounts.processed += sum(len(sample["tokens"]) for sample in batch)
    TokenCounts.answer += sum(
        sum(1 for label in sample["labels"] if label != CROSS_ENTROPY_IGNORE_IDX) for sample in batch
    )
    return padded_collate_sft(batch, **kwargs)


class ProgressLogger(MetricLoggerInterface):
    def __init__(self, log_dir: str, total_steps: int | None = None) -> None:
        self._dir = Path(log_dir)
        self._dir.mkdir(parents=True, exist_ok=True)
        self._lines = (self._dir / PROGRESS_FILE).open("a", encoding="utf-8")
        self._total = total_steps
        self._started = time.monotonic()
        self._counted = (TokenCounts.processed, TokenCounts.answer)

    def log(self, name: str, data: float, step: int) -> None:
        self.log_dict({name: data}, step)

    def log_dict(self, payload: Mapping[str, float], step: int) -> None:
        values = {key: float(value) for key, value in payload.items()}
        if ANSWER_RATE in values:
            # The recipe's rate times processed/answer tokens of the same batches: both over the
            # same time, the step's.
            processed, answer = TokenCounts.processed - self._counted[0], TokenCounts.answer - self._counted[1]
            self._counted = (TokenCounts.processed, TokenCounts.answer)
            if processed and answer:
                values[PROCESSED_RATE] = values[ANSWER_RATE] * processed / answer
        self._lines.write(json.dumps({"step": step, **values}) + "\n")
        self._lines.flush()
        print(format_progress(step, self._total, values, time.monotonic() - self._started), flush=True)

    def log_config(self, config: DictConfig) -> None:
        # As TorchTune's own loggers do: ${output_dir}/torchtune_config.yaml, the resolved
        # config that the evaluation loads the trained model with.
        save_config(config)

    def close(self) -> None:
        self._lines.close()


def format_progress(step: int, total: int | None, values: Mapping[str, float], elapsed: float) -> str:
    parts = [f"step {step}/{total}" if total else f"step {step}"]
    if "loss" in values:
        parts.append(f"loss {values['loss']:.4f}")
    if ANSWER_RATE in values:
        parts.append(f"{values[ANSWER_RATE]:,.0f} answer tokens/s")
    if PROCESSED_RATE in values:
        parts.append(f"{values[PROCESSED_RATE]:,.0f} processed tokens/s")
    if total and step > 0:
        parts.append(f"ETA {format_duration(elapsed / step * max(total - step, 0))}")
    return "train: " + " · ".join(parts)


def format_duration(seconds: float) -> str:
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m {seconds:02d}s"


def read_losses(log_dir: Path) -> list[tuple[int, float]]:
    path = log_dir / PROGRESS_FILE
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [(int(row["step"]), float(row["loss"])) for row in rows if "loss" in row]
