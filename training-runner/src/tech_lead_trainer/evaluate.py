"""Answers of the base model and of base + adapter to the held-out prompts.

One model, loaded as the recipe trained it (the resolved ``torchtune_config.yaml``
of the run, the base checkpoint, then the adapter); the base model's answers
come from the same weights with the adapter switched off. The adapter sees
exactly the prompt tokens a training example starts with (the profile's chat
format up to the assistant header); the base model sees the same prompt with the
few-shot turns the review step's fallback would send (the dataset's meta.json
carries them), so it is the baseline users would otherwise get. Both decode
greedily, at most ``max_new_tokens`` tokens, in left-padded batches with a KV
cache. The adapter's answers come with their confidence (contracts/confidence.md), read off the
logits of the answer's first tokens as vLLM reports them to the review step.

On each hunk the reviewer commented on, the adapter is also asked to point: its answer is started
with the word of the reviewer's label (``line`` or ``old line``) and it names a row, whether or not
it would have commented (metrics.pointing). Where its own answer already starts with that word, the
greedy continuation is that answer, so only the others are generated again.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from omegaconf import OmegaConf
from torchtune import config, training, utils
from torchtune.data import Message
from torchtune.generation import generate
from torchtune.modules.peft import disable_adapter

from tech_lead_trainer.confidence import TOP_LOGPROBS, comment_probability
from tech_lead_trainer.dataset import Example
from tech_lead_trainer.errors import TrainerError
from tech_lead_trainer.metrics import label_word
from tech_lead_trainer.run_recipe import is_out_of_memory

BATCH_SIZE = 8
# Tokens a pointing answer may take after its label word: a space, a line number, a colon.
POINTING_TOKENS = 8
# launch-l40s.sh's --max-model-len: the longest prompt plus answer the review step can send.
SERVED_CONTEXT = 8192


@dataclass(frozen=True)
class Answers:
    base: list[str]  # the base model with the few-shot turns
    adapter: list[str]
    adapter_confidence: list[float]
    # On the hunks the reviewer commented on: the adapter's answer started with their label's word
    # ("line 12: ..."); None on the others.
    adapter_pointed: list[str | None]


def prompt_tokens(tokenizer, example: Example, few_shot: Sequence[dict[str, str]] = ()) -> list[int]:
    """The example's prompt up to the assistant header; ``few_shot`` turns go after the system message."""
    system, user = example.prompt
    messages = [Message(role=m["role"], content=m["content"]) for m in (system, *few_shot, user)]
    tokens, _ = tokenizer.tokenize_messages([*messages, Message(role="assistant", content="")], add_end_tokens=False)
    return tokens


def answer_held_out(
    run_dir: Path,
    adapter_dir: Path,
    examples: Sequence[Example],
    few_shot: Sequence[dict[str, str]],
    max_new_tokens: int,
) -> tuple[Answers, list[Example]]:
    """Returns both models' answers and the examples they answered (those that fit)."""
    try:
        return _answer(run_dir, adapter_dir, examples, few_shot, max_new_tokens)
    except Exception as error:
        if is_out_of_memory(error):
            raise TrainerError(
                "Evaluation ran out of memory. Lower the max-eval-examples or max-new-tokens input,"
                " or tokenizer.max_seq_len in recipe-overrides.",
                title="Out of memory",
            ) from error
        raise


def _answer(
    run_dir: Path,
    adapter_dir: Path,
    examples: Sequence[Example],
    few_shot: Sequence[dict[str, str]],
    max_new_tokens: int,
) -> tuple[Answers, list[Example]]:
    cfg = OmegaConf.load(run_dir / "torchtune_config.yaml")
    device = utils.get_device(cfg.device)
    dtype = training.get_dtype(cfg.dtype, device)
    # Prompts whole, as the review step sends them to vLLM: tokenizer.max_seq_len bounds what
    # training sees, not what the served model is asked; the bound here is the served context.
    tokenizer = config.instantiate(cfg.tokenizer, max_seq_len=None)
    model = _load_model(cfg, adapter_dir, device, dtype)

    prompts = [prompt_tokens(tokenizer, example) for example in examples]
    shown = [prompt_tokens(tokenizer, example, few_shot) for example in examples]
    limit = min(OmegaConf.select(cfg, "model.max_seq_len", default=SERVED_CONTEXT), SERVED_CONTEXT) - max_new_tokens
    # Both models answer the same examples: those whose longer, few-shot prompt fits.
    kept = [i for i, prompt in enumerate(shown) if len(prompt) < limit]
    prompts, shown = [prompts[i] for i in kept], [shown[i] for i in kept]
    answered = [examples[i] for i in kept]
    if not prompts:
        return Answers(base=[], adapter=[], adapter_confidence=[], adapter_pointed=[]), []

    batch_size = min(BATCH_SIZE, len(prompts))
    with device:
        model.setup_caches(
            batch_size=batch_size, dtype=dtype, decoder_max_seq_len=max(map(len, shown)) + max_new_tokens
        )
    with disable_adapter(model):
        base, _, _ = _generate_all(model, tokenizer, shown, batch_size, max_new_tokens, device)
    adapter, confidence, generated = _generate_all(model, tokenizer, prompts, batch_size, max_new_tokens, device)
    pointed = _point(model, tokenizer, answered, prompts, generated, batch_size, max_new_tokens, device)
    return Answers(base, adapter, confidence, pointed), answered


