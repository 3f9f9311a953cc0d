"""Base-model profiles: every base the trainer accepts has a recipe config that trains a
servable adapter from the prepare step's dataset, and a chat template on the serving side."""

import re
from pathlib import Path

import pytest
import yaml
from omegaconf import OmegaConf

from tech_lead_trainer.errors import TrainerError
from tech_lead_trainer.profiles import default_base_model, profile_for, profiles
from tech_lead_trainer.recipe import build_overrides
from tech_lead_trainer.settings import read_settings

TRAINER = Path(__file__).parents[1]
SERVING_TEMPLATES = TRAINER / "serving" / "src" / "tlb_lora_resolver"
DEFAULT = profile_for(default_base_model())
PROFILES = sorted(profiles().values(), key=lambda p: p.hub_id)


def test_the_default_base_model_input_has_a_profile() -> None:
    env = {"INPUT_DATASET_URI": "s3://bucket/p/o/r/alice/datasets/d/", "GITHUB_REPOSITORY": "o/r"}
    assert profile_for(read_settings(env).training.base_model) == DEFAULT
    assert profile_for("HuggingFaceTB/SmolLM2-135M-Instruct").config.name == "smollm2_135M_lora.yaml"


def test_the_default_base_model_is_the_llama_profile_and_only_it() -> None:
    assert DEFAULT.hub_id == "meta-llama/Llama-3.1-8B-Instruct"
    assert [profile.hub_id for profile in PROFILES if profile.default] == [DEFAULT.hub_id]


REPOSITORY = TRAINER.parent
# Where the default base model is written outside the trainer's Python, which reads configs/base_models.yaml,
# and a pattern that finds what each place says.
DEFAULT_NAMED = {
    "README.md": r"^\| `base-model` \| `([^`]+)` \|",
    "training-runner/README.md": r"^\| `base-model` \| `([^`]+)` \|",
    "training-runner/serving/launch-l40s.sh": r"(?:TLB_BASE_MODEL_ID:-|served under \(default: )([^)}]+)",
    "training-runner/serving/README.md": r"\*\*Base model\*\* `([^`]+)`",
}


def _action_default(path: Path) -> str:
    return yaml.safe_load(path.read_text())["inputs"]["base-model"]["default"]


@pytest.mark.parametrize("path", DEFAULT_NAMED)
def test_every_place_that_names_the_default_base_model_names_the_default_profile(path) -> None:
    named = re.findall(DEFAULT_NAMED[path], (REPOSITORY / path).read_text(), re.M)
    assert named, f"{path} no longer names the default base model where this test looks"
    assert set(named) == {DEFAULT.hub_id}


def test_the_actions_default_base_model_is_the_default_profile() -> None:
    # The prepare and review steps (TypeScript) read their input's default; the trainer reads the profiles.
    assert _action_default(REPOSITORY / "action.yml") == DEFAULT.hub_id
    assert _action_default(TRAINER / "action.yml") == ""


def test_an_unknown_base_model_is_refused_with_the_known_ones() -> None:
    with pytest.raises(TrainerError, match=r"no profile for it\. Use one of meta-llama/Llama-3\.1-8B-Instruct, "):
        profile_for("Qwen/Qwen2.5-Coder-7B-Instruct")


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.hub_id)
def test_each_profile_trains_a_servable_adapter_from_the_same_dataset(profile) -> None:
    cfg = OmegaConf.load(profile.config)
    default = OmegaConf.load(DEFAULT.config)
    # A profile differs in keys, not in code: the same sections, the same recipe parts.
    assert set(cfg.keys()) == set(default.keys())
    assert cfg.dataset == default.dataset
    assert (cfg.checkpointer._component_, cfg.loss._component_, cfg.metric_logger) == (
        default.checkpointer._component_,
        default.loss._component_,
        default.metric_logger,
    )
    assert sorted(cfg.model.lora_attn_modules) == ["k_proj", "output_proj", "q_proj", "v_proj"]
    assert (cfg.model.apply_lora_to_mlp, cfg.model.apply_lora_to_output, cfg.save_adapter_weights_only) == (
        True,
        False,
        True,
    )
    assert (SERVING_TEMPLATES / f"{profile.chat_template}.jinja").is_file()


def test_the_smollm2_profile_runs_on_the_cpu(tmp_path: Path) -> None:
    profile = profile_for("HuggingFaceTB/SmolLM2-135M-Instruct")
    (tmp_path / "model.safetensors").touch()
    env = {
        "INPUT_DATASET_URI": "s3://bucket/p/o/r/alice/datasets/d/",
        "GITHUB_REPOSITORY": "o/r",
        "INPUT_BASE_MODEL": profile.hub_id,
    }
    overrides = build_overrides(profile.config, read_settings(env).training, tmp_path, tmp_path, tmp_path, 40)
    cfg = OmegaConf.merge(OmegaConf.load(profile.config), OmegaConf.from_dotlist(overrides))
    assert (cfg.device, cfg.dtype, cfg.optimizer.fused) == ("cpu", "fp32", False)
    assert cfg.tokenizer._component_ == "tech_lead_trainer.chatml.chatml_tokenizer"
    assert cfg.metric_logger.total_steps == 40 // cfg.batch_size * cfg.epochs


def test_smollm2s_weights_are_made_here_and_pinned_and_the_others_come_from_the_hub() -> None:
    made = {p.hub_id: p.weights for p in PROFILES if p.weights}
    assert list(made) == ["HuggingFaceTB/SmolLM2-135M-Instruct"]
    weights = made["HuggingFaceTB/SmolLM2-135M-Instruct"]
    assert (Path(__file__).parents[2] / weights.made_by).is_file()
    assert {"config.json", "model.safetensors", "tokenizer.json"} <= set(weights.sha256)
    assert all(len(digest) == 64 for digest in weights.sha256.values())
