"""The token ids and labels TorchTune trains on, for each line of a dataset file.

The recipe config of the base model's profile builds its tokenizer and dataset
exactly as ``tune run`` does, so the ids are those of training, not a
re-implementation of them. The tokenizer contract test compares them with the
ids vLLM computes for the same messages:

    python -m tech_lead_trainer.testing.training_tokens BASE_MODEL MODEL_DIR DATASET.jsonl

prints one JSON object per example: ``{"tokens": [...], "labels": [...]}``,
where a label of -100 means no loss.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from omegaconf import OmegaConf
from torchtune import config

from tech_lead_trainer.profiles import profile_for


def training_tokens(base_model: str, model_dir: Path, dataset_file: Path) -> list[dict[str, list[int]]]:
    cfg = OmegaConf.merge(
        OmegaConf.load(profile_for(base_model).config),
        OmegaConf.from_dotlist(
            [f"base_model_dir={model_dir}", f"dataset_dir={dataset_file.parent}", f"dataset.data_files={dataset_file}"]
        ),
    )
    tokenizer = config.instantiate(cfg.tokenizer)
    dataset = config.instantiate(cfg.dataset, tokenizer)
    return [{"tokens": list(map(int, row["tokens"])), "labels": list(map(int, row["labels"]))} for row in dataset]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tech_lead_trainer.testing.training_tokens", description=__doc__)
    parser.add_argument("base_model", help="the base-model input, e.g. HuggingFaceTB/SmolLM2-135M-Instruct")
    parser.add_argument("model_dir", type=Path)
    parser.add_argument("dataset_file", type=Path)
    args = parser.parse_args(argv)
    for row in training_tokens(args.base_model, args.model_dir, args.dataset_file.resolve()):
        print(json.dumps(row))


if __name__ == "__main__":
    main()
