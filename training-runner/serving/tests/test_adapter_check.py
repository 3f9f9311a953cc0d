from pathlib import Path

import pytest

from tlb_lora_resolver.adapter_check import AdapterLimits, AdapterRejected, check_adapter_dir
from tlb_lora_resolver.testing.tiny_adapter import write_stub_adapter

BASE_MODEL = "tech-lead-bot/tiny-random-llama-3.1"

LIMITS = AdapterLimits(base_model=BASE_MODEL, max_lora_rank=8, max_adapter_bytes=1024**2)


def test_accepts_a_peft_lora_adapter(tmp_path: Path) -> None:
    check_adapter_dir(write_stub_adapter(tmp_path, BASE_MODEL), LIMITS)


@pytest.mark.parametrize(
    ("config", "reason"),
    [
        ({"peft_type": "IA3"}, "only 'LORA'"),
        ({"peft_type": None}, "only 'LORA'"),
        ({"base_model_name_or_path": "meta-llama/Llama-3.1-70B-Instruct"}, "trained on 'meta-llama/Llama-3.1-70B"),
        ({"base_model_name_or_path": None}, "trained on None"),
        ({"r": 16}, r"rank 16 is above this server's --max-lora-rank 8"),
        ({"r": 0}, "not a positive integer"),
        ({"r": "8"}, "not a positive integer"),
        ({"r": True}, "not a positive integer"),
        ({"rank_pattern": {"q_proj": 64}}, "rank 64 is above"),
        ({"use_dora": True}, "DoRA"),
    ],
)
def test_refuses_a_config_this_server_cannot_serve(tmp_path: Path, config: dict[str, object], reason: str) -> None:
    with pytest.raises(AdapterRejected, match=reason):
        check_adapter_dir(write_stub_adapter(tmp_path, BASE_MODEL, **config), LIMITS)


@pytest.mark.parametrize("missing", ["adapter_config.json", "adapter_model.safetensors"])
def test_refuses_a_missing_file(tmp_path: Path, missing: str) -> None:
    (write_stub_adapter(tmp_path, BASE_MODEL) / missing).unlink()
    with pytest.raises(AdapterRejected, match=f"{missing} is missing"):
        check_adapter_dir(tmp_path, LIMITS)


def test_refuses_weights_over_the_size_limit(tmp_path: Path) -> None:
    write_stub_adapter(tmp_path, BASE_MODEL)
    with pytest.raises(AdapterRejected, match=r"adapter_model.safetensors is \d+ bytes; the limit is 100"):
        check_adapter_dir(tmp_path, AdapterLimits(BASE_MODEL, 8, max_adapter_bytes=100))


def test_refuses_a_huge_config(tmp_path: Path) -> None:
    write_stub_adapter(tmp_path, BASE_MODEL)
    (tmp_path / "adapter_config.json").write_text(" " * (1024**2 + 1))
    with pytest.raises(AdapterRejected, match=r"adapter_config.json is 1048577 bytes"):
        check_adapter_dir(tmp_path, LIMITS)


@pytest.mark.parametrize(
    ("content", "reason"),
    [("{not json", "not JSON"), ("[1, 2]", "not a JSON object"), ("\udcff", "not JSON")],
)
def test_refuses_a_config_that_is_not_a_json_object(tmp_path: Path, content: str, reason: str) -> None:
    write_stub_adapter(tmp_path, BASE_MODEL)
    (tmp_path / "adapter_config.json").write_bytes(content.encode("utf-8", "surrogateescape"))
    with pytest.raises(AdapterRejected, match=reason):
        check_adapter_dir(tmp_path, LIMITS)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x01\x02", "truncated"),
        ((2**40).to_bytes(8, "little"), "implausible header size"),
        ((8).to_bytes(8, "little") + b"garbage!", "not a safetensors file"),
        ((2).to_bytes(8, "little") + b"{}", "holds no tensors"),
    ],
)
def test_refuses_weights_that_are_not_safetensors(tmp_path: Path, content: bytes, reason: str) -> None:
    write_stub_adapter(tmp_path, BASE_MODEL)
    (tmp_path / "adapter_model.safetensors").write_bytes(content)
    with pytest.raises(AdapterRejected, match=reason):
        check_adapter_dir(tmp_path, LIMITS)
