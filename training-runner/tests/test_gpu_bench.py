"""make gpu-bench, on a tiny shape on the CPU: the script a GPU machine runs, checked here
(no GPU is at hand in CI; the figures from a GPU run go into the README)."""

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[1] / "bench" / "gpu_bench.py"


def test_tiny_run_prints_setup_steps_and_a_projection_as_json_lines() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--tiny", "--steps", "2", "--warmup-steps", "1"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["event"] for e in events] == ["setup", "model", "step", "step", "result"]
    setup, model, *_, summary = events
    # The 8B config's knobs, read from its YAML.
    assert (setup["dtype"], setup["lora_rank"], setup["lora_alpha"]) == ("bf16", 16, 32)
    assert 0 < model["trainable_parameters"] < model["parameters"]
    assert summary["tokens_per_s"] > 0
    assert summary["projected_training_s"] > 0
    assert summary["projected_for"] == "1000 examples x 2 epochs at 600 tokens each"
