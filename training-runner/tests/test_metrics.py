"""Metric functions against values worked out by hand (the arithmetic is in the comments)."""

import math

import pytest

from tech_lead_trainer.metrics import (
    Answer,
    chrf,
    evaluate,
    parse_answer,
    precision_recall_f1,
    quality_gate,
    smoothed_bleu,
)


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("line 12: Prefer `const` here.", Answer("line 12", "Prefer `const` here.")),
        ("old line 3: Why remove this?\nSecond line.", Answer("old line 3", "Why remove this?")),
        ("  Line 7 :  Typo.", Answer("line 7", "Typo.")),
        ("NO COMMENT", Answer(None, "")),
        ("Looks good to me", Answer(None, "")),  # no line: the review step could not post it
        ("line 4:", Answer(None, "")),
    ],
)
def test_parse_answer(output: str, expected: Answer) -> None:
    assert parse_answer(output) == expected


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


def test_evaluate_a_model() -> None:
    references = ["line 3: Unused import.", "old line 9: Why remove the check?", "NO COMMENT", "NO COMMENT"]
    outputs = ["line 3: Unused import.", "NO COMMENT", "line 1: Nit.", "NO COMMENT"]

    metrics = evaluate(references, outputs)

    # Comments: predicted on 0 and 2, expected on 0 and 1 -> P = R = F1 = 1/2; same for no-comment.
    assert metrics["comment_precision"] == metrics["comment_recall"] == metrics["comment_f1"] == 0.5
    assert metrics["no_comment_f1"] == 0.5
    assert metrics["line_accuracy"] == 0.5
    # Positives only: an exact comment (100) and an empty hypothesis against a reference
    # of 5 tokens ("why remove the check ?") -> exp(-5) * 100.
    assert metrics["bleu4"] == pytest.approx((100 + 100 * math.exp(-5)) / 2)
    assert metrics["length_ratio"] == 1.0  # only the one pair both commented on
    assert metrics["score"] == pytest.approx(0.5 * 0.5 + 0.5 * metrics["bleu4"] / 100)
    assert metrics["examples"] == 4


def test_length_ratio_is_absent_when_the_model_never_comments() -> None:
    assert "length_ratio" not in evaluate(["line 1: Fix it."], ["NO COMMENT"])


@pytest.mark.parametrize(
    ("base", "adapter", "margin", "promote"),
    [
        (0.20, 0.30, 0.02, True),
        (0.20, 0.21, 0.02, False),  # better, but not by the margin
        (0.25, 0.5, 0.25, False),  # by exactly the margin is not "beats by more than"
        (0.20, 0.10, -1.0, True),  # a negative margin accepts a worse adapter
        (0.0, 1.0, 1.0, False),  # scores lie in 0..1: a margin of 1 can never pass
    ],
)
def test_quality_gate(base: float, adapter: float, margin: float, promote: bool) -> None:
    decision = quality_gate({"score": base}, {"score": adapter}, margin)
    assert decision.promote is promote
    assert (decision.base_score, decision.adapter_score, decision.margin) == (base, adapter, margin)
