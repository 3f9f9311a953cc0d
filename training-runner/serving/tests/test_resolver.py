import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest

from tlb_lora_resolver import plugin
from tlb_lora_resolver.adapter_name import parse_adapter_name
from tlb_lora_resolver.resolver import S3AdapterResolver
from tlb_lora_resolver.settings import Settings, SettingsError
from tlb_lora_resolver.testing.s3 import TEST_BUCKET as BUCKET
from tlb_lora_resolver.testing.s3 import upload_adapter
from tlb_lora_resolver.testing.tiny_adapter import write_stub_adapter

MODEL_PATH = "/models/tiny"
BASE_MODEL = "tech-lead-bot/tiny-random-llama-3.1"
NAME = "tlb/acme/widgets/alice/0123456789abcdef"


def settings_for(endpoint: str, cache_dir: Path, expected_base_model: str | None = BASE_MODEL) -> Settings:
    return Settings(
        bucket=BUCKET,
        prefix="reviewers",
        endpoint_url=endpoint,
        cache_dir=cache_dir,
        expected_base_model=expected_base_model,
        max_lora_rank=8,
        max_adapter_bytes=1024**2,
    )


def resolve(settings: Settings, name: str, base_model_name: str = MODEL_PATH) -> Any:
    return asyncio.run(S3AdapterResolver(settings).resolve_lora(base_model_name, name))


@pytest.fixture
def uploaded(s3: Any, tmp_path: Path) -> None:
    adapter_name = parse_adapter_name(NAME)
    assert adapter_name is not None
    upload_adapter(s3, BUCKET, "reviewers", adapter_name, write_stub_adapter(tmp_path / "upload", BASE_MODEL))


@pytest.mark.usefixtures("uploaded")
def test_resolves_an_adapter_to_a_lora_request(s3_endpoint: str, tmp_path: Path) -> None:
    request = resolve(settings_for(s3_endpoint, tmp_path / "cache"), NAME)
    assert request.lora_name == NAME
    assert request.lora_int_id >= 1
    assert Path(request.lora_path) == tmp_path / "cache/acme/widgets/alice/adapters/0123456789abcdef"
    assert request.base_model_name == MODEL_PATH


@pytest.mark.usefixtures("uploaded")
def test_without_an_expected_id_the_served_model_must_match(s3_endpoint: str, tmp_path: Path) -> None:
    settings = settings_for(s3_endpoint, tmp_path / "cache", expected_base_model=None)
    assert resolve(settings, NAME, base_model_name=MODEL_PATH) is None
    assert resolve(settings, NAME, base_model_name=BASE_MODEL) is not None


@pytest.mark.usefixtures("uploaded")
@pytest.mark.parametrize(
    "name", ["tlb/../x", "tlb/a/b/c/../../..", NAME.upper(), NAME + "/x", NAME.replace("/", "%2F")]
)
def test_other_names_resolve_to_none(s3_endpoint: str, tmp_path: Path, name: str) -> None:
    assert resolve(settings_for(s3_endpoint, tmp_path / "cache"), name) is None
    assert not (tmp_path / "cache").exists()


@pytest.mark.usefixtures("s3")
def test_an_unknown_adapter_resolves_to_none(
    s3_endpoint: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        logging.getLogger("vllm.tlb_lora_resolver").addHandler(caplog.handler)
        try:
            assert resolve(settings_for(s3_endpoint, tmp_path / "cache"), NAME) is None
        finally:
            logging.getLogger("vllm.tlb_lora_resolver").removeHandler(caplog.handler)
    assert "Adapter tlb/acme/widgets/alice/0123456789abcdef not found" in caplog.text


def test_an_unreachable_store_resolves_to_none(tmp_path: Path) -> None:
    from tlb_lora_resolver.testing.s3 import free_port

    assert resolve(settings_for(f"http://127.0.0.1:{free_port()}", tmp_path / "cache"), NAME) is None


def test_registration_is_safe_to_repeat(monkeypatch: pytest.MonkeyPatch, s3_endpoint: str) -> None:
    from vllm.lora.resolver import LoRAResolverRegistry

    monkeypatch.setattr(LoRAResolverRegistry, "resolvers", {})
    monkeypatch.setenv("TLB_S3_URI", f"s3://{BUCKET}/reviewers")
    plugin.register()
    first = LoRAResolverRegistry.get_resolver(plugin.RESOLVER_NAME)
    plugin.register()
    assert LoRAResolverRegistry.get_resolver(plugin.RESOLVER_NAME) is first
    assert isinstance(first, S3AdapterResolver)


def test_registration_without_a_store_registers_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from vllm.lora.resolver import LoRAResolverRegistry

    monkeypatch.setattr(LoRAResolverRegistry, "resolvers", {})
    monkeypatch.delenv("TLB_S3_URI", raising=False)
    plugin.register()
    assert plugin.RESOLVER_NAME not in LoRAResolverRegistry.get_supported_resolvers()


def test_registration_with_a_bad_setting_fails_the_server_start(monkeypatch: pytest.MonkeyPatch) -> None:
    from vllm.lora.resolver import LoRAResolverRegistry

    monkeypatch.setattr(LoRAResolverRegistry, "resolvers", {})
    monkeypatch.setenv("TLB_S3_URI", "bucket/prefix")
    with pytest.raises(SettingsError, match="Invalid TLB_S3_URI 'bucket/prefix'"):
        plugin.register()


def test_the_plugin_is_exposed_to_vllm() -> None:
    from importlib.metadata import entry_points

    (entry,) = [ep for ep in entry_points(group="vllm.general_plugins") if ep.name == "tlb_lora_resolver"]
    assert entry.load() is plugin.register
