"""How good a reviewer's adapter is on held-out hunks, and whether it beats the baselines.

Answers are read by the grammar of ``contracts/answer-grammar.md``, exactly as the
review step reads them: ``NO COMMENT``; a comment on a line the prompt showed
(``line N: text`` / ``old line N: text``); or anything else, which the review
step would never post and so counts as no comment.

Per model, on the held-out examples (positives: the reviewer commented on the
hunk; negatives: they left it alone):

- ``precision``, ``recall``, ``f1`` and ``mcc`` of the comment decision (did it
  comment where the reviewer did?). Matthews correlation is 0 for any constant
  answer (always comment, never comment), so only a model that tells hunks apart
  scores above 0.
- ``right_line``: among the true positives, the share on the reviewer's line.
- ``bleu4``: smoothed sentence BLEU-4 of the comment text against the
  reviewer's, among the true positives, averaged, computed as the CodeReviewer
  paper's evaluation script does (``smooth_bleu.py``, from CodeXGLUE):
  NLTK-style ``wordpunct`` tokens, lower case, NIST normalisation, add-one
  smoothing of the 2- to 4-gram precisions, the shortest reference length, and
  a brevity penalty with +1 on both lengths; 0 to 100. The script's optional
  stop-word removal is not applied (``rmstop=False``).
- ``chrf``: corpus chrF (character 1- to 6-grams, whitespace removed,
  precision and recall averaged over the orders present, beta = 2), 0 to 100,
  among the true positives; the test cases of tests/test_metrics.py give the
  same scores as sacreBLEU 2.5.1's ``CHRF().corpus_score`` (compared once, by
  hand; not a dependency).

The gate's metric is ``score = max(mcc, 0) * (right_line + bleu4 / 100) / 2``:
a model must pick the hunks the reviewer would comment on (a constant answer
scores 0), at their line, in words close to theirs.
"""

from __future__ import annotations

import math
import re
import sys
import xml.sax.saxutils
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tech_lead_trainer.dataset import NO_COMMENT, Example

