"""Checks the GPU runner before anything is downloaded or trained: seconds, not an hour.

PyPI's torch 2.13.0 is a CUDA 13.0 build: with an older NVIDIA driver it sees no GPU,
and the recipe would fail only after the model download with "recipe failed". Each
failed check says what to change on the runner; all of them are reported at once.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from omegaconf import OmegaConf

from tech_lead_trainer.base_model import MARKER
from tech_lead_trainer.errors import TrainerError
from tech_lead_trainer.profiles import BaseModelProfile
from tech_lead_trainer.settings import TrainingSettings

GIB = 1024**3
# The oldest driver branch each CUDA major version runs on (NVIDIA's CUDA release notes, table 3).
MIN_DRIVER_FOR_CUDA = {12: 525, 13: 580}
# An 8B base in bf16 (16 GB) plus LoRA, optimizer state and activations at batch_size 1.
MIN_GPU_MEMORY = 24 * GIB
# Every run's scratch (dataset, checkpoints, adapter); the base model's download, when it is not
# cached yet, is its profile's download_gib (configs/base_models.yaml: 20 for the 8B model).
SCRATCH_DISK = 2 * GIB


@dataclass(frozen=True)
class Readings:
    """What the runner has, as torch, nvidia-smi and the file system report it."""

    device: str  # the recipe's: "cuda", or "cpu" when recipe-overrides say so
    cuda_available: bool
    torch_cuda: str | None  # the CUDA version torch was built for, e.g. "13.0"; None: a CPU build
    driver_version: str | None  # e.g. "580.65.06"; None without nvidia-smi
    gpu_name: str | None
    gpu_memory: int | None  # bytes
    model_cached: bool
    download_disk: int  # bytes the base model's download takes (its profile says)
    free_disk: int  # bytes, on the model cache's disk
    disk_path: Path


def check(readings: Readings) -> list[str]:
    """What is wrong, each with what to change; empty when the runner can train."""
    problems = []
    if readings.device == "cuda":
        problems += _gpu_problems(readings)
    needed = SCRATCH_DISK + (0 if readings.model_cached else readings.download_disk)
    if readings.free_disk < needed:
        problems.append(
            f"{readings.disk_path} has {readings.free_disk / GIB:.1f} GiB free, and this run needs {needed / GIB:.0f}"
            f" GiB ({'scratch' if readings.model_cached else 'the base model download plus scratch'}). Free space"
            " there, or point the model-cache-dir input at a larger disk."
        )
    return problems


def _gpu_problems(readings: Readings) -> list[str]:
    problems = []
    cuda_major = int(readings.torch_cuda.split(".")[0]) if readings.torch_cuda else None
    min_driver = MIN_DRIVER_FOR_CUDA.get(cuda_major) if cuda_major else None
    driver_major = int(readings.driver_version.split(".")[0]) if readings.driver_version else None
    if readings.torch_cuda is None:
        problems.append(
            "The trainer's torch is a CPU build. Delete the venv-dir's trainer-* folders so that the next run"
            " installs PyPI's CUDA build, and make sure the runner's pip has no CPU-only wheel index or find-links."
        )
    elif min_driver and driver_major is not None and driver_major < min_driver:
        problems.append(
            f"The NVIDIA driver is {readings.driver_version}; torch's CUDA {readings.torch_cuda} build needs the"
            f" {min_driver} series or newer. Install NVIDIA driver {min_driver} or later on the runner"
            f" (e.g. `apt install nvidia-driver-{min_driver}-server` on Ubuntu) and reboot it."
        )
    elif not readings.cuda_available:
        found = f"driver {readings.driver_version}" if readings.driver_version else "no nvidia-smi"
        problems.append(
            f"torch sees no CUDA GPU ({found}). Check that the runner has an NVIDIA GPU, that `nvidia-smi` works"
            " for the runner's user, and that CUDA_VISIBLE_DEVICES does not hide it; or train on the CPU with"
            " recipe-overrides `device=cpu dtype=fp32` (for tiny models only)."
        )
    if readings.cuda_available and readings.gpu_memory is not None and readings.gpu_memory < MIN_GPU_MEMORY:
        problems.append(
            f"The GPU ({readings.gpu_name}) has {readings.gpu_memory / GIB:.0f} GiB of memory; an 8B base model"
            f" needs at least {MIN_GPU_MEMORY // GIB} GiB (an 80 GB H100 trains with the default settings)."
            " Use a runner with a larger GPU (the gpu labels), or a smaller base-model."
        )
    return problems


def read_readings(settings: TrainingSettings, profile: BaseModelProfile) -> Readings:
    """The runner's readings; the recipe's device is the profile config's after the recipe-overrides."""
    import torch

    cfg = OmegaConf.merge(OmegaConf.load(profile.config), OmegaConf.from_dotlist(list(settings.recipe_overrides)))
    device = str(cfg.device)
    cuda_available = device == "cuda" and torch.cuda.is_available()
    gpu_name = gpu_memory = None
    if cuda_available:
        properties = torch.cuda.get_device_properties(0)
        gpu_name, gpu_memory = properties.name, properties.total_memory
    disk_path = settings.model_cache_dir
    while not disk_path.exists() and disk_path != disk_path.parent:
        disk_path = disk_path.parent
    return Readings(
        device=device,
        cuda_available=cuda_available,
        torch_cuda=torch.version.cuda,
        driver_version=_driver_version() if device == "cuda" else None,
        gpu_name=gpu_name,
        gpu_memory=gpu_memory,
        model_cached=(settings.model_cache_dir / settings.base_model / MARKER).exists(),
        download_disk=profile.download_gib * GIB,
        free_disk=shutil.disk_usage(disk_path).free,
        disk_path=disk_path,
    )


def _driver_version() -> str | None:
    try:
        result = subprocess.run(
            ["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = result.stdout.split()
    return lines[0] if lines else None


def require_ready(readings: Readings) -> None:
    """Raises a TrainerError naming every problem; prints what the runner has otherwise."""
    problems = check(readings)
    if problems:
        raise TrainerError("This runner cannot train: " + " ".join(problems), title="The GPU runner is not ready")
    gpu = f"{readings.gpu_name}, {readings.gpu_memory / GIB:.0f} GiB" if readings.gpu_memory else readings.device
    print(
        f"Runner: {gpu}; driver {readings.driver_version or '-'}; torch CUDA {readings.torch_cuda or '-'};"
        f" {readings.free_disk / GIB:.0f} GiB free at {readings.disk_path}",
        flush=True,
    )
