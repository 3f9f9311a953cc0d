"""Base-model profiles: which recipe config trains a base model, and which chat template serves it.

``configs/base_models.yaml`` is the table; this module only reads it. The
trainer looks the base-model input up here, so a base without a profile fails
before anything is downloaded, with the list of those that have one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from omegaconf import OmegaConf

from tech_lead_trainer.base_model import PinnedWeights
from tech_lead_trainer.errors import TrainerError

CONFIGS = Path(__file__).resolve().parents[2] / "configs"
TABLE = CONFIGS / "base_models.yaml"


@dataclass(frozen=True)
class BaseModelProfile:
    hub_id: str
    config: Path  # the TorchTune recipe config
    # The DPO recipe config for feedback the reviewer turned down (feedback-method dpo): the same
    # model, tokenizer and checkpointer as ``config`` (tests/test_dpo.py checks it).
    dpo_config: Path
    chat_template: str  # the serving package's <name>.jinja
    default: bool = False  # trained when the base-model input is empty
    download_gib: int = 20  # disk the base model's download needs (the GPU runner's preflight checks it)
    # None: the hub's weights. Otherwise made on the machine, checked against pinned hashes.
    weights: PinnedWeights | None = None


def profiles() -> dict[str, BaseModelProfile]:
    table = OmegaConf.to_container(OmegaConf.load(TABLE))
    assert isinstance(table, dict)
    return {
        str(hub_id): BaseModelProfile(
            hub_id=str(hub_id),
            config=CONFIGS / entry["config"],
            dpo_config=CONFIGS / entry["dpo_config"],
            chat_template=entry["chat_template"],
            default=entry.get("default", False),
            download_gib=entry.get("download_gib", 20),
            weights=PinnedWeights(entry["made_by"], entry["sha256"]) if "made_by" in entry else None,
        )
        for hub_id, entry in table.items()
    }


def default_base_model() -> str:
    """The hub id of the one profile marked ``default`` in configs/base_models.yaml."""
    defaults = [hub_id for hub_id, profile in profiles().items() if profile.default]
    if len(defaults) != 1:
        raise ValueError(f"{TABLE} must mark exactly one base model default: true, not {defaults}")
    return defaults[0]


def profile_for(hub_id: str) -> BaseModelProfile:
    known = profiles()
    if hub_id not in known:
        raise TrainerError(
            f"Invalid base-model '{hub_id}': the trainer has no profile for it. Use one of {', '.join(known)},"
            " or add a profile to training-runner/configs/base_models.yaml.",
            title="Invalid input",
        )
    return known[hub_id]
