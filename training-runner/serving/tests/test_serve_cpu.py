"""vLLM's CPU build serving the tiny model, with adapters resolved from moto's S3 by our plugin."""

from __future__ import annotations

import hashlib
import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tlb_lora_resolver.adapter_name import parse_adapter_name
from tlb_lora_resolver.testing.s3 import TEST_BUCKET as BUCKET
from tlb_lora_resolver.testing.s3 import free_port, upload_adapter
from tlb_lora_resolver.testing.tiny_adapter import make_random_adapter
from tlb_lora_resolver.testing.tiny_server import CHAT_TEMPLATE, SERVED_MODEL_NAME, TinyServer, TinyServerConfig

pytestmark = pytest.mark.slow

PREFIX = "reviewers"
MESSAGES = [
    {"role": "system", "content": "You review pull requests."},
    {"role": "user", "content": "src/app.ts\n@@ -1,2 +1,2 @@\n-const a = 1\n+const a = 2"},
]
TIMINGS: dict[str, float] = {}


def adapter_name_for(adapter_dir: Path, reviewer: str = "alice") -> str:
    digest = hashlib.sha256((adapter_dir / "adapter_model.safetensors").read_bytes()).hexdigest()
    return f"tlb/acme/widgets/{reviewer}/{digest[:16]}"


def upload(s3: Any, adapter_dir: Path, name: str) -> None:
    adapter_name = parse_adapter_name(name)
    assert adapter_name is not None
    upload_adapter(s3, BUCKET, PREFIX, adapter_name, adapter_dir)


@pytest.fixture(scope="module")
def s3_module(s3_endpoint: str) -> Any:
    import boto3

    client = boto3.client("s3", endpoint_url=s3_endpoint)
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture(scope="module")
def adapter(tiny_model_dir: Path, s3_module: Any, tmp_path_factory: pytest.TempPathFactory) -> str:
    adapter_dir = make_random_adapter(tiny_model_dir, tmp_path_factory.mktemp("adapter"), rank=8, seed=1)
    name = adapter_name_for(adapter_dir)
    upload(s3_module, adapter_dir, name)
    return name


@pytest.fixture(scope="module")
def server(
    tiny_model_dir: Path, s3_endpoint: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TinyServer, Path]]:
    work = tmp_path_factory.mktemp("server")
    config = TinyServerConfig(
        model_dir=tiny_model_dir,
        port=free_port(),
        s3_uri=f"s3://{BUCKET}/{PREFIX}",
        s3_endpoint=s3_endpoint,
        cache_dir=work / "adapter-cache",
    )
    log_path = work / "vllm.log"
    with log_path.open("wb") as log, TinyServer(config, log) as server:
        try:
            server.start(timeout_s=300)
        except Exception:
            print(log_path.read_text()[-6000:])
            raise
        assert server.startup_s is not None
        TIMINGS["startup_s"] = server.startup_s
        pid = server.pid
        yield server, log_path
    # Nothing of vLLM's process group is left.
    with pytest.raises(ProcessLookupError):
        os.killpg(pid, 0)
    print("\ntimings:", json.dumps({key: round(value, 3) for key, value in TIMINGS.items()}))


def post(server: TinyServer, path: str, body: dict[str, Any], timeout: float = 120) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        f"http://{server.config.host}:{server.config.port}{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def chat(server: TinyServer, model: str, timeout: float = 120) -> tuple[int, dict[str, Any]]:
    return post(
        server,
        "/v1/chat/completions",
        {
            "model": model,
            "messages": MESSAGES,
            "max_tokens": 16,
            "temperature": 0,
            "logprobs": True,
            "top_logprobs": 2,
        },
        timeout,
    )


def timed_chat(server: TinyServer, model: str, key: str, timeout: float = 120) -> tuple[int, dict[str, Any]]:
    started = time.monotonic()
    result = chat(server, model, timeout)
    TIMINGS[key] = time.monotonic() - started
    return result


def token_logprobs(body: dict[str, Any]) -> list[tuple[str, float]]:
    return [(item["token"], item["logprob"]) for item in body["choices"][0]["logprobs"]["content"]]


