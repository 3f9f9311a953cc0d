"""How good a reviewer's adapter is on held-out hunks, and whether it beats the base model.

A model's answer is one of: ``NO COMMENT``; a comment on a labelled line
(``line N: text`` / ``old line N: text``); or anything else, which the review
step could not place on a line and so would never post. Only the second kind
counts as a comment.

- comment / no-comment precision, recall, F1: did it comment where the
  reviewer did (positive examples) and stay quiet where they did not?
- ``line_accuracy``: of the reviewer's comments, the share answered on the same line.
- ``bleu4``: smoothed sentence BLEU-4 of the comment text against the
  reviewer's, averaged, computed as the CodeReviewer paper's evaluation script
  does (``smooth_bleu.py``, from CodeXGLUE): NLTK-style ``wordpunct`` tokens,
  lower case, NIST normalisation, add-one smoothing of the 2- to 4-gram
  precisions, the shortest reference length, and a brevity penalty with +1 on
  both lengths; 0 to 100. The script's optional stop-word removal is not
  applied (``rmstop=False``). An answer without a comment scores as an empty
  hypothesis, which that script gives ``exp(-reference length)``, not 0.
- ``chrf``: corpus chrF (character 1- to 6-grams, whitespace removed,
  precision and recall averaged over the orders present, beta = 2), 0 to 100;
  the test cases of tests/test_metrics.py give the same scores as sacreBLEU
  2.5.1's ``CHRF().corpus_score`` (compared once, by hand; not a dependency).
- ``length_ratio``: words of the model's comment over words of the
  reviewer's, averaged over the examples both commented on (absent when none).

The main metric, the one the quality gate compares, is
``score = 0.5 * comment_f1 + 0.5 * bleu4 / 100``: an adapter must both pick the
hunks the reviewer would comment on and say something close to what they said.
"""

from __future__ import annotations

import math
import re
import sys
import xml.sax.saxutils
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

