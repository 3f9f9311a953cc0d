"""Runs one of TorchTune's LoRA single-device recipes exactly as ``tune run`` does, in a process
of its own, and tells an out-of-memory failure apart by its exit status.

    python -m tech_lead_trainer.run_recipe [--dpo] --config CONFIG key=value ...

Without ``--dpo``: ``lora_finetune_single_device`` (SFT), as it is. With it:
``lora_dpo_single_device``, whose model starts from the adapter in the config's
``start_adapter_dir`` (the SFT run's ``adapter_model.pt``) instead of a fresh one. The recipe
itself can only load an adapter when resuming its own run (which also wants its optimizer state
and epoch counters), so a subclass hands that adapter to its model set-up; its reference model
stays the base model (the recipe disables the adapter to score it).
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path
from typing import Any

import torch
import torchtune
from omegaconf import DictConfig

RECIPES = Path(torchtune.__file__).parents[1] / "recipes"
RECIPE = RECIPES / "lora_finetune_single_device.py"
DPO_RECIPE = RECIPES / "lora_dpo_single_device.py"
# The file TorchTune's checkpointer writes the adapter to, in its own parameter names.
START_ADAPTER_FILE = "adapter_model.pt"
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


def run_dpo() -> None:
    """The DPO recipe's main, with a model that starts from ``start_adapter_dir``'s adapter."""
    from torchtune import config

    recipe = runpy.run_path(str(DPO_RECIPE), run_name="lora_dpo_single_device")
    base = recipe["LoRADPORecipeSingleDevice"]

    class FromAdapter(base):  # type: ignore[misc, valid-type]
        def __init__(self, cfg: DictConfig) -> None:
            super().__init__(cfg=cfg)
            path = Path(cfg.start_adapter_dir) / START_ADAPTER_FILE
            self._start_adapter = torch.load(path, map_location="cpu", weights_only=True)

        def _setup_model(self, *args: Any, **kwargs: Any) -> Any:
            return super()._setup_model(*args, **{**kwargs, "lora_weights_state_dict": self._start_adapter})

    @config.parse
    def main(cfg: DictConfig) -> None:
        config.log_config(recipe_name="LoRADPORecipeSingleDevice", cfg=cfg)
        run = FromAdapter(cfg=cfg)
        run.setup(cfg=cfg)
        run.train()
        run.cleanup()

    main()


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    dpo = args[:1] == ["--dpo"]
    if dpo:
        args = args[1:]
    sys.argv = [str(DPO_RECIPE if dpo else RECIPE), *args]
    try:
        if dpo:
            run_dpo()
        else:
            runpy.run_path(str(RECIPE), run_name="__main__")
    except Exception as error:
        if not is_out_of_memory(error):
            raise
        print(f"train: out of memory: {str(error).splitlines()[0]}", file=sys.stderr, flush=True)
        sys.exit(OUT_OF_MEMORY)


if __name__ == "__main__":
    main()
