"""Runs TorchTune's LoRA single-device recipe exactly as ``tune run`` does, in a process
of its own, and tells an out-of-memory failure apart by its exit status.

    python -m tech_lead_trainer.run_recipe --config CONFIG key=value ...
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import torch
import torchtune

RECIPE = Path(torchtune.__file__).parents[1] / "recipes" / "lora_finetune_single_device.py"
# The exit status of a run that ran out of memory (EX_TEMPFAIL: retry with other settings).
OUT_OF_MEMORY = 75


def is_out_of_memory(error: BaseException | None) -> bool:
    """CUDA's allocator raises torch.OutOfMemoryError; the CPU's, a RuntimeError that says so."""
    while error is not None:
        if isinstance(error, torch.OutOfMemoryError) or (
            isinstance(error, RuntimeError) and "can't allocate memory" in str(error)
        ):
            return True
        error = error.__cause__ or error.__context__
    return False


def main(argv: list[str] | None = None) -> None:
    sys.argv = [str(RECIPE), *(sys.argv[1:] if argv is None else argv)]
    try:
        runpy.run_path(str(RECIPE), run_name="__main__")
    except Exception as error:
        if not is_out_of_memory(error):
            raise
        print(f"train: out of memory: {str(error).splitlines()[0]}", file=sys.stderr, flush=True)
        sys.exit(OUT_OF_MEMORY)


if __name__ == "__main__":
    main()
