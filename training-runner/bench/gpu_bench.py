"""How fast our 8B LoRA config trains on this GPU: tokens/s, peak memory, and the wall time
1,000 examples would take. Random weights in the exact shape of Llama 3.1 8B Instruct, so it
needs no download and no hub access; only torch (CUDA), transformers and peft.

    python training-runner/bench/gpu_bench.py            (make gpu-bench; about 3-5 minutes)
    python training-runner/bench/gpu_bench.py --tiny     (a tiny shape on the CPU: checks the script)

It reads the training knobs from configs/llama3_1_8B_lora.yaml (LoRA rank, alpha, dropout and
modules, batch size, gradient accumulation, sequence length, dtype, activation checkpointing,
optimizer) and runs them through transformers + peft, because TorchTune is not installed on
the GPU machine: the numbers are the same model, the same LoRA and the same batch shape, not
TorchTune's exact kernels (its chunked loss needs a little less memory). Every line of output
is one JSON object: the setup, each step, and the result.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import torch
import yaml
from peft import LoraConfig, get_peft_model
from transformers import LlamaConfig, LlamaForCausalLM

CONFIG = Path(__file__).resolve().parents[1] / "configs" / "llama3_1_8B_lora.yaml"

# meta-llama/Llama-3.1-8B-Instruct's config.json, less what random weights do not need.
LLAMA_3_1_8B = {
    "vocab_size": 128256,
    "hidden_size": 4096,
    "intermediate_size": 14336,
    "num_hidden_layers": 32,
    "num_attention_heads": 32,
    "num_key_value_heads": 8,
    "max_position_embeddings": 131072,
    "rms_norm_eps": 1e-5,
    "rope_theta": 500000.0,
    "rope_scaling": {
        "factor": 8.0,
        "high_freq_factor": 4.0,
        "low_freq_factor": 1.0,
        "original_max_position_embeddings": 8192,
        "rope_type": "llama3",
    },
    "tie_word_embeddings": False,
}
# The same layout, small enough for a CPU in seconds (head_dim 32 as the tiny test model).
TINY = {
    **LLAMA_3_1_8B,
    "vocab_size": 1024,
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_hidden_layers": 2,
    "num_attention_heads": 2,
    "num_key_value_heads": 1,
}
# TorchTune's module names -> Hugging Face's.
ATTENTION_MODULES = {"q_proj": "q_proj", "k_proj": "k_proj", "v_proj": "v_proj", "output_proj": "o_proj"}
MLP_MODULES = ["gate_proj", "up_proj", "down_proj"]
DTYPES = {"bf16": torch.bfloat16, "fp32": torch.float32}


def emit(event: str, **fields: object) -> None:
    print(json.dumps({"event": event, **fields}), flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tiny", action="store_true", help="a tiny model on the CPU, to test this script")
    parser.add_argument("--steps", type=int, help="optimizer steps to time (default 8; 2 with --tiny)")
    parser.add_argument("--warmup-steps", type=int, default=2, help="untimed steps first (CUDA kernels, allocator)")
    parser.add_argument(
        "--tokens-per-example", type=int, default=600, help="average example length to project with (tokens)"
    )
    parser.add_argument("--seq-len", type=int, help="padded batch length (default: the config's max_seq_len)")
    parser.add_argument("--examples", type=int, default=1000, help="dataset size to project the wall time for")
    args = parser.parse_args(argv)

    recipe = yaml.safe_load(CONFIG.read_text())
    device = torch.device("cpu" if args.tiny else "cuda")
    if device.type == "cuda" and not torch.cuda.is_available():
        raise SystemExit("gpu-bench: no CUDA device; run it on the GPU runner, or with --tiny to test it on a CPU.")
    dtype = DTYPES[recipe["dtype"]]
    shape = TINY if args.tiny else LLAMA_3_1_8B
    steps = args.steps or (2 if args.tiny else 8)
    batch_size = 2 if args.tiny else int(recipe["batch_size"])
    accumulation = 1 if args.tiny else int(recipe["gradient_accumulation_steps"])
    seq_len = args.seq_len or (64 if args.tiny else int(recipe["tokenizer"]["max_seq_len"]))
    lora = recipe["model"]
    emit(
        "setup",
        device=torch.cuda.get_device_name() if device.type == "cuda" else "cpu",
        torch=torch.__version__,
        shape="tiny" if args.tiny else "Llama-3.1-8B",
        dtype=recipe["dtype"],
        lora_rank=lora["lora_rank"],
        lora_alpha=lora["lora_alpha"],
        batch_size=batch_size,
        gradient_accumulation_steps=accumulation,
        seq_len=seq_len,
        activation_checkpointing=recipe["enable_activation_checkpointing"],
        steps=steps,
    )

    started = time.monotonic()
    torch.manual_seed(0)
    with torch.device(device):
        model = LlamaForCausalLM._from_config(LlamaConfig(**shape), torch_dtype=dtype)
    targets = [ATTENTION_MODULES[name] for name in lora["lora_attn_modules"]]
    targets += MLP_MODULES if lora["apply_lora_to_mlp"] else []
    model = get_peft_model(
        model,
        LoraConfig(
            r=lora["lora_rank"],
            lora_alpha=lora["lora_alpha"],
            lora_dropout=lora["lora_dropout"],
            target_modules=targets,
            task_type="CAUSAL_LM",
        ),
    )
    if recipe["enable_activation_checkpointing"]:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        model.enable_input_require_grads()
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer_cfg = recipe["optimizer"]
    optimizer = torch.optim.AdamW(
        trainable,
        lr=float(optimizer_cfg["lr"]),
        weight_decay=float(optimizer_cfg["weight_decay"]),
        fused=bool(optimizer_cfg.get("fused")) and device.type == "cuda",
    )
    emit(
        "model",
        seconds=round(time.monotonic() - started, 1),
        parameters=sum(p.numel() for p in model.parameters()),
        trainable_parameters=sum(p.numel() for p in trainable),
    )

    generator = torch.Generator(device="cpu").manual_seed(0)

    def step() -> None:
        for _ in range(accumulation):
            tokens = torch.randint(0, shape["vocab_size"], (batch_size, seq_len), generator=generator).to(device)
            loss = model(input_ids=tokens, labels=tokens).loss / accumulation
            loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    def synchronize() -> None:
        if device.type == "cuda":
            torch.cuda.synchronize()

    for _ in range(args.warmup_steps):
        step()
    synchronize()
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats()
    timed_started = time.monotonic()
    for number in range(1, steps + 1):
        step_started = time.monotonic()
        step()
        synchronize()
        seconds = time.monotonic() - step_started
        emit(
            "step",
            step=number,
            seconds=round(seconds, 3),
            tokens_per_s=round(batch_size * accumulation * seq_len / seconds, 1),
        )
    seconds = time.monotonic() - timed_started

    tokens_per_s = steps * batch_size * accumulation * seq_len / seconds
    epochs = int(recipe["epochs"])
    # Examples are padded to the longest of their batch; tokens_per_example is the batch's length.
    projected = args.examples * epochs * args.tokens_per_example / tokens_per_s
    emit(
        "result",
        tokens_per_s=round(tokens_per_s, 1),
        seconds_per_step=round(seconds / steps, 3),
        peak_memory_gib=round(torch.cuda.max_memory_allocated() / 2**30, 2) if device.type == "cuda" else None,
        projected_training_s=round(projected, 0),
        projected_for=f"{args.examples} examples x {epochs} epochs at {args.tokens_per_example} tokens each",
        steps_per_epoch=math.ceil(
            args.examples / (int(recipe["batch_size"]) * int(recipe["gradient_accumulation_steps"]))
        ),
    )


if __name__ == "__main__":
    main()
