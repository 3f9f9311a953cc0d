"""The GPU runner's preflight, on readings a test gives it (this machine has no GPU)."""

from dataclasses import replace
from pathlib import Path

import pytest

from tech_lead_trainer.errors import TrainerError
from tech_lead_trainer.preflight import GIB, Readings, check, read_readings, require_ready
from tech_lead_trainer.profiles import profile_for
from tech_lead_trainer.settings import read_settings

H100 = Readings(
    device="cuda",
    cuda_available=True,
    torch_cuda="13.0",
    driver_version="580.65.06",
    gpu_name="NVIDIA H100 80GB HBM3",
    gpu_memory=80 * GIB,
    model_cached=False,
    download_disk=20 * GIB,
    free_disk=200 * GIB,
    disk_path=Path("/opt/hostedtoolcache"),
)


def test_a_ready_runner_passes_and_says_what_it_has(capsys: pytest.CaptureFixture[str]) -> None:
    assert check(H100) == []
    require_ready(H100)
    assert "NVIDIA H100 80GB HBM3, 80 GiB; driver 580.65.06; torch CUDA 13.0" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("readings", "expected"),
    [
        (
            replace(H100, cuda_available=False, driver_version=None, gpu_name=None, gpu_memory=None),
            "torch sees no CUDA GPU (no nvidia-smi). Check that the runner has an NVIDIA GPU",
        ),
        (
            replace(H100, cuda_available=False, driver_version="550.163.01", gpu_name=None, gpu_memory=None),
            "The NVIDIA driver is 550.163.01; torch's CUDA 13.0 build needs the 580 series or newer."
            " Install NVIDIA driver 580 or later",
        ),
        (replace(H100, torch_cuda=None, cuda_available=False), "The trainer's torch is a CPU build."),
        (
            replace(H100, free_disk=int(12.5 * GIB)),
            "/opt/hostedtoolcache has 12.5 GiB free, and this run needs 22 GiB (the base model download plus"
            " scratch). Free space there, or point the model-cache-dir input at a larger disk.",
        ),
        (
            replace(H100, gpu_name="NVIDIA L4", gpu_memory=22 * GIB),
            "The GPU (NVIDIA L4) has 22 GiB of memory; an 8B base model needs at least 24 GiB",
        ),
    ],
    ids=["no-cuda", "old-driver", "cpu-torch", "low-disk", "small-gpu"],
)
def test_each_problem_says_what_to_change(readings: Readings, expected: str) -> None:
    with pytest.raises(TrainerError) as raised:
        require_ready(readings)
    assert expected in raised.value.message
    assert raised.value.title == "The GPU runner is not ready"


def test_a_cached_model_needs_only_scratch_space() -> None:
    assert check(replace(H100, model_cached=True, free_disk=3 * GIB)) == []
    assert "needs 2 GiB (scratch)" in check(replace(H100, model_cached=True, free_disk=GIB))[0]


def test_every_problem_is_reported_at_once() -> None:
    readings = replace(H100, driver_version="535.54.03", cuda_available=False, free_disk=GIB)
    assert len(check(readings)) == 2


def test_a_cpu_run_checks_only_the_disk(tmp_path: Path) -> None:
    env = {
        "GITHUB_REPOSITORY": "acme/widgets",
        "INPUT_DATASET_URI": "s3://bucket/p/acme/widgets/alice/datasets/abc/",
        "INPUT_MODEL_CACHE_DIR": str(tmp_path / "models" / "not-yet"),
        "INPUT_RECIPE_OVERRIDES": "device=cpu\ndtype=fp32",
        "RUNNER_TEMP": str(tmp_path),
    }
    training = read_settings(env).training
    readings = read_readings(training, profile_for(training.base_model))
    assert (readings.device, readings.cuda_available, readings.driver_version) == ("cpu", False, None)
    assert readings.disk_path == tmp_path  # the nearest folder that exists
    assert readings.free_disk > 0
    assert not readings.model_cached


def test_the_default_config_asks_for_the_gpu(tmp_path: Path) -> None:
    env = {
        "GITHUB_REPOSITORY": "acme/widgets",
        "INPUT_DATASET_URI": "s3://bucket/p/acme/widgets/alice/datasets/abc/",
        "INPUT_MODEL_CACHE_DIR": str(tmp_path),
        "RUNNER_TEMP": str(tmp_path),
    }
    training = read_settings(env).training
    readings = read_readings(training, profile_for(training.base_model))
    # This machine's torch is a CPU build: the readings say so, and the check refuses.
    assert readings.device == "cuda"
    assert any("CPU build" in problem or "no CUDA GPU" in problem for problem in check(readings))
