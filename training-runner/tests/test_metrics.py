"""Metric functions against values worked out by hand (the arithmetic is in the comments)."""

import math

import pytest

from tech_lead_trainer.dataset import Example
from tech_lead_trainer.metrics import (
    chrf,
    evaluate,
    label_word,
    matthews,
    pointing,
    precision_recall_f1,
    smoothed_bleu,
)

SYSTEM = {"role": "system", "content": "You are alice."}
# A hunk's rows as the prompt shows them: a context line, an added one, a deleted one, an added one.
ROWS = ["line 1:  import os", "line 3: +import sys", "old line 9: -    check()", "line 9: +    pass"]


def example(rows: list[str], answer: str) -> Example:
    """A held-out example whose prompt shows ``rows`` (``"line 3: +text"``) and whose answer is ``answer``."""
    user = {"role": "user", "content": "\n".join(["File: a.py", "@@ -1,9 +1,9 @@", *rows])}
    kind = "negative" if answer == "NO COMMENT" else "positive"
    return Example(messages=(SYSTEM, user, {"role": "assistant", "content": answer}), kind=kind)


def test_precision_recall_f1() -> None:
    # tp = 2, fp = 1, fn = 2: precision 2/3, recall 2/4, F1 = 2 * (2/3 * 1/2) / (2/3 + 1/2) = 4/7
    predicted = [True, True, True, False, False, False]
    expected = [True, True, False, True, True, False]
    precision, recall, f1 = precision_recall_f1(predicted, expected)
    assert (precision, recall) == pytest.approx((2 / 3, 1 / 2))
    assert f1 == pytest.approx(4 / 7)
    assert precision_recall_f1([False, False], [True, False]) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize(
    ("hypothesis", "reference", "bleu"),
    [
        # Identical: every n-gram matches, no brevity penalty.
        ("a b c d", "a b c d", 100.0),
        # 1-grams 3/4; smoothed 2-grams (1+1)/(3+1), 3-grams (0+1)/(2+1), 4-grams (0+1)/(1+1):
        # (3/4 * 1/2 * 1/3 * 1/2) ** (1/4) = (1/16) ** (1/4) = 1/2.
        ("a b x d", "a b c d", 50.0),
        # All 3 words match (4-grams: (0+1)/(0+1)); brevity penalty exp(1 - (6+1)/(3+1)) = exp(-3/4).
        ("the cat sat", "the cat sat on the mat", 100 * math.exp(-0.75)),
        # Case and punctuation are normalised away: both become "const ." .
        ("Const.", "const .", 100.0),
        # The script's empty hypothesis: every log-precision term is log(1) or log(min/min) = 0, the
        # brevity penalty exp(1 - (3+1)/(0+1)) = exp(-3).
        ("", "a b c", 100 * math.exp(-3)),
    ],
)
def test_smoothed_sentence_bleu_like_the_codereviewer_script(hypothesis: str, reference: str, bleu: float) -> None:
    assert smoothed_bleu([hypothesis], [reference]) == pytest.approx(bleu)


def test_bleu_is_the_average_of_sentence_scores() -> None:
    assert smoothed_bleu(["a b c d", "a b x d"], ["a b c d", "a b c d"]) == pytest.approx(75.0)
    assert smoothed_bleu([], []) == 0.0


@pytest.mark.parametrize(
    ("hypothesis", "reference", "score"),
    [
        ("ab", "ab", 100.0),
        # 1-grams: 1 of 2 match both ways; 2-grams "ab" vs "ac": none. P = R = (1/2 + 0)/2 = 1/4, F = 1/4.
        ("ab", "ac", 25.0),
        # 1-grams P 2/3, R 2/2; 2-grams P 1/2, R 1/1; 3-grams only in the hypothesis (not counted).
        # P = 7/12, R = 1; F2 = 5PR / (4P + R) = (35/12) / (40/12) = 7/8.
        ("abc", "ab", 87.5),
        # Whitespace is ignored.
        ("a b", "ab", 100.0),
        ("", "ab", 0.0),
    ],
)
def test_chrf(hypothesis: str, reference: str, score: float) -> None:
    assert chrf([hypothesis], [reference]) == pytest.approx(score)


