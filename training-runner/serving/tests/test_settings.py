from pathlib import Path

import pytest

from tlb_lora_resolver.settings import DEFAULT_MAX_ADAPTER_BYTES, DEFAULT_MAX_LORA_RANK, Settings, SettingsError


def test_unset_uri_means_not_configured() -> None:
    assert Settings.from_env({}) is None


def test_reads_every_setting() -> None:
    settings = Settings.from_env(
        {
            "TLB_S3_URI": "s3://my-bucket/team/adapters/",
            "TLB_S3_ENDPOINT": "http://127.0.0.1:5000",
            "TLB_ADAPTER_CACHE_DIR": "/var/cache/tlb",
            "TLB_BASE_MODEL_ID": "meta-llama/Llama-3.1-8B-Instruct",
            "TLB_MAX_LORA_RANK": "32",
            "TLB_MAX_ADAPTER_BYTES": "1000",
        }
    )
    assert settings == Settings(
        bucket="my-bucket",
        prefix="team/adapters",
        endpoint_url="http://127.0.0.1:5000",
        cache_dir=Path("/var/cache/tlb"),
        expected_base_model="meta-llama/Llama-3.1-8B-Instruct",
        max_lora_rank=32,
        max_adapter_bytes=1000,
    )


def test_defaults() -> None:
    settings = Settings.from_env({"TLB_S3_URI": "s3://my-bucket", "XDG_CACHE_HOME": "/c"})
    assert settings is not None
    assert settings.prefix == ""
    assert settings.endpoint_url is None
    assert settings.cache_dir == Path("/c/tech-lead-bot/adapters")
    assert settings.expected_base_model is None
    assert settings.max_lora_rank == DEFAULT_MAX_LORA_RANK
    assert settings.max_adapter_bytes == DEFAULT_MAX_ADAPTER_BYTES


@pytest.mark.parametrize(
    "uri", ["my-bucket", "https://my-bucket/x", "s3://", "s3://My_Bucket/x", "s3://b/../x", "s3://bucket/a//b"]
)
def test_refuses_a_bad_uri_with_the_expected_form(uri: str) -> None:
    with pytest.raises(SettingsError, match=r"Invalid TLB_S3_URI .*Expected s3://bucket"):
        Settings.from_env({"TLB_S3_URI": uri})


@pytest.mark.parametrize("value", ["0", "-1", "eight", "8.0"])
def test_refuses_a_bad_rank(value: str) -> None:
    with pytest.raises(SettingsError, match=f"Invalid TLB_MAX_LORA_RANK '{value}'"):
        Settings.from_env({"TLB_S3_URI": "s3://my-bucket", "TLB_MAX_LORA_RANK": value})
