"""A tiny random-weight LLaMA 3.1 model in Hugging Face layout, made offline.

The directory it writes looks like a download of a real Llama 3.1 Instruct
checkpoint, scaled down, so that the same code paths load it:

- ``config.json`` + ``model.safetensors``: ``LlamaForCausalLM`` weights, read
  by TorchTune's ``FullModelHFCheckpointer``, by ``transformers`` and by vLLM;
- ``original/tokenizer.model``: tiktoken ranks, read by TorchTune's
  ``llama3_tokenizer``;
- ``tokenizer.json`` + ``tokenizer_config.json``: the same tokenizer for
  ``AutoTokenizer`` (and so for vLLM), with the chat template that renders
  exactly the token sequence TorchTune trains on;
- ``original_repo_id.json``: what ``tune download`` writes; TorchTune copies
  it into ``adapter_config.json`` as ``base_model_name_or_path``.

The tokenizer is a byte-level BPE trained on a few KB of review-like text, so
its vocabulary fits the tiny embedding; the Llama 3 special tokens follow the
BPE vocabulary at the same offsets as in Llama 3 (``<|begin_of_text|>`` is the
first id after it). Everything is seeded: two builds give identical files.
"""

from __future__ import annotations

import argparse
import base64
import json
import math
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors.torch import save_file
from tokenizers import AddedToken, Regex, Tokenizer, decoders, pre_tokenizers, processors
from tokenizers.models import BPE
from tokenizers.trainers import BpeTrainer

# TorchTune's own split pattern (the Llama 3 / cl100k regex): the Hugging Face
# tokenizer must pre-tokenize exactly as TorchTune's tiktoken wrapper does.
from torchtune.models.llama3._tokenizer import CL100K_PATTERN

from tech_lead_trainer.testing.corpus import CORPUS

# Llama 3's special tokens in id order (offset from the first special id), as
# far as TorchTune's Llama3Tokenizer requires them. Llama 3.2 puts <|image|> at
# offset 256; here it takes the free offset 11 to keep the block contiguous.
SPECIAL_TOKENS = (
    "<|begin_of_text|>",
    "<|end_of_text|>",
    "<|reserved_special_token_0|>",
    "<|reserved_special_token_1|>",
    "<|finetune_right_pad_id|>",
    "<|step_id|>",
    "<|start_header_id|>",
    "<|end_header_id|>",
    "<|eom_id|>",
    "<|eot_id|>",
    "<|python_tag|>",
    "<|image|>",
    "<|video|>",
)

# The Llama 3 Instruct template: the one whose rendering matches TorchTune's
# Llama3Tokenizer.tokenize_messages token for token. (Llama 3.1's own template
# adds a "Cutting Knowledge Date" preamble to the system turn, which TorchTune
# never trains on.)
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'"
    " + message['content'] | trim + '<|eot_id|>' %}"
    "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}"
    "{{ content }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}"
)

TINY_REPO_ID = "tech-lead-bot/tiny-random-llama-3.1"


@dataclass(frozen=True)
class TinyModelSpec:
    """Dimensions of the tiny model, shared by its HF config and TorchTune's builder."""

    base_vocab_size: int = 1024 - len(SPECIAL_TOKENS)  # BPE tokens; all ids fill 1024
    num_layers: int = 2
    hidden_size: int = 64
    # head_dim 32: vLLM's CPU attention backend (the end-to-end serving test)
    # supports head sizes 32, 64, 80, ... and rejects 16.
    num_heads: int = 2
    num_kv_heads: int = 1
    intermediate_size: int = 128
    max_seq_len: int = 131_072  # Llama 3.1's context; only sizes RoPE tables
    rope_theta: float = 500_000.0
    rope_scale_factor: int = 8
    norm_eps: float = 1e-5
    seed: int = 0

    @property
    def vocab_size(self) -> int:
        return self.base_vocab_size + len(SPECIAL_TOKENS)

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.num_heads

    def special_token_ids(self) -> dict[str, int]:
        return {token: self.base_vocab_size + i for i, token in enumerate(SPECIAL_TOKENS)}


TINY = TinyModelSpec()


