"""The dataset the prepare step wrote: read, checked line by line, and described.

Each line of ``train.jsonl`` and ``eval.jsonl`` is
``{"messages": [system, user, assistant], "rejected"?, "meta": {"pr", "path", "kind", "commentId"?}}``;
a negative example's answer is exactly ``NO COMMENT``. ``rejected``, on feedback the reviewer
turned down only, is the bot's answer they refused: the losing side of a preference pair whose
winner is the messages' answer (the DPO run's, feedback-method ``dpo``; SFT ignores it).
``kind`` says where an example comes from
(``src/dataset/build.ts``, ``ExampleKind``): the reviewer's own comments and the hunks they left
alone, or their feedback on the bot's comments in their voice (training split only). The messages are finished
prompts (the TypeScript side builds them): nothing here rebuilds or edits them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tech_lead_trainer.errors import TrainerError

NO_COMMENT = "NO COMMENT"
# Kinds whose answer is a comment, and kinds whose answer is NO COMMENT.
COMMENT_KINDS = frozenset({"positive", "feedback-positive", "feedback-correction"})
SILENT_KINDS = frozenset({"negative", "feedback-negative"})
# Kinds that may carry the bot's refused answer (``rejected``): feedback the reviewer turned down.
TURNED_DOWN_KINDS = frozenset({"feedback-negative", "feedback-correction"})
ROLES = ("system", "user", "assistant")


@dataclass(frozen=True)
class Example:
    messages: tuple[dict[str, str], ...]
    kind: str  # one of COMMENT_KINDS or SILENT_KINDS
    rejected: str | None = None  # the bot's answer the reviewer turned down (TURNED_DOWN_KINDS only)

    @property
    def comments(self) -> bool:
        """Whether the expected answer is a comment (else NO COMMENT)."""
        return self.kind in COMMENT_KINDS

    @property
    def prompt(self) -> tuple[dict[str, str], ...]:
        return self.messages[:2]

    @property
    def answer(self) -> str:
        return self.messages[2]["content"]

    def preference(self) -> dict[str, list[dict[str, str]]]:
        """The pair TorchTune's preference_dataset reads: the same prompt, the answer the reviewer
        wanted (chosen) and the bot's that they turned down (rejected)."""
        if self.rejected is None:
            raise ValueError("not a turned-down example: it has no rejected answer")
        return {
            "chosen": [dict(m) for m in self.messages],
            "rejected": [*(dict(m) for m in self.prompt), {"role": "assistant", "content": self.rejected}],
        }


@dataclass(frozen=True)
class DatasetMeta:
    reviewer: str
    repository: str
    base_model: str
    adapter_id: str
    adapter_name: str
    retain: bool
    # The (user, assistant) turns the review step's base-model fallback shows before a hunk,
    # chosen by the prepare step; the base-few-shot baseline is asked with exactly these.
    few_shot: tuple[dict[str, str], ...]
    raw: dict[str, Any]

    @classmethod
    def parse(cls, text: bytes, uri: str) -> DatasetMeta:
        try:
            raw = json.loads(text)
            return cls(
                reviewer=str(raw["reviewer"]),
                repository=str(raw["repository"]),
                base_model=str(raw["baseModel"]),
                adapter_id=str(raw["adapterId"]),
                adapter_name=str(raw["adapterName"]),
                retain=raw.get("retain") is True,
                few_shot=_few_shot(raw.get("fewShot", [])),
                raw=raw,
            )
        except (ValueError, KeyError, TypeError) as error:
            raise TrainerError(
                f"{uri} is not the meta.json the prepare step writes ({error})."
                " Ask the bot again to rebuild the dataset.",
                title="Corrupt dataset",
            ) from None


