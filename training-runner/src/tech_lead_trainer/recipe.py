"""Our recipe config plus the run's ``key=value`` overrides, checked, then trained.

Defaults live in the base model's recipe config (``configs/base_models.yaml``
names it: ``llama3_1_8B_lora.yaml`` for the default base); action inputs become
overrides (lora-rank -> ``model.lora_rank``, ...), and the ``recipe-overrides``
input comes last, so it can change any key.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from omegaconf import DictConfig, OmegaConf

from tech_lead_trainer.base_model import checkpoint_files
from tech_lead_trainer.errors import TrainerError
from tech_lead_trainer.progress import read_losses
from tech_lead_trainer.run_recipe import OUT_OF_MEMORY
from tech_lead_trainer.settings import VLLM_LORA_RANKS, TrainingSettings

MEMORY_KNOBS = (
    "lower batch_size (and raise gradient_accumulation_steps to keep the same examples per step),"
    " lower tokenizer.max_seq_len, or set enable_activation_checkpointing=True"
)


@dataclass(frozen=True)
class TrainingRun:
    output_dir: Path
    adapter_dir: Path
    losses: list[tuple[int, float]]
    seconds: float
    total_steps: int
    # With feedback-method dpo: the DPO run that followed this SFT one. Then adapter_dir and
    # output_dir are the DPO run's, seconds and total_steps both runs', losses the SFT run's.
    dpo: TrainingRun | None = None


def combined(sft: TrainingRun, dpo: TrainingRun) -> TrainingRun:
    """The SFT run followed by the DPO run that started from its adapter."""
    return TrainingRun(
        output_dir=dpo.output_dir,
        adapter_dir=dpo.adapter_dir,
        losses=sft.losses,
        seconds=sft.seconds + dpo.seconds,
        total_steps=sft.total_steps + dpo.total_steps,
        dpo=dpo,
    )


def _run_overrides(settings: TrainingSettings, model_dir: Path, dataset_dir: Path, output_dir: Path) -> list[str]:
    """Where a run reads and writes, and the adapter's shape: alike for the SFT and DPO runs."""
    return [
        f"base_model_dir={model_dir}",
        f"dataset_dir={dataset_dir}",
        f"output_dir={output_dir}",
        f"checkpointer.checkpoint_files=[{','.join(checkpoint_files(model_dir))}]",
        f"model.lora_rank={settings.lora_rank}",
        f"model.lora_alpha={settings.lora_alpha}",
    ]


def build_overrides(
    config: Path,
    settings: TrainingSettings,
    model_dir: Path,
    dataset_dir: Path,
    output_dir: Path,
    train_examples: int,
) -> list[str]:
    """The overrides of recipe config ``config`` for this run, after checking the config they make."""
    overrides = [
        *_run_overrides(settings, model_dir, dataset_dir, output_dir),
        f"epochs={settings.epochs}",
        *settings.recipe_overrides,
    ]
    cfg = OmegaConf.merge(OmegaConf.load(config), OmegaConf.from_dotlist(overrides))
    validate(cfg)
    return [*overrides, f"metric_logger.total_steps={total_steps(cfg, train_examples)}"]


# recipe-overrides keys that belong to the SFT run alone; the DPO run takes every other one (the
# model, tokenizer, memory and speed keys), since it starts from that run's adapter on that model.
SFT_ONLY_KEYS = ("dataset.", "loss.", "collate_fn=", "epochs=")
PREFERENCES_FILE = "preferences.jsonl"


def build_dpo_overrides(
    dpo_config: Path,
    settings: TrainingSettings,
    model_dir: Path,
    dataset_dir: Path,
    output_dir: Path,
    start_adapter_dir: Path,
    pairs: int,
) -> list[str]:
    """The overrides of DPO recipe config ``dpo_config`` for ``pairs`` preference pairs.

    Fewer pairs than a step takes make one smaller step rather than none: a reviewer who turned
    down three comments has still said something.
    """
    overrides = [
        *_run_overrides(settings, model_dir, dataset_dir, output_dir),
        f"start_adapter_dir={start_adapter_dir}",
        *(o for o in settings.recipe_overrides if not o.startswith(SFT_ONLY_KEYS)),
    ]
    cfg = OmegaConf.merge(OmegaConf.load(dpo_config), OmegaConf.from_dotlist(overrides))
    if pairs < cfg.batch_size * cfg.gradient_accumulation_steps:
        overrides += [f"batch_size={pairs}", "gradient_accumulation_steps=1"]
        cfg = OmegaConf.merge(cfg, OmegaConf.from_dotlist(overrides[-2:]))
    validate(cfg)
    return [*overrides, f"metric_logger.total_steps={total_steps(cfg, pairs)}"]


