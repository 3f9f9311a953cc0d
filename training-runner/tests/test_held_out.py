"""What the evaluation is asked on: both kinds of held-out example under max-eval-examples, and
the few-shot turns the prepare step chose for the base-model baseline."""

import json
from pathlib import Path

import pytest

from tech_lead_trainer.dataset import DatasetMeta, cap_examples, read_jsonl
from tech_lead_trainer.errors import TrainerError

TS_DATASET = Path(__file__).parents[2] / "test" / "fixtures" / "dataset"
META = {
    "reviewer": "alice",
    "repository": "acme/widgets",
    "baseModel": "tiny",
    "adapterId": "0123456789abcdef",
    "adapterName": "tlb/acme/widgets/alice/0123456789abcdef",
}


def test_max_eval_examples_keeps_both_kinds_in_their_shares() -> None:
    held_out = read_jsonl(TS_DATASET / "eval.jsonl", "eval.jsonl")
    kinds = [example.kind for example in held_out]
    # The fixture lists positives first: a plain cut would keep no negative.
    assert kinds.index("negative") >= 4

    for limit in (2, 4, 6):
        kept = cap_examples(held_out, limit)
        assert len(kept) == limit
        assert {example.kind for example in kept} == {"positive", "negative"}
        assert [e for e in held_out if e in kept] == kept  # file order
    assert cap_examples(held_out, 100) == held_out


def test_the_few_shot_turns_come_from_meta_json() -> None:
    turns = json.loads((TS_DATASET / "few-shot.json").read_text())

    meta = DatasetMeta.parse(json.dumps(META | {"fewShot": turns}).encode(), "s3://b/meta.json")

    assert [turn["role"] for turn in meta.few_shot] == ["user", "assistant"] * 3
    assert meta.few_shot[0]["content"].startswith("File: ")
    assert DatasetMeta.parse(json.dumps(META).encode(), "s3://b/meta.json").few_shot == ()


@pytest.mark.parametrize(
    "few_shot",
    [
        "line 1: hi",
        [{"role": "assistant", "content": "line 1: hi"}],
        [{"role": "user", "content": "File: a.py"}],
        [{"role": "user", "content": 3}, {"role": "assistant", "content": "NO COMMENT"}],
    ],
)
def test_bad_few_shot_turns_are_a_corrupt_dataset(few_shot: object) -> None:
    with pytest.raises(TrainerError, match=r"is not the meta.json the prepare step writes \(fewShot"):
        DatasetMeta.parse(json.dumps(META | {"fewShot": few_shot}).encode(), "s3://b/meta.json")