def test_chrf_sums_statistics_over_the_corpus() -> None:
    # 1-grams: matches 2 + 1 of hypothesis 2 + 2 and reference 2 + 2 -> 3/4 both ways;
    # 2-grams: matches 1 + 0 of 1 + 1 -> 1/2 both ways. P = R = 5/8.
    assert chrf(["ab", "ab"], ["ab", "ac"]) == pytest.approx(62.5)


def test_matthews_correlation() -> None:
    # tp = 2, tn = 1, fp = 1, fn = 2: (2*1 - 1*2) / sqrt(3*4*2*3) = 0.
    assert matthews([True, True, True, False, False, False], [True, True, False, True, True, False]) == 0.0
    # tp = 2, tn = 2, fp = 0, fn = 1: (4 - 0) / sqrt(2*3*3*2) = 4/6.
    assert matthews([True, True, False, False, False], [True, True, True, False, False]) == pytest.approx(2 / 3)
    assert matthews([True, False], [True, False]) == 1.0
    assert matthews([False, True], [True, False]) == -1.0
    # Any constant answer scores 0, whatever the truth.
    for constant in (True, False):
        assert matthews([constant] * 4, [True, False, True, True]) == 0.0


def test_evaluate_a_model() -> None:
    examples = [
        example(ROWS, "line 3: Unused import."),
        example(ROWS, "old line 9: Why remove the check?"),
        example(ROWS, "NO COMMENT"),
        example(ROWS, "NO COMMENT"),
    ]
    # A right comment, a missed one, a comment on a negative, a right silence.
    outputs = ["line 3: Unused import.", "NO COMMENT", "line 1: Nit.", "NO COMMENT"]

    metrics = evaluate(examples, outputs)

    # tp = 1, fp = 1, fn = 1, tn = 1: P = R = F1 = 1/2, MCC = (1 - 1) / 4 = 0.
    assert (metrics["precision"], metrics["recall"], metrics["f1"], metrics["mcc"]) == (0.5, 0.5, 0.5, 0.0)
    # Among the one true positive: right line, identical text.
    assert (metrics["right_line"], metrics["bleu4"]) == (1.0, 100.0)
    assert metrics["score"] == 0.0  # MCC 0: no better than a constant
    assert metrics["examples"] == 4

    # Then a comment on each positive (one on the wrong line), and on the last negative a label
    # the hunk does not show, which the review step would drop: no comment.
    better = evaluate(examples, ["line 3: Unused import.", "line 9: Why?", "NO COMMENT", "line 7: Off the hunk."])
    assert better["mcc"] == 1.0
    assert better["right_line"] == 0.5
    assert better["score"] == pytest.approx((0.5 + better["bleu4"] / 100) / 2)


def test_pointing_counts_every_commented_hunk_whatever_the_model_decided() -> None:
    examples = [
        example(ROWS, "line 3: Unused import."),
        example(ROWS, "old line 9: Why remove the check?"),
        example(ROWS, "line 9: Why pass?"),
        example(ROWS, "NO COMMENT"),
    ]
    assert [label_word(e) for e in examples] == ["line", "old line", "line", None]

    # The right row (what follows the number does not matter); the new line 9 for the old one; a
    # row the answer never names.
    metrics = pointing(examples, ["line 3: Unu", "line 9: Why", "line", None])

    assert metrics == {"pointing": 1 / 3, "pointing_examples": 3.0}
    assert pointing(examples, ["line 3", "old line 9:", "line 09 ", None])["pointing"] == 1.0
    with pytest.raises(ValueError, match="4 examples but 3 pointing answers"):
        pointing(examples, [None] * 3)
