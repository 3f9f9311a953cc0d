"""What the 8B config must keep for the adapter to be servable by vLLM."""

from pathlib import Path

import pytest
from omegaconf import OmegaConf

from tech_lead_trainer.testing.tiny_model import recipe_overrides

CONFIG = Path(__file__).parents[1] / "configs" / "llama3_1_8B_lora.yaml"


@pytest.fixture(scope="module")
def cfg():
    return OmegaConf.load(CONFIG)


def test_lora_covers_attention_and_mlp_but_not_the_output_layer(cfg) -> None:
    assert sorted(cfg.model.lora_attn_modules) == ["k_proj", "output_proj", "q_proj", "v_proj"]
    assert cfg.model.apply_lora_to_mlp is True
    assert cfg.model.apply_lora_to_output is False
    assert cfg.model.lora_rank in {8, 16, 32, 64}


def test_trains_in_bf16_on_the_gpu_and_saves_only_the_adapter(cfg) -> None:
    assert (cfg.device, cfg.dtype) == ("cuda", "bf16")
    assert cfg.save_adapter_weights_only is True
    assert cfg.checkpointer._component_ == "torchtune.training.FullModelHFCheckpointer"


def test_reads_the_prepare_step_dataset_as_it_is(cfg) -> None:
    assert cfg.dataset._component_ == "torchtune.datasets.chat_dataset"
    assert (cfg.dataset.source, cfg.dataset.conversation_column, cfg.dataset.conversation_style) == (
        "json",
        "messages",
        "openai",
    )
    assert cfg.dataset.train_on_input is False
    assert OmegaConf.merge(cfg, {"dataset_dir": "/d"}).dataset.data_files == "/d/train.jsonl"


def test_progress_goes_to_our_metric_logger(cfg) -> None:
    # It prints step, loss, tokens/s and ETA, and keeps the losses for the job summary's chart.
    assert cfg.metric_logger._component_ == "tech_lead_trainer.progress.ProgressLogger"
    assert cfg.log_every_n_steps == 1


def test_paths_must_be_given_on_the_command_line(cfg) -> None:
    assert {key for key in ("base_model_dir", "dataset_dir", "output_dir") if OmegaConf.is_missing(cfg, key)} == {
        "base_model_dir",
        "dataset_dir",
        "output_dir",
    }


def test_the_tiny_cpu_run_only_overrides_existing_sections(cfg, tmp_path: Path) -> None:
    # The CPU run is this config plus overrides: it may size the model and pick
    # the device, not bring sections of its own.
    sections = set(cfg.keys())  # `in cfg` is False for the ??? keys
    overrides = recipe_overrides(tmp_path)
    assert len(overrides) >= 5
    for override in overrides:
        assert override.split("=", 1)[0].split(".")[0] in sections, override
