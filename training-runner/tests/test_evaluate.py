"""The held-out prompts are exactly the start of what the model was trained on."""

from pathlib import Path

import pytest
from torchtune.data import OpenAIToMessages
from torchtune.models.llama3 import llama3_tokenizer

from tech_lead_trainer import evaluate
from tech_lead_trainer.dataset import Example, read_jsonl
from tech_lead_trainer.evaluate import prompt_tokens

TS_DATASET = Path(__file__).parents[2] / "test" / "fixtures" / "dataset"


def test_the_prompt_is_the_training_sequence_up_to_the_answer(tiny_model_dir: Path) -> None:
    tokenizer = llama3_tokenizer(
        str(tiny_model_dir / "original" / "tokenizer.model"),
        special_tokens_path=str(tiny_model_dir / "tokenizer.json"),
    )
    for example in read_jsonl(TS_DATASET / "eval.jsonl", "eval.jsonl"):
        trained, _ = tokenizer.tokenize_messages(OpenAIToMessages()({"messages": list(example.messages)})["messages"])
        prompt = prompt_tokens(tokenizer, example)

        assert trained[: len(prompt)] == prompt
        # What follows is the reviewer's answer, then <|eot_id|> <|end_of_text|>.
        assert tokenizer.decode(trained[len(prompt) : -2]) == example.answer


class CharTokenizer:
    """One token per character: enough for _point, which only encodes a label word and decodes."""

    def encode(self, text: str, add_bos: bool, add_eos: bool) -> list[int]:
        return [ord(c) for c in text]

    def decode(self, tokens: list[int]) -> str:
        return "".join(map(chr, tokens))


def test_pointing_reuses_an_answer_that_starts_with_the_label_word(monkeypatch: pytest.MonkeyPatch) -> None:
    system = {"role": "system", "content": "You are alice."}
    user = {"role": "user", "content": "File: a.py\n@@ -1,9 +1,9 @@\nline 3: +import sys\nold line 9: -    check()"}
    examples = [
        Example(messages=(system, user, {"role": "assistant", "content": answer}), kind=kind)
        for answer, kind in [
            ("line 3: Unused.", "positive"),  # the adapter said "line 1: ..." itself: reused
            ("old line 9: Why?", "positive"),  # it said NO COMMENT: started again
            ("NO COMMENT", "negative"),  # nothing to point at
        ]
    ]
    prompts = [[1], [2], [3]]
    own = [list(map(ord, "line 1: Looks odd to me.")), list(map(ord, "NO COMMENT")), list(map(ord, "NO COMMENT"))]
    asked: list[list[int]] = []

    def generate_all(model, tokenizer, started, batch_size, max_new_tokens, device):
        asked.extend(started)
        return [" 9: Why remove"[:max_new_tokens] for _ in started], [0.0] * len(started), [[] for _ in started]

    monkeypatch.setattr(evaluate, "_generate_all", generate_all)
    pointed = evaluate._point(None, CharTokenizer(), examples, prompts, own, 8, 32, None)

    # Only the hunk whose answer did not start with its label word is generated again.
    assert asked == [[2, *map(ord, "old line")]]
    # The reused answer is cut where a started one would stop: POINTING_TOKENS after the word.
    assert pointed == ["line" + " 1: Looks odd to me."[: evaluate.POINTING_TOKENS], "old line 9: Why ", None]
