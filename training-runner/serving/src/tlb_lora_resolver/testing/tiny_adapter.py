"""A random-weight PEFT LoRA adapter for the tiny model, as the trainer would upload it.

``init_lora_weights=False`` draws both A and B at random (PEFT's default
zero B would make the adapter a no-op), so the adapter visibly changes the
model's output.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

# The modules the trainer's recipe adapts (configs/llama3_1_8B_lora.yaml: attention and MLP).
TARGET_MODULES = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


def base_model_id(model_dir: Path) -> str:
    """The id TorchTune writes into adapter_config.json: original_repo_id.json's, else the path."""
    repo_id_file = Path(model_dir) / "original_repo_id.json"
    if repo_id_file.is_file():
        return json.loads(repo_id_file.read_text())["repo_id"]
    return str(model_dir)


def make_random_adapter(model_dir: Path, output_dir: Path, rank: int = 8, seed: int = 0) -> Path:
    """Write adapter_model.safetensors and adapter_config.json for the model in ``model_dir``."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    config = LoraConfig(
        r=rank,
        lora_alpha=2 * rank,
        target_modules=list(TARGET_MODULES),
        init_lora_weights=False,
        task_type="CAUSAL_LM",
    )
    get_peft_model(model, config).save_pretrained(output_dir)
    # Written afterwards, as TorchTune does: with a Hub id in the config,
    # save_pretrained would try to reach the Hub.
    config_path = Path(output_dir) / "adapter_config.json"
    adapter_config = json.loads(config_path.read_text())
    adapter_config["base_model_name_or_path"] = base_model_id(model_dir)
    config_path.write_text(json.dumps(adapter_config, indent=2) + "\n")
    return Path(output_dir)


def write_stub_adapter(adapter_dir: Path, base_model: str, rank: int = 8, **config: object) -> Path:
    """A small all-zero adapter in PEFT's layout, without loading a model; ``config`` overrides fields."""
    import numpy as np
    from safetensors.numpy import save_file

    adapter_dir.mkdir(parents=True, exist_ok=True)
    adapter_config = {
        "peft_type": "LORA",
        "base_model_name_or_path": base_model,
        "r": rank,
        "lora_alpha": 2 * rank,
        "target_modules": ["q_proj"],
        "task_type": "CAUSAL_LM",
        **config,
    }
    (adapter_dir / "adapter_config.json").write_text(json.dumps(adapter_config))
    prefix = "base_model.model.model.layers.0.self_attn.q_proj"
    tensors = {
        f"{prefix}.lora_A.weight": np.zeros((rank, 64), np.float32),
        f"{prefix}.lora_B.weight": np.zeros((64, rank), np.float32),
    }
    save_file(tensors, str(adapter_dir / "adapter_model.safetensors"))
    return adapter_dir


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tlb_lora_resolver.testing.tiny_adapter",
        description="Write a random LoRA adapter for the tiny model in MODEL_DIR into OUTPUT_DIR.",
    )
    parser.add_argument("model_dir", type=Path)
    parser.add_argument("output_dir", type=Path)
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print(make_random_adapter(args.model_dir, args.output_dir, rank=args.rank, seed=args.seed))


if __name__ == "__main__":
    main()