SCORE_FORMULA = "score = max(mcc, 0) * (right_line + bleu4 / 100) / 2"
# contracts/answer-grammar.md: a label, a colon, a non-empty body running to the end.
_LABELLED = re.compile(r"^(old )?line ([0-9]+):\s*(\S.*)$", re.IGNORECASE | re.DOTALL)
# A row of the prompt's hunk: its label, a colon, a space, then the +, - or space marker.
_ROW = re.compile(r"^((?:old )?line [0-9]+): [ +-]")
# The label a pointing answer names (pointing()): what follows needs no colon or body.
_POINTED = re.compile(r"^(old )?line ([0-9]+)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Answer:
    kind: str  # "comment" | "none" | "unreadable"
    label: str | None = None  # "line 12" / "old line 3" for a comment
    text: str = ""  # the comment without its label

    @property
    def is_comment(self) -> bool:
        return self.kind == "comment"


def prompt_labels(user_message: str) -> list[str]:
    """The labels of the hunk's rows, in order, read back from the prompt the model saw."""
    rows = user_message.split("\n")[2:]  # after "File: ..." and the hunk header
    return [match[1] for row in rows if (match := _ROW.match(row))]


def parse_answer(output: str, labels: Sequence[str]) -> Answer:
    """One answer by the shared grammar, against the labels of its prompt."""
    answer = output.strip()
    if answer.upper().startswith(NO_COMMENT):
        return Answer("none")
    match = _LABELLED.match(answer)
    if not match:
        return Answer("unreadable")
    label = f"{'old ' if match[1] else ''}line {int(match[2])}"
    if label not in labels:
        return Answer("unreadable")
    return Answer("comment", label, match[3].strip())


def evaluate(examples: Sequence[Example], outputs: Sequence[str]) -> dict[str, float]:
    """All metrics of one model's ``outputs`` against the reviewer's answers to ``examples``."""
    if len(examples) != len(outputs):
        raise ValueError(f"{len(examples)} examples but {len(outputs)} outputs")
    expected, predicted = [], []
    for example, output in zip(examples, outputs, strict=True):
        labels = prompt_labels(example.prompt[-1]["content"])
        expected.append(parse_answer(example.answer, labels))
        predicted.append(parse_answer(output, labels))
    decided = [p.is_comment for p in predicted]
    wanted = [e.is_comment for e in expected]
    precision, recall, f1 = precision_recall_f1(decided, wanted)
    hits = [(e, p) for e, p in zip(expected, predicted, strict=True) if e.is_comment and p.is_comment]
    metrics = {
        "examples": float(len(examples)),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "mcc": matthews(decided, wanted),
        "right_line": sum(e.label == p.label for e, p in hits) / len(hits) if hits else 0.0,
        "bleu4": smoothed_bleu([p.text for _, p in hits], [e.text for e, _ in hits]),
        "chrf": chrf([p.text for _, p in hits], [e.text for e, _ in hits]),
    }
    metrics["score"] = review_score(metrics)
    return metrics


def label_word(example: Example) -> str | None:
    """A comment example's label without its number ("line", "old line"): what a pointing test
    starts the model's answer with. None for an example whose answer is NO COMMENT."""
    expected = parse_answer(example.answer, prompt_labels(example.prompt[-1]["content"]))
    return expected.label.rsplit(" ", 1)[0] if expected.label else None


def pointing(examples: Sequence[Example], pointed: Sequence[str | None]) -> dict[str, float]:
    """Whether the model can point at the reviewer's row, whatever it decides: among the examples
    the reviewer commented on, the share whose label it names when its answer is started with the
    label's word (``pointed``: that word and what the model went on with; None elsewhere).

    right_line is measured on the true positives only, so a model that comments rarely is judged
    on a handful of hunks; this is measured on every commented hunk.
    """
    if len(examples) != len(pointed):
        raise ValueError(f"{len(examples)} examples but {len(pointed)} pointing answers")
    named = []
    for example, text in zip(examples, pointed, strict=True):
        expected = parse_answer(example.answer, prompt_labels(example.prompt[-1]["content"]))
        if not expected.is_comment:
            continue
        match = _POINTED.match((text or "").strip())
        named.append(match is not None and f"{'old ' if match[1] else ''}line {int(match[2])}" == expected.label)
    return {"pointing": sum(named) / len(named) if named else 0.0, "pointing_examples": float(len(named))}


def review_score(metrics: Mapping[str, float]) -> float:
    """The gate's metric: 0 for any constant answer, 1 for the reviewer's own answers."""
    return max(metrics["mcc"], 0.0) * (metrics["right_line"] + metrics["bleu4"] / 100) / 2


def matthews(predicted: Sequence[bool], expected: Sequence[bool]) -> float:
    """Matthews correlation of two yes/no sequences; 0 when either is constant."""
    tp = sum(p and e for p, e in zip(predicted, expected, strict=True))
    tn = sum(not p and not e for p, e in zip(predicted, expected, strict=True))
    fp = sum(p and not e for p, e in zip(predicted, expected, strict=True))
    fn = sum(not p and e for p, e in zip(predicted, expected, strict=True))
    denominator = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / denominator if denominator else 0.0


def constant_answers(examples: Sequence[Example], train: Sequence[Example]) -> dict[str, list[str]]:
    """The answers of the two constant baselines to ``examples``.

    always-comment comments on every hunk, on its first changed row, with the
    reviewer's most frequent training comment (so its text is as good as a
    constant can be); never-comment always says ``NO COMMENT``.
    """
    bodies = Counter(
        parsed.text
        for example in train
        if (parsed := parse_answer(example.answer, prompt_labels(example.prompt[-1]["content"]))).is_comment
    )
    body = bodies.most_common(1)[0][0] if bodies else "Please take another look at this."
    always = []
    for example in examples:
        rows = example.prompt[-1]["content"].split("\n")[2:]
        changed = [m[1] for row in rows if (m := _ROW.match(row)) and row[len(m[1]) + 2] in "+-"]
        labels = changed or prompt_labels(example.prompt[-1]["content"])
        always.append(f"{labels[0]}: {body}" if labels else NO_COMMENT)
    return {"always-comment": always, "never-comment": [NO_COMMENT] * len(examples)}


@dataclass(frozen=True)
class GateDecision:
    promote: bool
    adapter_score: float
    baseline_scores: dict[str, float]
    margin: float

    @property
    def best_baseline(self) -> tuple[str, float]:
        return max(self.baseline_scores.items(), key=lambda item: item[1])


def quality_gate(
    adapter: Mapping[str, float], baselines: Mapping[str, Mapping[str, float]], margin: float
) -> GateDecision:
    """Promote only when the adapter's score beats every baseline's by more than ``margin``."""
    if not baselines:
        raise ValueError("the gate needs at least one baseline")
    scores = {name: metrics["score"] for name, metrics in baselines.items()}
    return GateDecision(
        promote=adapter["score"] > max(scores.values()) + margin,
        adapter_score=adapter["score"],
        baseline_scores=scores,
        margin=margin,
    )


@dataclass(frozen=True)
class Judgement:
    adapter: dict[str, float]
    baselines: dict[str, dict[str, float]]  # base-few-shot, always-comment, never-comment
    decision: GateDecision


def judge(
    examples: Sequence[Example],
    adapter_outputs: Sequence[str],
    base_few_shot_outputs: Sequence[str],
    train: Sequence[Example],
    margin: float,
) -> Judgement:
    """The adapter against the base model with the fallback's few-shot turns and both constant answers."""
    adapter = evaluate(examples, adapter_outputs)
    baselines = {"base-few-shot": evaluate(examples, base_few_shot_outputs)} | {
        name: evaluate(examples, outputs) for name, outputs in constant_answers(examples, train).items()
    }
    return Judgement(adapter, baselines, quality_gate(adapter, baselines, margin))


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