def read_jsonl(path: Path, name: str, *, allow_empty: bool = False) -> list[Example]:
    """Parses and checks every line; an error names the file, the line and what is wrong."""
    examples = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line.rstrip("\r\n"))
            except json.JSONDecodeError as error:
                raise TrainerError(
                    f"{name} line {number} is not valid JSON ({error.msg} at character {error.pos + 1})."
                    " The dataset is corrupt; ask the bot again to rebuild it.",
                    title="Corrupt dataset",
                ) from None
            try:
                examples.append(_example(row))
            except ValueError as error:
                raise TrainerError(
                    f"{name} line {number} is not a valid training example: {error}."
                    " The dataset is corrupt; ask the bot again to rebuild it.",
                    title="Corrupt dataset",
                ) from None
    if not examples and not allow_empty:
        raise TrainerError(
            f"{name} holds no examples. Ask the bot again to rebuild the dataset.", title="Empty dataset"
        )
    return examples


def _example(row: object) -> Example:
    if not isinstance(row, dict) or not isinstance(row.get("messages"), list):
        raise ValueError('expected an object with a "messages" list')
    messages = row["messages"]
    roles = tuple(m.get("role") if isinstance(m, dict) else None for m in messages)
    if roles != ROLES:
        raise ValueError(f"expected messages with roles {list(ROLES)}, got {list(roles)}")
    if not all(isinstance(m.get("content"), str) and m["content"] for m in messages):
        raise ValueError("every message needs non-empty text content")
    meta = row.get("meta")
    kind = meta.get("kind") if isinstance(meta, dict) else None
    if kind not in COMMENT_KINDS | SILENT_KINDS:
        raise ValueError(f"expected meta.kind one of {', '.join(sorted(COMMENT_KINDS | SILENT_KINDS))}")
    answer = messages[2]["content"]
    if (kind in SILENT_KINDS) != (answer == NO_COMMENT):
        raise ValueError(
            f"a {kind} example's answer must {'' if kind in SILENT_KINDS else 'not '}be exactly {NO_COMMENT}"
        )
    rejected = row.get("rejected")
    if rejected is not None:
        if kind not in TURNED_DOWN_KINDS:
            kinds = ", ".join(sorted(TURNED_DOWN_KINDS))
            raise ValueError(f"only a turned-down example ({kinds}) has a rejected answer")
        if not isinstance(rejected, str) or not rejected or rejected in (NO_COMMENT, answer):
            raise ValueError("rejected must be the bot's comment: text other than NO COMMENT and the answer")
    return Example(
        messages=tuple({"role": m["role"], "content": m["content"]} for m in messages), kind=kind, rejected=rejected
    )


def write_preferences(path: Path, examples: Sequence[Example]) -> None:
    """The turned-down examples as TorchTune's preference_dataset reads them, one pair per line."""
    path.write_text("".join(json.dumps(e.preference(), ensure_ascii=False) + "\n" for e in examples), encoding="utf-8")


def _few_shot(messages: object) -> tuple[dict[str, str], ...]:
    if not isinstance(messages, list):
        raise ValueError("fewShot is not a list of messages")
    for index, message in enumerate(messages):
        role = "user" if index % 2 == 0 else "assistant"
        if not isinstance(message, dict) or message.get("role") != role or not isinstance(message.get("content"), str):
            raise ValueError(f"fewShot[{index}] is not a {role} message")
    if len(messages) % 2:
        raise ValueError("fewShot ends with a question without its answer")
    return tuple({"role": m["role"], "content": m["content"]} for m in messages)


def cap_examples(examples: list[Example], limit: int) -> list[Example]:
    """At most ``limit`` examples, in file order, keeping the share of positives and negatives.

    Both classes keep at least one example when both exist and the limit allows two: the
    comment decision cannot be measured on one class alone.
    """
    if len(examples) <= limit:
        return examples
    positives = [e for e in examples if e.comments]
    negatives = [e for e in examples if not e.comments]
    wanted = round(limit * len(positives) / len(examples))
    if positives and negatives and limit >= 2:
        wanted = min(max(wanted, 1), limit - 1)
    kept = {id(e) for e in positives[:wanted] + negatives[: limit - wanted]}
    return [e for e in examples if id(e) in kept]