def _point(
    model,
    tokenizer,
    examples: Sequence[Example],
    prompts: list[list[int]],
    generated: list[list[int]],
    batch_size: int,
    max_new_tokens: int,
    device: torch.device,
) -> list[str | None]:
    """The adapter's answers started with the label word of each hunk the reviewer commented on.

    ``generated``: the adapter's own answer tokens to ``prompts``; where they start with the word's
    tokens, greedy decoding of the started prompt would go on exactly as they do, so they are reused.
    ``batch_size``: the KV cache's.
    """
    pointed: list[str | None] = [None] * len(examples)
    words = {i: word for i, example in enumerate(examples) if (word := label_word(example))}
    forced = {i: tokenizer.encode(word, add_bos=False, add_eos=False) for i, word in words.items()}
    # The KV cache holds each prompt and max_new_tokens more: the started tokens come out of those.
    room = max_new_tokens - max(map(len, forced.values()), default=0)
    if not words or room < 3:
        return pointed
    length = min(POINTING_TOKENS, room)
    again = [i for i in words if generated[i][: len(forced[i])] != forced[i]]
    rest, _, _ = _generate_all(model, tokenizer, [prompts[i] + forced[i] for i in again], batch_size, length, device)
    continued = dict(zip(again, rest, strict=True))
    for i, word in words.items():
        own = generated[i][len(forced[i]) : len(forced[i]) + length]
        pointed[i] = word + (continued[i] if i in continued else tokenizer.decode(own))
    return pointed


def _load_model(cfg, adapter_dir: Path, device: torch.device, dtype: torch.dtype) -> torch.nn.Module:
    with training.set_default_dtype(dtype), device:
        model = config.instantiate(cfg.model)
    with tempfile.TemporaryDirectory() as scratch:
        checkpointer = training.FullModelHFCheckpointer(
            checkpoint_dir=cfg.checkpointer.checkpoint_dir,
            checkpoint_files=list(cfg.checkpointer.checkpoint_files),
            model_type=cfg.checkpointer.model_type,
            output_dir=scratch,
        )
        base_weights = checkpointer.load_checkpoint()[training.MODEL_KEY]
    model.load_state_dict(base_weights, strict=False)
    del base_weights
    adapter = torch.load(adapter_dir / "adapter_model.pt", map_location=device, weights_only=True)
    missing, unexpected = model.load_state_dict(adapter, strict=False)
    if unexpected or any("lora" in key for key in missing):
        raise TrainerError(f"The adapter in {adapter_dir} does not fit the model it was trained on.")
    return model.eval()


@torch.inference_mode()
def _generate_all(
    model, tokenizer, prompts: list[list[int]], batch_size: int, max_new_tokens: int, device: torch.device
) -> tuple[list[str], list[float], list[list[int]]]:
    """Each prompt's greedy answer, its confidence and its tokens (up to the stop token)."""
    # Shortest first: batches of similar length waste little on padding.
    order = sorted(range(len(prompts)), key=lambda i: len(prompts[i]))
    answers: dict[int, tuple[str, float, list[int]]] = {}
    stop = set(tokenizer.stop_tokens)
    for start in range(0, len(order), batch_size):
        indices = order[start : start + batch_size]
        # The KV cache has a fixed batch size: fill a short last batch with copies.
        rows = [prompts[i] for i in indices] + [prompts[indices[0]]] * (batch_size - len(indices))
        width = max(map(len, rows))
        batch = torch.tensor([[tokenizer.pad_id] * (width - len(row)) + row for row in rows], device=device)
        model.reset_caches()
        output, logits = generate(
            model,
            batch,
            max_generated_tokens=max_new_tokens,
            pad_id=tokenizer.pad_id,
            top_k=1,  # greedy
            stop_tokens=tokenizer.stop_tokens,
        )
        for row, index in enumerate(indices):
            generated = []
            for token in output[row, width:].tolist():
                if token in stop:
                    break
                generated.append(token)
            confidence = comment_probability(_token_logprobs(tokenizer, generated, logits[row]))
            answers[index] = (tokenizer.decode(generated), confidence, generated)
    ordered = [answers[i] for i in range(len(prompts))]
    return [a[0] for a in ordered], [a[1] for a in ordered], [a[2] for a in ordered]


def _token_logprobs(tokenizer, generated: list[int], logits: torch.Tensor) -> Iterator[dict[str, Any]]:
    """The answer's tokens as vLLM's chat API reports them, lazily: only the first few are read."""
    for position, token in enumerate(generated):
        logprobs = torch.log_softmax(logits[position].float(), dim=-1)
        top = torch.topk(logprobs, TOP_LOGPROBS)
        yield {
            "token": tokenizer.decode([token]),
            "logprob": logprobs[token].item(),
            "top_logprobs": [
                {"token": tokenizer.decode([t]), "logprob": lp}
                for t, lp in zip(top.indices.tolist(), top.values.tolist(), strict=True)
            ],
        }
