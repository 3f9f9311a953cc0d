from pathlib import Path
from typing import Any

import pytest

from tlb_lora_resolver.adapter_check import AdapterLimits, AdapterRejected
from tlb_lora_resolver.adapter_name import AdapterName
from tlb_lora_resolver.adapter_store import AdapterNotFound, AdapterStore
from tlb_lora_resolver.settings import Settings
from tlb_lora_resolver.testing.s3 import TEST_BUCKET as BUCKET
from tlb_lora_resolver.testing.s3 import upload_adapter
from tlb_lora_resolver.testing.tiny_adapter import write_stub_adapter

BASE_MODEL = "tech-lead-bot/tiny-random-llama-3.1"
LIMITS = AdapterLimits(base_model=BASE_MODEL, max_lora_rank=8, max_adapter_bytes=1024**2)
NAME = AdapterName("acme", "widgets", "alice", "0123456789abcdef")


@pytest.fixture
def settings(s3_endpoint: str, tmp_path: Path) -> Settings:
    return Settings(
        bucket=BUCKET,
        prefix="team/reviewers",
        endpoint_url=s3_endpoint,
        cache_dir=tmp_path / "cache",
        expected_base_model=None,
        max_lora_rank=8,
        max_adapter_bytes=1024**2,
    )


def cache_entries(settings: Settings) -> list[str]:
    root = settings.cache_dir
    return sorted(str(path.relative_to(root)) for path in root.rglob("*")) if root.exists() else []


def test_downloads_the_adapter_from_its_prefix_into_the_cache(s3: Any, settings: Settings, tmp_path: Path) -> None:
    upload_adapter(s3, BUCKET, "team/reviewers", NAME, write_stub_adapter(tmp_path / "a", BASE_MODEL))
    path = AdapterStore(settings).fetch(NAME, LIMITS)
    assert path == settings.cache_dir / "acme/widgets/alice/adapters/0123456789abcdef"
    assert sorted(p.name for p in path.iterdir()) == ["adapter_config.json", "adapter_model.safetensors"]
    assert (path / "adapter_model.safetensors").read_bytes() == (tmp_path / "a/adapter_model.safetensors").read_bytes()


def test_reuses_a_cached_adapter_without_asking_s3(s3: Any, settings: Settings, tmp_path: Path) -> None:
    upload_adapter(s3, BUCKET, "team/reviewers", NAME, write_stub_adapter(tmp_path / "a", BASE_MODEL))
    first = AdapterStore(settings).fetch(NAME, LIMITS)
    for key in ("adapter_config.json", "adapter_model.safetensors"):
        s3.delete_object(Bucket=BUCKET, Key=f"team/reviewers/acme/widgets/alice/adapters/0123456789abcdef/{key}")
    assert AdapterStore(settings).fetch(NAME, LIMITS) == first


def test_rechecks_a_cached_adapter_against_the_current_limits(s3: Any, settings: Settings, tmp_path: Path) -> None:
    upload_adapter(s3, BUCKET, "team/reviewers", NAME, write_stub_adapter(tmp_path / "a", BASE_MODEL))
    AdapterStore(settings).fetch(NAME, LIMITS)
    with pytest.raises(AdapterRejected, match="above this server's --max-lora-rank 4"):
        AdapterStore(settings).fetch(NAME, AdapterLimits(BASE_MODEL, 4, 1024**2))


def test_an_adapter_under_another_prefix_is_not_found(s3: Any, settings: Settings, tmp_path: Path) -> None:
    upload_adapter(s3, BUCKET, "elsewhere", NAME, write_stub_adapter(tmp_path / "a", BASE_MODEL))
    with pytest.raises(AdapterNotFound, match=r"s3://tlb-adapters/team/reviewers/acme/.*/adapter_config.json"):
        AdapterStore(settings).fetch(NAME, LIMITS)
    assert cache_entries(settings) == ["acme", "acme/widgets", "acme/widgets/alice", "acme/widgets/alice/adapters"]


def test_a_half_uploaded_adapter_is_not_found_and_not_cached(s3: Any, settings: Settings, tmp_path: Path) -> None:
    adapter = write_stub_adapter(tmp_path / "a", BASE_MODEL)
    (adapter / "adapter_model.safetensors").unlink()
    upload_adapter(s3, BUCKET, "team/reviewers", NAME, adapter)
    with pytest.raises(AdapterNotFound, match=r"adapter_model\.safetensors does not exist"):
        AdapterStore(settings).fetch(NAME, LIMITS)
    assert not any("0123456789abcdef" in entry for entry in cache_entries(settings))


def test_refuses_oversized_weights_before_downloading_them(s3: Any, settings: Settings, tmp_path: Path) -> None:
    upload_adapter(s3, BUCKET, "team/reviewers", NAME, write_stub_adapter(tmp_path / "a", BASE_MODEL))
    with pytest.raises(AdapterRejected, match=r"adapter_model.safetensors is \d+ bytes; the limit is 64"):
        AdapterStore(settings).fetch(NAME, AdapterLimits(BASE_MODEL, 8, max_adapter_bytes=64))
    assert not any("0123456789abcdef" in entry for entry in cache_entries(settings))


def test_a_rejected_adapter_leaves_nothing_in_the_cache(s3: Any, settings: Settings, tmp_path: Path) -> None:
    adapter = write_stub_adapter(tmp_path / "a", "meta-llama/Llama-3.1-70B-Instruct")
    upload_adapter(s3, BUCKET, "team/reviewers", NAME, adapter)
    with pytest.raises(AdapterRejected, match=r"trained on 'meta-llama/Llama-3\.1-70B-Instruct'"):
        AdapterStore(settings).fetch(NAME, LIMITS)
    assert not any("0123456789abcdef" in entry for entry in cache_entries(settings))
    # Once a good adapter is there, the same name resolves: nothing stale was kept.
    upload_adapter(s3, BUCKET, "team/reviewers", NAME, write_stub_adapter(tmp_path / "b", BASE_MODEL))
    assert AdapterStore(settings).fetch(NAME, LIMITS).is_dir()


def test_a_store_at_the_bucket_root(s3: Any, settings: Settings, tmp_path: Path) -> None:
    upload_adapter(s3, BUCKET, "", NAME, write_stub_adapter(tmp_path / "a", BASE_MODEL))
    root = Settings(**{**settings.__dict__, "prefix": ""})
    assert AdapterStore(root).uri(NAME) == "s3://tlb-adapters/acme/widgets/alice/adapters/0123456789abcdef/"
    assert AdapterStore(root).fetch(NAME, LIMITS).is_dir()