NO_COMMENT = "NO COMMENT"
_LABELLED = re.compile(r"^(?P<label>(?:old )?line \d+)\s*:\s*(?P<text>\S.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Answer:
    label: str | None  # "line 12" / "old line 3", lower case; None when not a comment
    text: str  # the comment without its label; "" when not a comment

    @property
    def is_comment(self) -> bool:
        return self.label is not None


def parse_answer(output: str) -> Answer:
    first_line = output.strip().split("\n", 1)[0].strip()
    match = _LABELLED.match(first_line)
    if not match:
        return Answer(label=None, text="")
    return Answer(label=" ".join(match["label"].lower().split()), text=match["text"].strip())


def evaluate(references: Sequence[str], outputs: Sequence[str]) -> dict[str, float]:
    """All metrics of one model's ``outputs`` against the reviewer's ``references``."""
    if len(references) != len(outputs):
        raise ValueError(f"{len(references)} references but {len(outputs)} outputs")
    expected = [parse_answer(reference) for reference in references]
    predicted = [parse_answer(output) for output in outputs]
    metrics: dict[str, float] = {}
    for name, wanted in (("comment", True), ("no_comment", False)):
        precision, recall, f1 = precision_recall_f1(
            [p.is_comment == wanted for p in predicted], [e.is_comment == wanted for e in expected]
        )
        metrics |= {f"{name}_precision": precision, f"{name}_recall": recall, f"{name}_f1": f1}

    pairs = [(e, p) for e, p in zip(expected, predicted, strict=True) if e.is_comment]
    metrics["line_accuracy"] = sum(e.label == p.label for e, p in pairs) / len(pairs) if pairs else 0.0
    metrics["bleu4"] = smoothed_bleu([p.text for _, p in pairs], [e.text for e, _ in pairs])
    metrics["chrf"] = chrf([p.text for _, p in pairs], [e.text for e, _ in pairs])
    ratios = [len(p.text.split()) / len(e.text.split()) for e, p in pairs if p.is_comment]
    if ratios:
        metrics["length_ratio"] = sum(ratios) / len(ratios)
    metrics["score"] = review_score(metrics)
    metrics["examples"] = float(len(references))
    return metrics


def review_score(metrics: dict[str, float]) -> float:
    """The main metric: comment F1 and BLEU-4 (scaled to 0..1) with equal weight."""
    return 0.5 * metrics["comment_f1"] + 0.5 * metrics["bleu4"] / 100


@dataclass(frozen=True)
class GateDecision:
    promote: bool
    base_score: float
    adapter_score: float
    margin: float


def quality_gate(base: dict[str, float], adapter: dict[str, float], margin: float) -> GateDecision:
    """The adapter is promoted only when its score beats the base model's by more than ``margin``."""
    return GateDecision(
        promote=adapter["score"] > base["score"] + margin,
        base_score=base["score"],
        adapter_score=adapter["score"],
        margin=margin,
    )


def precision_recall_f1(predicted: Sequence[bool], expected: Sequence[bool]) -> tuple[float, float, float]:
    true_positive = sum(p and e for p, e in zip(predicted, expected, strict=True))
    predicted_positive, expected_positive = sum(predicted), sum(expected)
    precision = true_positive / predicted_positive if predicted_positive else 0.0
    recall = true_positive / expected_positive if expected_positive else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


# --- BLEU-4 as in CodeReviewer's evaluator/smooth_bleu.py (CodeXGLUE code-to-text/evaluator/bleu.py) ---

# mteval-v11a.pl's normalisation, as that script applies it.
_NORMALIZE1 = [(re.compile(p), r) for p, r in ((r"<skipped>", ""), (r"-\n", ""), (r"\n", " "))]
_NORMALIZE2 = [
    (re.compile(p), r)
    for p, r in (
        (r"([\{-\~\[-\` -\&\(-\+\:-\@\/])", r" \1 "),  # punctuation (not the apostrophe)
        (r"([^0-9])([\.,])", r"\1 \2 "),  # period and comma unless preceded by a digit
        (r"([\.,])([^0-9])", r" \1 \2"),  # ... unless followed by a digit
        (r"([0-9])(-)", r"\1 \2 "),  # dash after a digit
    )
]


def smoothed_bleu(hypotheses: Sequence[str], references: Sequence[str]) -> float:
    """Average of smoothed sentence BLEU-4 scores, 0..100 (0 for no pairs)."""
    if not references:
        return 0.0
    scores = [_sentence_bleu(_prepare(h), _prepare(r)) for h, r in zip(hypotheses, references, strict=True)]
    return 100.0 * sum(scores) / len(scores)


def _prepare(text: str) -> str:
    # bleu_fromstr: nltk.wordpunct_tokenize, joined; then computeMaps: splitPuncts(text.strip().lower()).
    text = " ".join(re.findall(r"\w+|[^\w\s]+", text))
    return " ".join(re.findall(r"[\w]+|[^\s\w]", text.strip().lower()))


def _normalize(text: str) -> list[str]:
    for pattern, replacement in _NORMALIZE1:
        text = pattern.sub(replacement, text)
    text = xml.sax.saxutils.unescape(text, {"&quot;": '"'})
    text = f" {text} ".lower()
    for pattern, replacement in _NORMALIZE2:
        text = pattern.sub(replacement, text)
    return text.split()


def _ngrams(words: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def _sentence_bleu(hypothesis: str, reference: str, order: int = 4) -> float:
    test, ref = _normalize(hypothesis), _normalize(reference)
    tiny = sys.float_info.min
    log_bleu = 0.0
    for n in range(1, order + 1):
        test_counts, ref_counts = _ngrams(test, n), _ngrams(ref, n)
        correct = sum(min(count, ref_counts[gram]) for gram, count in test_counts.items())
        guess = max(len(test) - n + 1, 0)
        smooth = 1 if n > 1 else 0
        log_bleu += math.log(correct + smooth + tiny) - math.log(guess + smooth + tiny)
    brevity_penalty = min(0.0, 1 - (len(ref) + 1) / (len(test) + 1))
    return math.exp(log_bleu / order + brevity_penalty)


# --- chrF ---


def chrf(hypotheses: Sequence[str], references: Sequence[str], order: int = 6, beta: float = 2.0) -> float:
    """Corpus chrF, 0..100: n-gram statistics summed over all pairs, then scored once."""
    hyp_total, ref_total, match_total = [0] * order, [0] * order, [0] * order
    for hypothesis, reference in zip(hypotheses, references, strict=True):
        hyp_chars, ref_chars = "".join(hypothesis.split()), "".join(reference.split())
        for n in range(1, order + 1):
            hyp_grams = Counter(hyp_chars[i : i + n] for i in range(len(hyp_chars) - n + 1))
            ref_grams = Counter(ref_chars[i : i + n] for i in range(len(ref_chars) - n + 1))
            hyp_total[n - 1] += sum(hyp_grams.values())
            ref_total[n - 1] += sum(ref_grams.values())
            match_total[n - 1] += sum((hyp_grams & ref_grams).values())
    orders = [n for n in range(order) if hyp_total[n] and ref_total[n]]
    if not orders:
        return 0.0
    precision = sum(match_total[n] / hyp_total[n] for n in orders) / len(orders)
    recall = sum(match_total[n] / ref_total[n] for n in orders) / len(orders)
    if precision + recall == 0:
        return 0.0
    factor = beta**2
    return 100 * (1 + factor) * precision * recall / (factor * precision + recall)
