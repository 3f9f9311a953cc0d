"""Training examples longer than the recipe's ``tokenizer.max_seq_len``, counted with the
tokenizer the recipe trains with.

TorchTune cuts a longer example from the end, which drops the reviewer's answer
(the part the model learns) and keeps only the prompt: such an example teaches
nothing and can teach the model to stop early. They are left out instead, and
the run says how many and how long they were.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from omegaconf import OmegaConf
from torchtune import config
from torchtune.data import OpenAIToMessages

from tech_lead_trainer.dataset import Example
from tech_lead_trainer.errors import TrainerError


@dataclass(frozen=True)
class Fitted:
    kept: list[int]  # indices of the examples that fit
    too_long: list[int]  # token counts of those that do not
    max_seq_len: int

    def note(self, total: int) -> str:
        return (
            f"{len(self.too_long)} of {total} training examples are longer than tokenizer.max_seq_len"
            f" {self.max_seq_len} tokens (the longest has {max(self.too_long)}), so they were left out rather than"
            " cut, which would drop the reviewer's answer. Raise tokenizer.max_seq_len in recipe-overrides"
            " (memory grows with it) or lower max-hunk-tokens in the prepare step."
        )


def fit_to_max_seq_len(config_path: Path, overrides: Sequence[str], examples: Sequence[Example]) -> Fitted:
    """Counts each example's training tokens (the full chat, end tokens included)."""
    cfg = OmegaConf.merge(OmegaConf.load(config_path), OmegaConf.from_dotlist(list(overrides)))
    limit = cfg.tokenizer.max_seq_len
    if limit is None:
        return Fitted(kept=list(range(len(examples))), too_long=[], max_seq_len=0)
    # Counted without the tokenizer's own truncation, which is what hides the problem.
    tokenizer = config.instantiate(OmegaConf.merge(cfg.tokenizer, {"max_seq_len": None}))
    to_messages = OpenAIToMessages()
    kept, too_long = [], []
    for index, example in enumerate(examples):
        tokens, _ = tokenizer.tokenize_messages(to_messages({"messages": list(example.messages)})["messages"])
        if len(tokens) <= limit:
            kept.append(index)
        else:
            too_long.append(len(tokens))
    fitted = Fitted(kept=kept, too_long=too_long, max_seq_len=int(limit))
    if not kept:
        raise TrainerError(
            f"Every training example is longer than tokenizer.max_seq_len {limit} tokens (the shortest has"
            f" {min(too_long)}). Raise tokenizer.max_seq_len in recipe-overrides or lower max-hunk-tokens in the"
            " prepare step.",
            title="Examples too long",
        )
    return fitted


def write_kept(path: Path, kept: Sequence[int]) -> None:
    """Rewrites a JSONL file with only the examples at ``kept`` (blank lines are not examples)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    path.write_text("".join(lines[index] + "\n" for index in kept), encoding="utf-8")
