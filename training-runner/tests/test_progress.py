"""Both token rates in the progress line: answer tokens (the recipe's) and every token processed."""

import json
from pathlib import Path

import torch
from torchtune.data import CROSS_ENTROPY_IGNORE_IDX, padded_collate_sft

from tech_lead_trainer.progress import PROGRESS_FILE, ProgressLogger, counting_collate_sft

IGNORE = CROSS_ENTROPY_IGNORE_IDX


def sample(prompt: int, answer: int) -> dict[str, list[int]]:
    return {"tokens": list(range(1, prompt + answer + 1)), "labels": [IGNORE] * prompt + [7] * answer}


def test_the_collate_is_torchtunes(tmp_path: Path) -> None:
    batch = [sample(5, 2), sample(3, 1)]
    ours, theirs = counting_collate_sft(batch, padding_idx=0), padded_collate_sft(batch, padding_idx=0)
    assert ours.keys() == theirs.keys()
    assert all(torch.equal(ours[key], theirs[key]) for key in ours)


def test_the_processed_rate_scales_the_answer_rate_by_the_steps_tokens(tmp_path: Path, capsys) -> None:
    logger = ProgressLogger(str(tmp_path), total_steps=2)
    # Step 1: 19 answer tokens in 400 processed; step 2: 5 in 50.
    counting_collate_sft([sample(181, 9), sample(200, 10)], padding_idx=0)
    logger.log_dict({"loss": 2.0, "tokens_per_second_per_gpu": 95.0}, step=1)
    counting_collate_sft([sample(45, 5)], padding_idx=0)
    logger.log_dict({"loss": 1.5, "tokens_per_second_per_gpu": 10.0}, step=2)
    logger.close()

    rows = [json.loads(line) for line in (tmp_path / PROGRESS_FILE).read_text().splitlines()]
    assert [row["processed_tokens_per_second"] for row in rows] == [2000.0, 100.0]
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert "95 answer tokens/s · 2,000 processed tokens/s" in lines[0]
    assert "10 answer tokens/s · 100 processed tokens/s" in lines[1]
