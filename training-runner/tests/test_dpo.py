"""Feedback-method dpo: the DPO recipe configs beside the SFT ones, the pairs the trainer writes
for them, and the overrides it runs them with. (The run itself: test_train_action.py.)"""

import json
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from tech_lead_trainer.dataset import read_jsonl, write_preferences
from tech_lead_trainer.profiles import profiles
from tech_lead_trainer.recipe import build_dpo_overrides
from tech_lead_trainer.settings import read_settings
from tech_lead_trainer.testing.tiny_model import TINY_REPO_ID

TS_DATASET = Path(__file__).parents[2] / "test" / "fixtures" / "dataset"
ENV = {
    "GITHUB_REPOSITORY": "acme/widgets",
    "GITHUB_RUN_ID": "9",
    "INPUT_DATASET_URI": "s3://bucket/tlb/acme/widgets/alice/datasets/d1/",
    "INPUT_FEEDBACK_METHOD": "dpo",
}
PROFILES = sorted(profiles().items())


@pytest.mark.parametrize(("hub_id", "profile"), PROFILES, ids=[hub_id for hub_id, _ in PROFILES])
def test_each_base_has_a_dpo_config_on_the_same_model_as_its_sft_one(hub_id, profile) -> None:
    # As written (interpolations and ??? left as they are).
    sft, dpo = (OmegaConf.to_container(OmegaConf.load(path)) for path in (profile.config, profile.dpo_config))
    assert isinstance(sft, dict)
    assert isinstance(dpo, dict)
    # The DPO run starts from the SFT run's adapter: the same model, tokenizer and checkpoint.
    for section in ("model", "tokenizer", "checkpointer", "device", "dtype"):
        assert dpo[section] == sft[section], (hub_id, section)
    assert dpo["dataset"] == {
        "_component_": "torchtune.datasets.preference_dataset",
        "source": "json",
        "data_files": "${dataset_dir}/preferences.jsonl",
        "split": "train",
        "train_on_input": False,
    }
    assert dpo["loss"]["_component_"] == "torchtune.rlhf.loss.DPOLoss"
    assert dpo["save_adapter_weights_only"] is True
    assert dpo["start_adapter_dir"] == "???"  # the trainer sets it
    assert dpo["optimizer"]["lr"] < sft["optimizer"]["lr"]  # it refines a trained adapter


def test_the_pairs_share_the_prompt_and_oppose_the_wanted_answer_to_the_bots(tmp_path: Path) -> None:
    examples = read_jsonl(TS_DATASET / "feedback.jsonl", "feedback.jsonl")
    turned_down = [example for example in examples if example.rejected is not None]
    assert len(turned_down) == 3

    write_preferences(tmp_path / "preferences.jsonl", turned_down)

    pairs = [json.loads(line) for line in (tmp_path / "preferences.jsonl").read_text().splitlines()]
    assert len(pairs) == 3
    for pair, example in zip(pairs, turned_down, strict=True):
        assert pair["chosen"] == list(example.messages)
        assert pair["rejected"][:2] == pair["chosen"][:2]
        assert pair["rejected"][2] == {"role": "assistant", "content": example.rejected}
        assert pair["rejected"][2] != pair["chosen"][2]


def overrides_for(tmp_path: Path, pairs: int, *recipe_overrides: str) -> dict[str, str]:
    (tmp_path / "model.safetensors").write_bytes(b"")
    settings = read_settings({**ENV, "INPUT_RECIPE_OVERRIDES": "\n".join(recipe_overrides)}).training
    config = profiles()[TINY_REPO_ID].dpo_config
    dotlist = build_dpo_overrides(config, settings, tmp_path, tmp_path / "d", tmp_path / "o", tmp_path / "a", pairs)
    return dict(item.split("=", 1) for item in dotlist)


def test_the_dpo_run_takes_the_recipe_overrides_but_the_sft_runs_own(tmp_path: Path) -> None:
    sft_only = ("dataset.packed=True", "epochs=9", "loss.num_output_chunks=2")
    overrides = overrides_for(tmp_path, 40, "batch_size=2", "model.num_layers=2", *sft_only)

    assert overrides["start_adapter_dir"] == str(tmp_path / "a")
    assert (overrides["batch_size"], overrides["model.num_layers"]) == ("2", "2")
    assert not {"dataset.packed", "epochs", "loss.num_output_chunks"} & set(overrides)
    # 40 pairs, 2 a step, the DPO config's one epoch.
    assert overrides["metric_logger.total_steps"] == "20"


def test_fewer_pairs_than_a_step_takes_make_one_smaller_step(tmp_path: Path) -> None:
    overrides = overrides_for(tmp_path, 3)

    assert (overrides["batch_size"], overrides["gradient_accumulation_steps"]) == ("3", "1")
    assert overrides["metric_logger.total_steps"] == "1"
