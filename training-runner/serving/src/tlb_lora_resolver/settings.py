"""The plugin's settings, read once from the environment of the vLLM server."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# vLLM's own default for --max-lora-rank.
DEFAULT_MAX_LORA_RANK = 16
# A rank-64 adapter on every linear layer of an 8B model is ~0.7 GB in fp32.
DEFAULT_MAX_ADAPTER_BYTES = 2 * 1024**3

_S3_URI = re.compile(r"s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:/(.*))?")


class SettingsError(ValueError):
    """A setting has a value the plugin cannot work with."""


@dataclass(frozen=True)
class Settings:
    bucket: str
    prefix: str  # without leading or trailing "/"; "" for the bucket's root
    endpoint_url: str | None
    cache_dir: Path
    expected_base_model: str | None  # None: the model vLLM serves, as vLLM names it
    max_lora_rank: int
    max_adapter_bytes: int

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings | None:
        """The settings in ``env`` (default: os.environ); None when TLB_S3_URI is not set."""
        env = os.environ if env is None else env
        s3_uri = env.get("TLB_S3_URI", "").strip()
        if not s3_uri:
            return None
        match = _S3_URI.fullmatch(s3_uri)
        prefix = (match.group(2) or "").strip("/") if match else ""
        if not match or any(part in ("", ".", "..") for part in prefix.split("/") if prefix):
            raise SettingsError(f"Invalid TLB_S3_URI '{s3_uri}'. Expected s3://bucket or s3://bucket/prefix.")
        cache_home = Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        return cls(
            bucket=match.group(1),
            prefix=prefix,
            endpoint_url=env.get("TLB_S3_ENDPOINT") or None,
            cache_dir=Path(env.get("TLB_ADAPTER_CACHE_DIR") or cache_home / "tech-lead-bot" / "adapters"),
            expected_base_model=env.get("TLB_BASE_MODEL_ID") or None,
            max_lora_rank=_positive_int(env, "TLB_MAX_LORA_RANK", DEFAULT_MAX_LORA_RANK),
            max_adapter_bytes=_positive_int(env, "TLB_MAX_ADAPTER_BYTES", DEFAULT_MAX_ADAPTER_BYTES),
        )


def _positive_int(env: Mapping[str, str], key: str, default: int) -> int:
    raw = env.get(key, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise SettingsError(f"Invalid {key} '{raw}'. Expected a positive integer.")
    return int(raw)
