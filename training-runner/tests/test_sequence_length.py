"""Training examples longer than tokenizer.max_seq_len are left out and reported, not cut."""

from pathlib import Path

import pytest
from omegaconf import OmegaConf
from torchtune import config
from torchtune.data import OpenAIToMessages

from tech_lead_trainer.dataset import read_jsonl
from tech_lead_trainer.errors import TrainerError
from tech_lead_trainer.sequence_length import fit_to_max_seq_len, write_kept
from tech_lead_trainer.testing.tiny_model import recipe_overrides

CONFIG = Path(__file__).parents[1] / "configs" / "llama3_1_8B_lora.yaml"

TS_TRAIN = Path(__file__).parents[2] / "test" / "fixtures" / "dataset" / "train.jsonl"


def test_examples_over_the_limit_are_left_out_and_counted(tiny_model_dir: Path) -> None:
    examples = read_jsonl(TS_TRAIN, "train.jsonl")

    fitted = fit_to_max_seq_len(CONFIG, [*recipe_overrides(tiny_model_dir), "tokenizer.max_seq_len=400"], examples)

    assert len(examples) == 24
    assert len(fitted.kept) == 20
    assert fitted.too_long == [401] * 4
    assert fitted.note(24).startswith(
        "4 of 24 training examples are longer than tokenizer.max_seq_len 400 tokens (the longest has 401),"
        " so they were left out rather than cut"
    )


def test_the_recipe_tokenizer_would_have_cut_the_answer_of_those(tiny_model_dir: Path) -> None:
    """Why: TorchTune truncates from the end, so a left-out example would have lost its answer."""
    examples = read_jsonl(TS_TRAIN, "train.jsonl")
    overrides = [*recipe_overrides(tiny_model_dir), "tokenizer.max_seq_len=390"]
    fitted = fit_to_max_seq_len(CONFIG, overrides, examples)
    cfg = OmegaConf.merge(OmegaConf.load(CONFIG), OmegaConf.from_dotlist(overrides))
    tokenizer = config.instantiate(cfg.tokenizer)
    left_out = [i for i in range(len(examples)) if i not in fitted.kept]

    assert len(left_out) >= 4
    for index in left_out:
        messages = OpenAIToMessages()({"messages": list(examples[index].messages)})["messages"]
        tokens, _ = tokenizer.tokenize_messages(messages)
        assert len(tokens) == 390
        assert examples[index].answer not in tokenizer.decode(tokens)


def test_only_the_kept_lines_are_written_back(tmp_path: Path) -> None:
    path = tmp_path / "train.jsonl"
    path.write_text('{"a": 1}\n\n{"a": 2}\n{"a": 3}\n')

    write_kept(path, [0, 2])

    assert path.read_text() == '{"a": 1}\n{"a": 3}\n'


def test_no_example_that_fits_is_an_error_that_says_what_to_change(tiny_model_dir: Path) -> None:
    examples = read_jsonl(TS_TRAIN, "train.jsonl")

    with pytest.raises(TrainerError, match=r"Every training example is longer than tokenizer.max_seq_len 50 tokens"):
        fit_to_max_seq_len(CONFIG, [*recipe_overrides(tiny_model_dir), "tokenizer.max_seq_len=50"], examples)