def build_tiny_model(output_dir: Path, spec: TinyModelSpec = TINY, repo_id: str = TINY_REPO_ID) -> Path:
    """Write the tiny model and its tokenizer into ``output_dir`` and return it."""
    output_dir = Path(output_dir)
    (output_dir / "original").mkdir(parents=True, exist_ok=True)

    ranks = train_byte_level_bpe(CORPUS, spec.base_vocab_size)
    write_tiktoken_model(ranks, output_dir / "original" / "tokenizer.model")
    hf_tokenizer = tokenizer_from_ranks(ranks, spec.special_token_ids())
    hf_tokenizer.save(str(output_dir / "tokenizer.json"))

    ids = spec.special_token_ids()
    stop_ids = [ids["<|end_of_text|>"], ids["<|eom_id|>"], ids["<|eot_id|>"]]
    _write_json(output_dir / "tokenizer_config.json", _tokenizer_config(spec))
    _write_json(
        output_dir / "special_tokens_map.json",
        {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"},
    )
    _write_json(
        output_dir / "generation_config.json",
        {"bos_token_id": ids["<|begin_of_text|>"], "eos_token_id": stop_ids},
    )
    _write_json(output_dir / "config.json", _hf_config(spec, ids["<|begin_of_text|>"], stop_ids))
    _write_json(output_dir / "original_repo_id.json", {"repo_id": repo_id})
    save_file(random_state_dict(spec), str(output_dir / "model.safetensors"), metadata={"format": "pt"})
    return output_dir


def recipe_overrides(model_dir: Path, spec: TinyModelSpec = TINY) -> list[str]:
    """``key=value`` overrides that turn our 8B recipe config into the tiny CPU run.

    Everything else (dataset, LoRA placement, checkpointer, loss) stays as the
    real config has it.
    """
    return [
        f"base_model_dir={model_dir}",
        "model._component_=torchtune.models.llama3_1.lora_llama3_1",
        f"model.vocab_size={spec.vocab_size}",
        f"model.num_layers={spec.num_layers}",
        f"model.num_heads={spec.num_heads}",
        f"model.num_kv_heads={spec.num_kv_heads}",
        f"model.embed_dim={spec.hidden_size}",
        f"model.intermediate_dim={spec.intermediate_size}",
        f"model.max_seq_len={spec.max_seq_len}",
        f"model.rope_base={int(spec.rope_theta)}",
        f"model.scale_factor={spec.rope_scale_factor}",
        f"model.norm_eps={spec.norm_eps}",
        "checkpointer.checkpoint_files=[model.safetensors]",
        # The tiny vocabulary puts the special tokens at other ids than Llama 3's.
        f"tokenizer.special_tokens_path={model_dir}/tokenizer.json",
        "device=cpu",
        "dtype=fp32",
        "optimizer.fused=False",
        "enable_activation_checkpointing=False",
        "log_peak_memory_stats=False",
    ]


def train_byte_level_bpe(text: str, vocab_size: int) -> dict[bytes, int]:
    """Train a byte-level BPE on ``text``; return tiktoken ranks (token bytes -> id)."""
    tokenizer = Tokenizer(BPE())
    tokenizer.pre_tokenizer = _pre_tokenizer()
    trainer = BpeTrainer(
        vocab_size=vocab_size,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator([text], trainer=trainer)
    decode_char = {char: byte for byte, char in _bytes_to_unicode().items()}
    ranks = {bytes(decode_char[char] for char in token): token_id for token, token_id in tokenizer.get_vocab().items()}
    if sorted(ranks.values()) != list(range(vocab_size)):
        raise ValueError(
            f"BPE training gave {len(ranks)} tokens, expected {vocab_size}; give it more text or ask for fewer tokens"
        )
    return ranks


def write_tiktoken_model(ranks: dict[bytes, int], path: Path) -> None:
    """Write ranks in tiktoken's ``tokenizer.model`` format: ``base64(token) rank`` per line."""
    lines = [
        f"{base64.b64encode(token).decode()} {rank}\n" for token, rank in sorted(ranks.items(), key=lambda x: x[1])
    ]
    Path(path).write_text("".join(lines))


def tokenizer_from_ranks(ranks: dict[bytes, int], special_token_ids: dict[str, int]) -> Tokenizer:
    """A Hugging Face tokenizer that encodes exactly as tiktoken does with ``ranks``.

    tiktoken merges, at each step, the adjacent pair whose concatenation has the
    lowest rank; a BPE model with every (left, right) split of every token as a
    merge, ordered by the rank of the result, does the same. ``ignore_merges``
    mirrors tiktoken's whole-piece lookup. This is how the published Llama 3
    ``tokenizer.json`` relates to its ``tokenizer.model``.
    """
    to_char = _bytes_to_unicode()

    def as_str(token: bytes) -> str:
        return "".join(to_char[byte] for byte in token)

    merges = sorted(
        (rank, ranks[token[:i]], ranks[token[i:]], token[:i], token[i:])
        for token, rank in ranks.items()
        for i in range(1, len(token))
        if token[:i] in ranks and token[i:] in ranks
    )
    model = BPE(
        vocab={as_str(token): rank for token, rank in ranks.items()},
        merges=[(as_str(left), as_str(right)) for *_, left, right in merges],
        ignore_merges=True,
    )
    tokenizer = Tokenizer(model)
    tokenizer.pre_tokenizer = _pre_tokenizer()
    tokenizer.decoder = decoders.ByteLevel()
    bos_id = special_token_ids["<|begin_of_text|>"]
    tokenizer.post_processor = processors.Sequence(
        [
            processors.ByteLevel(trim_offsets=False),
            processors.TemplateProcessing(
                single="<|begin_of_text|> $A",
                pair="<|begin_of_text|> $A <|begin_of_text|> $B",
                special_tokens=[("<|begin_of_text|>", bos_id)],
            ),
        ]
    )
    ordered = sorted(special_token_ids.items(), key=lambda item: item[1])
    if [token_id for _, token_id in ordered] != list(range(len(ranks), len(ranks) + len(ordered))):
        raise ValueError("special token ids must directly follow the BPE vocabulary")
    tokenizer.add_special_tokens([AddedToken(token, special=True, normalized=False) for token, _ in ordered])
    return tokenizer


def random_state_dict(spec: TinyModelSpec) -> dict[str, torch.Tensor]:
    """Seeded random weights under ``LlamaForCausalLM``'s parameter names.

    Projections are scaled by 1/sqrt(fan_in) so that logits span a useful range
    and a LoRA adapter can visibly move them.
    """
    generator = torch.Generator().manual_seed(spec.seed)
    kv_dim = spec.num_kv_heads * spec.head_dim

    def linear(out_features: int, in_features: int) -> torch.Tensor:
        return torch.randn(out_features, in_features, generator=generator) / math.sqrt(in_features)

    state = {"model.embed_tokens.weight": torch.randn(spec.vocab_size, spec.hidden_size, generator=generator)}
    for layer in range(spec.num_layers):
        prefix = f"model.layers.{layer}"
        state[f"{prefix}.self_attn.q_proj.weight"] = linear(spec.hidden_size, spec.hidden_size)
        state[f"{prefix}.self_attn.k_proj.weight"] = linear(kv_dim, spec.hidden_size)
        state[f"{prefix}.self_attn.v_proj.weight"] = linear(kv_dim, spec.hidden_size)
        state[f"{prefix}.self_attn.o_proj.weight"] = linear(spec.hidden_size, spec.hidden_size)
        state[f"{prefix}.mlp.gate_proj.weight"] = linear(spec.intermediate_size, spec.hidden_size)
        state[f"{prefix}.mlp.up_proj.weight"] = linear(spec.intermediate_size, spec.hidden_size)
        state[f"{prefix}.mlp.down_proj.weight"] = linear(spec.hidden_size, spec.intermediate_size)
        state[f"{prefix}.input_layernorm.weight"] = torch.ones(spec.hidden_size)
        state[f"{prefix}.post_attention_layernorm.weight"] = torch.ones(spec.hidden_size)
    state["model.norm.weight"] = torch.ones(spec.hidden_size)
    state["lm_head.weight"] = linear(spec.vocab_size, spec.hidden_size)
    return state


def _pre_tokenizer() -> pre_tokenizers.PreTokenizer:
    return pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(CL100K_PATTERN), behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2's byte-level alphabet: every byte as a printable character."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    mapping = {byte: chr(byte) for byte in printable}
    extra = 0
    for byte in range(256):
        if byte not in mapping:
            mapping[byte] = chr(256 + extra)
            extra += 1
    return mapping


def _tokenizer_config(spec: TinyModelSpec) -> dict[str, object]:
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": "<|begin_of_text|>",
        "eos_token": "<|eot_id|>",
        "clean_up_tokenization_spaces": False,
        "model_input_names": ["input_ids", "attention_mask"],
        "model_max_length": spec.max_seq_len,
        "chat_template": CHAT_TEMPLATE,
    }


def _hf_config(spec: TinyModelSpec, bos_id: int, stop_ids: list[int]) -> dict[str, object]:
    # The layout of Meta's Llama-3.1-8B-Instruct config.json, with tiny sizes.
    return {
        "architectures": ["LlamaForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": bos_id,
        "eos_token_id": stop_ids,
        "head_dim": spec.head_dim,
        "hidden_act": "silu",
        "hidden_size": spec.hidden_size,
        "initializer_range": 0.02,
        "intermediate_size": spec.intermediate_size,
        "max_position_embeddings": spec.max_seq_len,
        "mlp_bias": False,
        "model_type": "llama",
        "num_attention_heads": spec.num_heads,
        "num_hidden_layers": spec.num_layers,
        "num_key_value_heads": spec.num_kv_heads,
        "pretraining_tp": 1,
        "rms_norm_eps": spec.norm_eps,
        "rope_scaling": {
            "factor": float(spec.rope_scale_factor),
            "high_freq_factor": 4.0,
            "low_freq_factor": 1.0,
            "original_max_position_embeddings": 8192,
            "rope_type": "llama3",
        },
        "rope_theta": spec.rope_theta,
        "tie_word_embeddings": False,
        "torch_dtype": "float32",
        "use_cache": True,
        "vocab_size": spec.vocab_size,
    }


def _write_json(path: Path, value: object) -> None:
    path.write_text(json.dumps(value, indent=2) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tech_lead_trainer.testing.tiny_model",
        description="Build the tiny model in MODEL_DIR and print the recipe overrides for it, one per line.",
    )
    parser.add_argument("model_dir", type=Path)
    model_dir = build_tiny_model(parser.parse_args(argv).model_dir.resolve())
    print("\n".join(recipe_overrides(model_dir)))


if __name__ == "__main__":
    main()
