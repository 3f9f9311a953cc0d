"""The trainer reads answers by the review step's grammar: contracts/answer-grammar.json, which
the TypeScript tests (test/unit/answer-grammar.test.ts) read too."""

import json
from pathlib import Path

import pytest

from tech_lead_trainer.metrics import parse_answer, prompt_labels

GRAMMAR = json.loads((Path(__file__).parents[2] / "contracts" / "answer-grammar.json").read_text())
LABELS = prompt_labels(GRAMMAR["hunk"]["prompt"])


def test_the_labels_are_read_back_from_the_prompt() -> None:
    assert LABELS == ["line 10", "old line 11", "line 11", "line 12", "line 13", "line 14"]


def test_there_are_cases_of_every_kind() -> None:
    assert {case["expected"]["kind"] for case in GRAMMAR["cases"]} == {"comment", "none", "unreadable"}


@pytest.mark.parametrize("case", GRAMMAR["cases"], ids=[case["name"] for case in GRAMMAR["cases"]])
def test_reads_the_golden_case(case: dict) -> None:
    parsed = parse_answer(case["answer"], LABELS)
    read = {"kind": parsed.kind}
    if parsed.is_comment:
        read |= {"label": parsed.label, "body": parsed.text}
    assert read == case["expected"]
