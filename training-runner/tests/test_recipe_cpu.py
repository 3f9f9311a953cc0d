"""Our recipe config, run for real on the CPU with the tiny model, the way the
train action starts it: `tune run` from the venv with key=value overrides."""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import torch
from omegaconf import OmegaConf
from peft import PeftModel
from safetensors.torch import load_file
from torchtune import config, training
from transformers import AutoModelForCausalLM

from tech_lead_trainer.progress import read_losses
from tech_lead_trainer.testing.tiny_model import TINY, TINY_REPO_ID, recipe_overrides

pytestmark = pytest.mark.slow

CONFIG = Path(__file__).parents[1] / "configs" / "llama3_1_8B_lora.yaml"
EPOCHS = 6
# A few steps on six examples must visibly memorise them: small batches and a
# learning rate far above the 8B one, with no warm-up.
TRAINING_OVERRIDES = [
    f"epochs={EPOCHS}",
    "batch_size=2",
    "gradient_accumulation_steps=1",
    "optimizer.lr=1e-2",
    "lr_scheduler.num_warmup_steps=0",
]


@dataclass(frozen=True)
class Run:
    output_dir: Path
    losses: list[float]

    @property
    def adapter_dir(self) -> Path:
        return self.output_dir / f"epoch_{EPOCHS - 1}"


@pytest.fixture(scope="module")
def run(tiny_model_dir: Path, dataset_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    output_dir = tmp_path_factory.mktemp("run")
    env = {
        **os.environ,
        "HF_HOME": str(tmp_path_factory.mktemp("hf-home")),
        "HF_HUB_OFFLINE": "1",
    }
    command = [
        str(Path(sys.executable).with_name("tune")),
        "run",
        "lora_finetune_single_device",
        "--config",
        str(CONFIG),
        *recipe_overrides(tiny_model_dir),
        f"dataset_dir={dataset_dir}",
        f"output_dir={output_dir}",
        *TRAINING_OVERRIDES,
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    losses = [loss for _, loss in read_losses(output_dir / "logs")]
    return Run(output_dir=output_dir, losses=losses)


def test_loss_goes_down_on_a_memorisable_set(run: Run) -> None:
    steps_per_epoch = 3  # six examples, batch size two
    assert len(run.losses) == EPOCHS * steps_per_epoch
    first_epoch = sum(run.losses[:steps_per_epoch]) / steps_per_epoch
    last_epoch = sum(run.losses[-steps_per_epoch:]) / steps_per_epoch
    assert last_epoch < 0.6 * first_epoch, run.losses


def test_adapter_is_saved_in_peft_layout(run: Run) -> None:
    weights = load_file(run.adapter_dir / "adapter_model.safetensors")
    adapter_config = json.loads((run.adapter_dir / "adapter_config.json").read_text())
    projections = ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj"] + [
        f"mlp.{name}_proj" for name in ("gate", "up", "down")
    ]

    assert set(weights) == {
        f"base_model.model.model.layers.{layer}.{projection}.lora_{matrix}.weight"
        for layer in range(TINY.num_layers)
        for projection in projections
        for matrix in "AB"
    }
    assert weights["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"].shape == (16, TINY.hidden_size)
    assert adapter_config == {
        "base_model_name_or_path": TINY_REPO_ID,
        "peft_type": "LORA",
        "r": 16,
        "lora_alpha": 32,
        "target_modules": adapter_config["target_modules"],
    }
    assert sorted(adapter_config["target_modules"]) == sorted(p.split(".")[1] for p in projections)
    assert not list(run.adapter_dir.glob("model*.safetensors")), "merged weights should not be written"


def test_peft_applies_the_adapter_exactly_as_torchtune_trained_it(run: Run, tiny_model_dir: Path) -> None:
    tokens = torch.arange(TINY.vocab_size).reshape(8, -1)[:, :64]
    base = AutoModelForCausalLM.from_pretrained(tiny_model_dir).eval()
    with torch.no_grad():
        base_logits = base(tokens).logits
        peft_logits = PeftModel.from_pretrained(base, run.adapter_dir).eval()(tokens).logits

    assert (peft_logits - base_logits).abs().max() > 0.1
    torch.testing.assert_close(peft_logits, torchtune_logits(run, tiny_model_dir, tokens), atol=1e-4, rtol=1e-4)


def torchtune_logits(run: Run, tiny_model_dir: Path, tokens: torch.Tensor) -> torch.Tensor:
    """The trained model as TorchTune holds it: base weights plus its own adapter checkpoint."""
    resolved = OmegaConf.load(run.output_dir / "torchtune_config.yaml")
    model = config.instantiate(resolved.model)
    checkpointer = training.FullModelHFCheckpointer(
        checkpoint_dir=str(tiny_model_dir),
        checkpoint_files=["model.safetensors"],
        model_type="LLAMA3",
        output_dir=str(run.output_dir / "reload"),
    )
    model.load_state_dict(checkpointer.load_checkpoint()[training.MODEL_KEY], strict=False)
    adapter = torch.load(run.adapter_dir / "adapter_model.pt", weights_only=True)
    missing, unexpected = model.load_state_dict(adapter, strict=False)
    assert not unexpected
    assert not [key for key in missing if "lora" in key]
    with torch.no_grad():
        return model.eval()(tokens)
