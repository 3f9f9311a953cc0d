"""The quality gate on answers built for the test: it promotes an adapter that tells hunks apart
and speaks like the reviewer, and refuses ones that answer the same thing every time, however
well they word it, at the default quality-margin (the gate is never forced open here)."""

import pytest

from tech_lead_trainer.dataset import NO_COMMENT, Example
from tech_lead_trainer.metrics import constant_answers, judge, quality_gate

DEFAULT_MARGIN = 0.02
SYSTEM = {"role": "system", "content": "You are alice, reviewing a pull request in this repository."}


def example(number: int, comment: str | None) -> Example:
    """Hunk ``number``: an unchanged line, a deleted and an added one; the reviewer's answer."""
    first = 10 * number
    rows = [
        f"line {first}:  def f{number}():",
        f"old line {first + 1}: -    return 1",
        f"line {first + 1}: +    return 2",
    ]
    user = {"role": "user", "content": "\n".join([f"File: m{number}.py", f"@@ -{first},2 +{first},2 @@", *rows])}
    answer = NO_COMMENT if comment is None else comment
    kind = "negative" if comment is None else "positive"
    return Example(messages=(SYSTEM, user, {"role": "assistant", "content": answer}), kind=kind)


VOICE = [
    "Why return 2 here? Please add a test for it.",
    "This drops the error handling, please keep the check.",
    "Magic number: name it.",
]
# Held-out hunks: half of them commented on, on the added line or the deleted one.
HELD_OUT = [
    example(n, None if n % 2 else f"{'old ' if n % 4 == 0 else ''}line {10 * n + 1}: {VOICE[n % 3]}")
    for n in range(1, 21)
]
TRAIN = [example(100 + n, f"line {10 * (100 + n) + 1}: {VOICE[n % 3]}") for n in range(6)]


def added_line(held: Example) -> str:
    """The label of the hunk's added line (its last row)."""
    return held.prompt[1]["content"].split("\n")[-1].split(":")[0]


def answer_like_the_reviewer(mistakes: set[int]) -> list[str]:
    """The reviewer's own answers, except on ``mistakes``: silent on a positive, a comment on a negative."""
    answers = []
    for index, held in enumerate(HELD_OUT):
        if index not in mistakes:
            answers.append(held.answer)
        elif held.kind == "positive":
            answers.append(NO_COMMENT)
        else:
            answers.append(f"{added_line(held)}: Looks odd.")
    return answers


def every_hunk(answer_for) -> list[str]:
    return [answer_for(held) for held in HELD_OUT]


# A small base model with a few examples: comments on everything, in generic words.
BASE_FEW_SHOT = every_hunk(lambda held: f"{added_line(held)}: Looks fine.")


def test_the_held_out_set_has_both_classes() -> None:
    kinds = [held.kind for held in HELD_OUT]
    assert kinds.count("positive") == kinds.count("negative") == 10


def test_promotes_an_adapter_that_sounds_like_the_reviewer() -> None:
    adapter = answer_like_the_reviewer(mistakes={0, 3, 8})

    judged = judge(HELD_OUT, adapter, BASE_FEW_SHOT, TRAIN, DEFAULT_MARGIN)

    assert judged.decision.promote
    assert judged.adapter["mcc"] > 0.6
    assert judged.adapter["right_line"] == 1.0
    assert set(judged.baselines) == {"base-few-shot", "always-comment", "never-comment"}
    for baseline in judged.baselines.values():
        assert baseline["score"] < judged.adapter["score"]


@pytest.mark.parametrize(
    ("name", "answers"),
    [
        # Comments on every hunk, on the reviewer's line where there is one and in their words:
        # comment F1 is high (2/3 here), but it tells nothing apart.
        (
            "always comment, in the reviewer's words",
            every_hunk(lambda held: held.answer if held.kind == "positive" else f"{added_line(held)}: {VOICE[0]}"),
        ),
        ("always comment, the same words everywhere", constant_answers(HELD_OUT, TRAIN)["always-comment"]),
        ("never comment", [NO_COMMENT] * len(HELD_OUT)),
    ],
)
def test_refuses_an_adapter_that_answers_the_same_every_time(name: str, answers: list[str]) -> None:
    judged = judge(HELD_OUT, answers, BASE_FEW_SHOT, TRAIN, DEFAULT_MARGIN)

    assert judged.adapter["mcc"] == 0.0, name
    assert judged.adapter["score"] == 0.0
    assert not judged.decision.promote


def test_the_constant_baselines_score_nothing() -> None:
    judged = judge(HELD_OUT, answer_like_the_reviewer(set()), BASE_FEW_SHOT, TRAIN, DEFAULT_MARGIN)

    assert judged.baselines["always-comment"]["recall"] == 1.0
    assert judged.baselines["never-comment"]["recall"] == 0.0
    for name in ("always-comment", "never-comment"):
        assert judged.baselines[name]["score"] == 0.0


@pytest.mark.parametrize(
    ("baselines", "adapter", "margin", "promote", "best"),
    [
        ({"base-few-shot": 0.20, "always-comment": 0.0}, 0.30, 0.02, True, ("base-few-shot", 0.20)),
        (
            {"base-few-shot": 0.20, "always-comment": 0.0},
            0.21,
            0.02,
            False,
            ("base-few-shot", 0.20),
        ),  # not by the margin
        # exactly the margin over the best
        ({"base-few-shot": 0.10, "never-comment": 0.25}, 0.5, 0.25, False, ("never-comment", 0.25)),
    ],
)
def test_the_adapter_must_beat_the_best_baseline_by_the_margin(
    baselines: dict[str, float], adapter: float, margin: float, promote: bool, best: tuple[str, float]
) -> None:
    decision = quality_gate({"score": adapter}, {k: {"score": v} for k, v in baselines.items()}, margin)

    assert decision.promote is promote
    assert decision.baseline_scores == baselines
    assert decision.best_baseline == best
