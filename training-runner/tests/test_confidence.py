"""The comment probability (contracts/confidence.md) and the per-adapter threshold chosen on it."""

import json
from pathlib import Path

import pytest

from tech_lead_trainer.confidence import calibrate, comment_probability
from tech_lead_trainer.dataset import Example

CONTRACTS = Path(__file__).parents[2] / "contracts"
GOLDEN = json.loads((CONTRACTS / "confidence-cases.json").read_text())["cases"]


def test_there_are_golden_cases() -> None:
    assert len(GOLDEN) >= 5


@pytest.mark.parametrize("case", GOLDEN, ids=[c["name"] for c in GOLDEN])
def test_golden_case(case: dict) -> None:
    assert comment_probability(case["tokens"]) == pytest.approx(case["confidence"], abs=1e-9)


def test_a_fluent_answer_leaning_to_no_comment_is_not_confident() -> None:
    fluent = [{"token": "line", "logprob": -1.6, "top_logprobs": [{"token": "NO", "logprob": -0.29}]}]
    fluent += [{"token": w, "logprob": -0.01, "top_logprobs": []} for w in (" 3", ":", " fine", " name")]
    hesitant = [{"token": "line", "logprob": -0.05, "top_logprobs": [{"token": "NO", "logprob": -3.0}]}]
    hesitant += [{"token": w, "logprob": -1.5, "top_logprobs": []} for w in (" 3", ":", " fine", " name")]

    assert comment_probability(fluent) == pytest.approx(0.25, abs=0.01)
    assert comment_probability(hesitant) == pytest.approx(0.95, abs=0.01)


# A constructed held-out set: (reference, the adapter's answer, its confidence).
HELD_OUT = [
    ("line 1: a", "line 1: x", 0.95),  # right
    ("NO COMMENT", "line 2: x", 0.9),  # wrong
    ("line 3: a", "line 3: x", 0.8),  # right
    ("line 4: a", "line 4: x", 0.6),  # right
    ("NO COMMENT", "line 5: x", 0.5),  # wrong
    ("NO COMMENT", "line 6: x", 0.4),  # wrong
    ("line 7: a", "NO COMMENT", 0.3),  # missed: never posted whatever the threshold
    ("NO COMMENT", "NO COMMENT", 0.1),
]


# Every answer's label must be a row of its prompt (contracts/answer-grammar.md).
HUNK = "File: src/a.ts\n@@ -1,7 +1,7 @@\n" + "\n".join(f"line {n}: +x" for n in range(1, 8))


def calibrated(target: float, rows=HELD_OUT) -> dict[str, float]:
    references, outputs, confidences = (list(column) for column in zip(*rows, strict=True))
    examples = [
        Example(
            (
                {"role": "system", "content": "s"},
                {"role": "user", "content": HUNK},
                {"role": "assistant", "content": reference},
            ),
            "negative" if reference == "NO COMMENT" else "positive",
        )
        for reference in references
    ]
    return calibrate(examples, outputs, confidences, target)


def test_the_lowest_threshold_whose_precision_reaches_the_target() -> None:
    # Precision at 0.4: 3/6, at 0.5: 3/5, at 0.6: 3/4 (reaches 0.7), at 0.8: 2/3, at 0.9: 1/2, at 0.95: 1.
    metrics = calibrated(0.7)

    assert metrics["min_confidence"] == 0.6
    assert metrics["min_confidence_precision"] == 0.75
    assert metrics["min_confidence_recall"] == 0.75
    assert metrics["min_confidence_target_met"] == 1.0
    assert metrics["min_confidence_target"] == 0.7


def test_when_every_comment_answer_reaches_the_target_nothing_is_filtered() -> None:
    rows = [row for row in HELD_OUT if row[2] >= 0.6]  # precision 3/4 from the least sure on

    metrics = calibrated(0.7, rows)

    # Not 0.6, the least sure held-out comment: a less sure one at review time is as likely right.
    assert metrics["min_confidence"] == 0.0
    assert (metrics["min_confidence_precision"], metrics["min_confidence_recall"]) == (0.75, 1.0)
    assert metrics["min_confidence_target_met"] == 1.0


def test_the_trade_off_is_reported_at_a_few_thresholds() -> None:
    metrics = calibrated(0.7)

    assert (metrics["precision_at_confidence_50"], metrics["recall_at_confidence_50"]) == (0.6, 0.75)
    assert (metrics["precision_at_confidence_90"], metrics["recall_at_confidence_90"]) == (0.5, 0.25)
    assert metrics["precision_at_confidence_25"] == 0.5


def test_a_target_no_threshold_reaches_stores_the_most_precise_and_says_so() -> None:
    rows = [row for row in HELD_OUT if row[2] != 0.95]  # the one sure right answer is gone

    # Precision at 0.4: 2/5, at 0.5: 2/4, at 0.6: 2/3, at 0.8: 1/2, at 0.9: 0/1.
    metrics = calibrated(0.7, rows)

    assert metrics["min_confidence"] == 0.6
    assert metrics["min_confidence_precision"] == pytest.approx(2 / 3)
    assert metrics["min_confidence_target_met"] == 0.0


def test_no_comment_answer_leaves_the_threshold_to_the_review_default() -> None:
    rows = [("line 1: a", "NO COMMENT", 0.2), ("NO COMMENT", "NO COMMENT", 0.1)]

    metrics = calibrated(0.7, rows)

    assert "min_confidence" not in metrics
    assert metrics["min_confidence_target_met"] == 0.0
