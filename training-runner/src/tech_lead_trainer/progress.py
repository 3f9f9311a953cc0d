"""TorchTune's metric logger for the train job: one progress line per step in the job log
(step, loss, tokens/s, ETA) and the same numbers as JSON lines for the loss chart.

The recipe config selects it as ``metric_logger._component_``; the trainer passes
``total_steps`` so that each line can say how far along the run is.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from pathlib import Path

from omegaconf import DictConfig
from torchtune.training.metric_logging import MetricLoggerInterface, save_config

PROGRESS_FILE = "progress.jsonl"


class ProgressLogger(MetricLoggerInterface):
    def __init__(self, log_dir: str, total_steps: int | None = None) -> None:
        self._dir = Path(log_dir)
        self._dir.mkdir(parents=True, exist_ok=True)
        self._lines = (self._dir / PROGRESS_FILE).open("a", encoding="utf-8")
        self._total = total_steps
        self._started = time.monotonic()

    def log(self, name: str, data: float, step: int) -> None:
        self.log_dict({name: data}, step)

    def log_dict(self, payload: Mapping[str, float], step: int) -> None:
        values = {key: float(value) for key, value in payload.items()}
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
    if "tokens_per_second_per_gpu" in values:
        parts.append(f"{values['tokens_per_second_per_gpu']:,.0f} tokens/s")
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