def validate(cfg: DictConfig) -> None:
    """Fails before a model is loaded on what would fail (or not be servable) later."""
    if cfg.dtype == "fp16":
        raise TrainerError("dtype fp16 is not supported by the recipe; use bf16 (or fp32 on the CPU).")
    if cfg.model.lora_rank not in VLLM_LORA_RANKS:
        raise TrainerError(
            f"model.lora_rank {cfg.model.lora_rank} cannot be served by vLLM; use one of {VLLM_LORA_RANKS}."
        )
    if cfg.model.apply_lora_to_output:
        raise TrainerError("model.apply_lora_to_output=True makes an adapter vLLM cannot serve; leave it False.")
    if not cfg.save_adapter_weights_only:
        raise TrainerError("save_adapter_weights_only must stay True: the model server loads the base model itself.")


def total_steps(cfg: DictConfig, train_examples: int) -> int:
    # As the recipe counts: the loader drops the last partial batch, and a step is
    # gradient_accumulation_steps batches.
    per_epoch = train_examples // cfg.batch_size // cfg.gradient_accumulation_steps
    if cfg.max_steps_per_epoch is not None:
        per_epoch = min(per_epoch, cfg.max_steps_per_epoch)
    if per_epoch < 1:
        raise TrainerError(
            f"{train_examples} training examples make no full step of batch_size {cfg.batch_size} x"
            f" gradient_accumulation_steps {cfg.gradient_accumulation_steps}; lower them in recipe-overrides."
        )
    return per_epoch * cfg.epochs


def train(
    config: Path, overrides: list[str], output_dir: Path, env: dict[str, str] | None = None, *, dpo: bool = False
) -> TrainingRun:
    """Runs the SFT recipe, or with ``dpo`` the DPO one (overrides from build_dpo_overrides)."""
    recipe = ["--dpo"] if dpo else []
    command = [sys.executable, "-m", "tech_lead_trainer.run_recipe", *recipe, "--config", str(config), *overrides]
    print("train: " + " ".join(command), flush=True)
    started = time.monotonic()
    result = subprocess.run(command, env=env, check=False)
    seconds = time.monotonic() - started
    if result.returncode == OUT_OF_MEMORY:
        raise TrainerError(
            "Training ran out of memory. Give the train action a recipe-overrides input that needs less:"
            f" {MEMORY_KNOBS}."
            " The config's comments say what each costs.",
            title="Out of memory",
        )
    if result.returncode < 0:
        raise TrainerError(
            f"Training was killed by signal {-result.returncode}; when that is SIGKILL (9) the runner usually ran out"
            f" of RAM: give it more, or {MEMORY_KNOBS}.",
        )
    if result.returncode != 0:
        raise TrainerError(
            f"TorchTune's LoRA {'DPO' if dpo else 'fine-tuning'} recipe failed (exit status {result.returncode});"
            " the job log shows why."
        )
    cfg = OmegaConf.merge(OmegaConf.load(config), OmegaConf.from_dotlist(overrides))
    epochs = int(cfg.epochs)
    adapter_dir = output_dir / f"epoch_{epochs - 1}"
    if not (adapter_dir / "adapter_model.safetensors").exists():
        raise TrainerError(f"The recipe finished but wrote no adapter into {adapter_dir}.")
    return TrainingRun(
        output_dir=output_dir,
        adapter_dir=adapter_dir,
        losses=read_losses(output_dir / "logs"),
        seconds=seconds,
        total_steps=int(cfg.metric_logger.total_steps),
    )
