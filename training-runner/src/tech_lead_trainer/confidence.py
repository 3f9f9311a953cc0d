"""The probability that a hunk deserves a comment, and each adapter's threshold on it.

``comment_probability`` is contracts/confidence.md's definition, the one the review step
computes from vLLM's ``top_logprobs`` (src/review/confidence.ts); the golden cases in
contracts/confidence-cases.json hold both to it. The trainer feeds it the same numbers from
the logits of its own greedy answers (evaluate.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tech_lead_trainer.dataset import Example
from tech_lead_trainer.metrics import NO_COMMENT, parse_answer, prompt_labels

TOP_LOGPROBS = 5  # the review step asks vLLM for as many alternatives per token
TRADE_OFF_THRESHOLDS = (0.25, 0.5, 0.75, 0.9)  # reported in metrics.json, as whole percents


def comment_probability(tokens: Iterable[Mapping[str, Any]]) -> float:
    """1 - P(the answer starts with NO COMMENT) from ``{token, logprob, top_logprobs}`` steps."""
    seen = ""
    no_comment = 1.0
    for step in tokens:
        if _continues(seen, step["token"]):
            no_comment *= math.exp(step["logprob"])
            seen += step["token"]
            if _normalized(seen).startswith(NO_COMMENT):
                break
            continue
        top = step["top_logprobs"]
        continuing = [math.exp(t["logprob"]) for t in top if _continues(seen, t["token"])]
        # NO COMMENT not among the listed tokens: the unlisted mass bounds it from above.
        no_comment *= sum(continuing) if continuing else max(0.0, 1 - sum(math.exp(t["logprob"]) for t in top))
        break
    return min(1.0, max(0.0, 1 - no_comment))


def _normalized(text: str) -> str:
    return text.lstrip().upper()


def _continues(seen: str, token: str) -> bool:
    text = _normalized(seen + token)
    return NO_COMMENT.startswith(text) or text.startswith(NO_COMMENT)


def calibrate(
    examples: Sequence[Example], outputs: Sequence[str], confidences: Sequence[float], target: float
) -> dict[str, float]:
    """The adapter's default ``min_confidence`` and the precision/recall trade-off around it.

    Precision and recall are those of the comment decision among the adapter's comment answers
    with at least that confidence (what the review step would post). The threshold is the lowest
    whose held-out precision reaches ``target``; when none does, the one with the highest
    precision, and ``min_confidence_target_met`` is 0. Without any comment answer there is
    nothing to calibrate on: no ``min_confidence``, and the review step uses its default.
    """
    # Comment decisions by the shared answer grammar, as metrics.evaluate reads them.
    labels = [prompt_labels(example.prompt[-1]["content"]) for example in examples]
    expected = [parse_answer(e.answer, rows).is_comment for e, rows in zip(examples, labels, strict=True)]
    commented = [
        (confidence, wanted)
        for output, confidence, wanted, rows in zip(outputs, confidences, expected, labels, strict=True)
        if parse_answer(output, rows).is_comment
    ]
    wanted_total = sum(expected)

    def precision_recall(threshold: float) -> tuple[float, float]:
        kept = [wanted for confidence, wanted in commented if confidence >= threshold]
        hits = sum(kept)
        return (hits / len(kept) if kept else 0.0), (hits / wanted_total if wanted_total else 0.0)

    metrics: dict[str, float] = {"min_confidence_target": target}
    for threshold in TRADE_OFF_THRESHOLDS:
        precision, recall = precision_recall(threshold)
        metrics[f"precision_at_confidence_{round(threshold * 100)}"] = precision
        metrics[f"recall_at_confidence_{round(threshold * 100)}"] = recall
    candidates = sorted({confidence for confidence, _ in commented})
    if not candidates:
        metrics["min_confidence_target_met"] = 0.0
        return metrics
    reaching = [t for t in candidates if precision_recall(t)[0] >= target]
    if reaching and reaching[0] == candidates[0]:
        # Every comment answer kept already reaches the target: filtering is not needed, and a
        # threshold at the least sure held-out comment would drop any less sure one unmeasured.
        chosen = 0.0
    elif reaching:
        chosen = reaching[0]
    else:
        # max() keeps the first, i.e. lowest, of equally precise thresholds.
        chosen = max(candidates, key=lambda t: precision_recall(t)[0])
    precision, recall = precision_recall(chosen)
    return metrics | {
        "min_confidence": chosen,
        "min_confidence_precision": precision,
        "min_confidence_recall": recall,
        "min_confidence_target_met": 1.0 if reaching else 0.0,
    }