def test_the_served_template_is_the_one_the_trainer_trains_with(tiny_model_dir: Path) -> None:
    tokenizer_config = json.loads((tiny_model_dir / "tokenizer_config.json").read_text())
    # Jinja drops the file's final newline.
    assert CHAT_TEMPLATE.read_text().removesuffix("\n") == tokenizer_config["chat_template"]


def test_chat_prompts_render_in_the_training_format(server: tuple[TinyServer, Path]) -> None:
    expected = "<|begin_of_text|>" + "".join(
        f"<|start_header_id|>{m['role']}<|end_header_id|>\n\n{m['content'].strip()}<|eot_id|>" for m in MESSAGES
    )
    expected += "<|start_header_id|>assistant<|end_header_id|>\n\n"
    _, from_chat = post(
        server[0], "/tokenize", {"model": SERVED_MODEL_NAME, "messages": MESSAGES, "add_generation_prompt": True}
    )
    _, from_text = post(
        server[0], "/tokenize", {"model": SERVED_MODEL_NAME, "prompt": expected, "add_special_tokens": False}
    )
    assert from_chat["tokens"] == from_text["tokens"]


def test_base_model_answers_with_logprobs(server: tuple[TinyServer, Path]) -> None:
    # The first request with logprobs can take seconds longer (notes): a generous timeout.
    status, body = timed_chat(server[0], SERVED_MODEL_NAME, "base_first_request_s", timeout=180)
    assert status == 200, body
    assert token_logprobs(body)
    status, _ = timed_chat(server[0], SERVED_MODEL_NAME, "base_warm_request_s")
    assert status == 200


def test_adapter_is_fetched_from_s3_on_first_use(server: tuple[TinyServer, Path], adapter: str) -> None:
    status, body = timed_chat(server[0], adapter, "adapter_first_request_s", timeout=180)
    assert status == 200, body
    assert body["model"] == adapter
    logprobs = token_logprobs(body)
    assert logprobs
    assert all(-100 < logprob <= 0 for _, logprob in logprobs)
    assert f"Resolved and loaded LoRA adapter '{adapter}'" in server[1].read_text()

    status, again = timed_chat(server[0], adapter, "adapter_warm_request_s")
    assert status == 200
    assert token_logprobs(again) == logprobs  # temperature 0: reproducible

    _, base = chat(server[0], SERVED_MODEL_NAME)
    assert token_logprobs(base) != logprobs  # the adapter is applied


def test_warm_latency(server: tuple[TinyServer, Path], adapter: str) -> None:
    chat(server[0], adapter, timeout=180)
    started = time.monotonic()
    for _ in range(10):
        assert chat(server[0], adapter)[0] == 200
    TIMINGS["adapter_warm_request_mean_s_of_10"] = (time.monotonic() - started) / 10


@pytest.mark.parametrize(
    "name",
    [
        "tlb/../x",
        "tlb/a/b/c/../../..",
        "tlb/ACME/widgets/alice/0123456789abcdef",
        "tlb/acme/widgets/alice/0123456789abcdef/extra",
        "tlb%2Facme%2Fwidgets%2Falice%2F0123456789abcdef",
        "tlb/acme/widgets/alice/0123456789abcdef",  # well formed, not in the store
        "meta-llama/Llama-3.1-8B-Instruct",
    ],
)
def test_other_names_get_404(server: tuple[TinyServer, Path], name: str) -> None:
    status, body = chat(server[0], name)
    assert status == 404, body


def test_an_adapter_for_another_base_model_gets_404(
    server: tuple[TinyServer, Path], tiny_model_dir: Path, s3_module: Any, tmp_path: Path
) -> None:
    adapter_dir = make_random_adapter(tiny_model_dir, tmp_path / "foreign", rank=8, seed=2)
    config_path = adapter_dir / "adapter_config.json"
    config = json.loads(config_path.read_text())
    config["base_model_name_or_path"] = "meta-llama/Llama-3.1-8B-Instruct"
    config_path.write_text(json.dumps(config))
    name = adapter_name_for(adapter_dir, reviewer="bob")
    upload(s3_module, adapter_dir, name)

    status, body = chat(server[0], name)
    assert status == 404, body
    assert "trained on 'meta-llama/Llama-3.1-8B-Instruct'" in server[1].read_text()
