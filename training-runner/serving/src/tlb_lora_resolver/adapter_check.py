"""Checks that a downloaded adapter is one this server can and should load.

vLLM would refuse some of these itself, but only after the request reached
the engine (a 400 naming internals); checking first keeps a bad or foreign
adapter out of the cache and gives the log one clear reason.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path

ADAPTER_FILES = ("adapter_config.json", "adapter_model.safetensors")
MAX_CONFIG_BYTES = 1024**2
# safetensors' own limit on its JSON header.
_MAX_SAFETENSORS_HEADER_BYTES = 100 * 1024**2


class AdapterRejected(Exception):
    """The adapter is not loadable here; the message says why."""


@dataclass(frozen=True)
class AdapterLimits:
    base_model: str  # what adapter_config.json's base_model_name_or_path must say
    max_lora_rank: int
    max_adapter_bytes: int

    def max_bytes(self, file_name: str) -> int:
        return MAX_CONFIG_BYTES if file_name == "adapter_config.json" else self.max_adapter_bytes


def check_file_size(file_name: str, size: int, limits: AdapterLimits) -> None:
    if size > limits.max_bytes(file_name):
        raise AdapterRejected(f"{file_name} is {size} bytes; the limit is {limits.max_bytes(file_name)}")


def check_adapter_dir(adapter_dir: Path, limits: AdapterLimits) -> None:
    """Raise AdapterRejected unless ``adapter_dir`` holds a loadable PEFT LoRA adapter."""
    for file_name in ADAPTER_FILES:
        path = adapter_dir / file_name
        if not path.is_file():
            raise AdapterRejected(f"{file_name} is missing")
        check_file_size(file_name, path.stat().st_size, limits)
    _check_config(adapter_dir / "adapter_config.json", limits)
    _check_safetensors_header(adapter_dir / "adapter_model.safetensors")


def _check_config(path: Path, limits: AdapterLimits) -> None:
    try:
        config = json.loads(path.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AdapterRejected(f"adapter_config.json is not JSON: {error}") from error
    if not isinstance(config, dict):
        raise AdapterRejected("adapter_config.json is not a JSON object")
    if config.get("peft_type") != "LORA":
        raise AdapterRejected(f"peft_type is {config.get('peft_type')!r}; only 'LORA' adapters are served")
    if config.get("base_model_name_or_path") != limits.base_model:
        raise AdapterRejected(
            f"the adapter was trained on {config.get('base_model_name_or_path')!r}, "
            f"but this server serves {limits.base_model!r}"
        )
    if config.get("use_dora"):
        raise AdapterRejected("DoRA adapters (use_dora: true) are not supported by vLLM")
    ranks = [config.get("r"), *(config.get("rank_pattern") or {}).values()]
    for rank in ranks:
        if isinstance(rank, bool) or not isinstance(rank, int) or rank < 1:
            raise AdapterRejected(f"rank {rank!r} is not a positive integer")
        if rank > limits.max_lora_rank:
            raise AdapterRejected(f"rank {rank} is above this server's --max-lora-rank {limits.max_lora_rank}")


def _check_safetensors_header(path: Path) -> None:
    with path.open("rb") as file:
        prefix = file.read(8)
        if len(prefix) < 8:
            raise AdapterRejected("adapter_model.safetensors is truncated")
        (header_size,) = struct.unpack("<Q", prefix)
        if header_size > _MAX_SAFETENSORS_HEADER_BYTES:
            raise AdapterRejected("adapter_model.safetensors has an implausible header size")
        raw_header = file.read(header_size)
    try:
        header = json.loads(raw_header)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AdapterRejected(f"adapter_model.safetensors is not a safetensors file: {error}") from error
    if not isinstance(header, dict) or not any(key != "__metadata__" for key in header):
        raise AdapterRejected("adapter_model.safetensors holds no tensors")
