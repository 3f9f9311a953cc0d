"""nginx in front of vLLM's CPU build: only the review step's routes, with keys scoped to repositories."""

from __future__ import annotations

import hashlib
import json
import secrets
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tlb_lora_resolver.adapter_name import parse_adapter_name
from tlb_lora_resolver.proxy import add_key
from tlb_lora_resolver.testing.proxy import running_proxy
from tlb_lora_resolver.testing.s3 import TEST_BUCKET as BUCKET
from tlb_lora_resolver.testing.s3 import free_port, upload_adapter
from tlb_lora_resolver.testing.tiny_adapter import make_random_adapter
from tlb_lora_resolver.testing.tiny_server import SERVED_MODEL_NAME, TinyServer, TinyServerConfig

pytestmark = pytest.mark.slow

PREFIX = "reviewers"
MESSAGES = [
    {"role": "system", "content": "You review pull requests."},
    {"role": "user", "content": "src/app.ts\n@@ -1,2 +1,2 @@\n-const a = 1\n+const a = 2"},
]
CHAT = {"messages": MESSAGES, "max_tokens": 8, "temperature": 0, "logprobs": True}
# vLLM's own key, known to nginx only: client keys never reach vLLM.
UPSTREAM_KEY = "upstream-" + secrets.token_hex(16)


class Stack:
    def __init__(self, proxy_url: str, vllm_url: str, log: Path) -> None:
        self.proxy_url = proxy_url
        self.vllm_url = vllm_url
        self.log = log
        self.keys: dict[str, str] = {}  # repository -> key
        self.adapters: dict[str, str] = {}  # repository -> adapter name


def request(
    url: str, method: str = "GET", body: Any = None, key: str | None = None, timeout: float = 180
) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, _json_or_text(response.read())
    except urllib.error.HTTPError as error:
        return error.code, _json_or_text(error.read())


def _json_or_text(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


@pytest.fixture(scope="module")
def stack(tiny_model_dir: Path, s3_endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    import boto3

    work = tmp_path_factory.mktemp("proxy")
    s3 = boto3.client("s3", endpoint_url=s3_endpoint)
    s3.create_bucket(Bucket=BUCKET)
    keys_file = work / "keys.json"
    proxy_port = free_port()
    config = TinyServerConfig(
        model_dir=tiny_model_dir,
        port=free_port(),
        s3_uri=f"s3://{BUCKET}/{PREFIX}",
        s3_endpoint=s3_endpoint,
        cache_dir=work / "adapter-cache",
        extra_env={"VLLM_API_KEY": UPSTREAM_KEY},
    )
    result = Stack(f"http://127.0.0.1:{proxy_port}", f"http://127.0.0.1:{config.port}", work / "server.log")
    for seed, (repository, reviewer) in enumerate([("acme/widgets", "alice"), ("other/private", "bob")], 1):
        adapter_dir = make_random_adapter(tiny_model_dir, work / f"adapter-{seed}", rank=8, seed=seed)
        digest = hashlib.sha256((adapter_dir / "adapter_model.safetensors").read_bytes()).hexdigest()
        name = parse_adapter_name(f"tlb/{repository}/{reviewer}/{digest[:16]}")
        assert name is not None
        upload_adapter(s3, BUCKET, PREFIX, name, adapter_dir)
        result.adapters[repository] = str(name)
        result.keys[repository] = add_key(keys_file, repository)

    with result.log.open("wb") as log, TinyServer(config, log) as server:
        try:
            server.start(timeout_s=300)
            with running_proxy(
                proxy_port, config.port, keys_file, work / "nginx", SERVED_MODEL_NAME, UPSTREAM_KEY, log
            ):
                yield result
        except Exception:
            print(result.log.read_text()[-6000:])
            raise


def chat(stack: Stack, model: str, key: str | None) -> tuple[int, Any]:
    return request(f"{stack.proxy_url}/v1/chat/completions", "POST", {**CHAT, "model": model}, key)


def test_health_answers_without_a_key(stack: Stack) -> None:
    assert request(f"{stack.proxy_url}/health")[0] == 200


def test_a_keyed_review_uses_its_repositorys_adapter_and_the_base_model(stack: Stack) -> None:
    key = stack.keys["acme/widgets"]
    status, body = chat(stack, stack.adapters["acme/widgets"], key)
    assert status == 200, body
    assert body["model"] == stack.adapters["acme/widgets"]
    assert body["choices"][0]["logprobs"]["content"]
    status, body = chat(stack, SERVED_MODEL_NAME, key)
    assert status == 200, body


def test_the_review_steps_client_call_works_through_the_proxy(stack: Stack) -> None:
    # What src/review/model-client.ts sends, through the same OpenAI client API (Python's).
    from openai import OpenAI, PermissionDeniedError

    client = OpenAI(base_url=f"{stack.proxy_url}/v1", api_key=stack.keys["acme/widgets"], max_retries=0, timeout=180)
    completion = client.chat.completions.create(
        model=stack.adapters["acme/widgets"], messages=MESSAGES, max_tokens=8, temperature=0, logprobs=True
    )
    assert completion.choices[0].logprobs.content
    with pytest.raises(PermissionDeniedError):
        client.chat.completions.create(model=stack.adapters["other/private"], messages=MESSAGES, max_tokens=8)


@pytest.mark.parametrize("key", [None, "", "not-a-key-of-this-server-0123456789", UPSTREAM_KEY])
def test_no_key_an_unknown_key_or_vllms_own_key_gets_401(stack: Stack, key: str | None) -> None:
    status, body = chat(stack, SERVED_MODEL_NAME, key)
    assert status == 401, body
    status, _ = request(f"{stack.proxy_url}/v1/models", key=key)
    assert status == 401


def test_another_repositorys_adapter_is_refused(stack: Stack) -> None:
    acme, other = stack.keys["acme/widgets"], stack.keys["other/private"]
    # Each key works for its own adapter (so the refusals below are about scope).
    assert chat(stack, stack.adapters["other/private"], other)[0] == 200
    status, body = chat(stack, stack.adapters["other/private"], acme)
    assert status == 403, body
    assert "tlb/acme/widgets/*" in body["error"]["message"]
    assert chat(stack, stack.adapters["acme/widgets"], other)[0] == 403
    # A repository whose name starts like this one's is another repository.
    alike = stack.adapters["acme/widgets"].replace("/widgets/", "/widgets-2/")
    assert chat(stack, alike, acme)[0] == 403


def test_the_model_checked_is_the_model_served(stack: Stack) -> None:
    # Two "model" keys: nginx and vLLM must not read different ones.
    body = json.dumps(CHAT)[:-1] + f', "model": "{stack.adapters["other/private"]}", "model": "{SERVED_MODEL_NAME}"}}'
    status, answer = request(
        f"{stack.proxy_url}/v1/chat/completions", "POST", body.encode(), stack.keys["acme/widgets"]
    )
    assert (status, answer["model"]) == (200, SERVED_MODEL_NAME)
    body = json.dumps(CHAT)[:-1] + f', "model": "{SERVED_MODEL_NAME}", "model": "{stack.adapters["other/private"]}"}}'
    status, _ = request(f"{stack.proxy_url}/v1/chat/completions", "POST", body.encode(), stack.keys["acme/widgets"])
    assert status == 403


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"model": 7}', b"{}"])
def test_a_body_without_a_model_gets_400(stack: Stack, body: bytes) -> None:
    status, answer = request(f"{stack.proxy_url}/v1/chat/completions", "POST", body, stack.keys["acme/widgets"])
    assert status == 400, answer


def test_the_model_list_shows_only_the_keys_own_models(stack: Stack) -> None:
    for repository in stack.keys:  # both adapters loaded
        assert chat(stack, stack.adapters[repository], stack.keys[repository])[0] == 200
    status, listing = request(f"{stack.proxy_url}/v1/models", key=stack.keys["acme/widgets"])
    assert status == 200, listing
    assert sorted(model["id"] for model in listing["data"]) == sorted(
        [SERVED_MODEL_NAME, stack.adapters["acme/widgets"]]
    )
    # vLLM itself lists both: the proxy is what hides the other one.
    _, everything = request(f"{stack.vllm_url}/v1/models", key=UPSTREAM_KEY)
    assert stack.adapters["other/private"] in {model["id"] for model in everything["data"]}


SAGEMAKER_CHAT = {"model": SERVED_MODEL_NAME, **CHAT}


def test_vllm_alone_answers_its_sagemaker_route_without_a_key(stack: Stack) -> None:
    # Why the proxy exists: vLLM's --api-key does not cover /invocations.
    status, body = request(f"{stack.vllm_url}/invocations", "POST", SAGEMAKER_CHAT)
    assert status == 200, body


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/invocations", SAGEMAKER_CHAT),
        ("POST", "/adapters", {"name": "tlb/acme/widgets/alice/0123456789abcdef", "src": "/tmp"}),
        ("POST", "/v1/load_lora_adapter", {"lora_name": "tlb/acme/widgets/eve/0123456789abcdef", "lora_path": "/"}),
        ("POST", "/v1/unload_lora_adapter", {"lora_name": "x"}),
        ("POST", "/v1/completions", {"model": SERVED_MODEL_NAME, "prompt": "hi", "max_tokens": 2}),
        ("POST", "/tokenize", {"model": SERVED_MODEL_NAME, "prompt": "hi"}),
        ("GET", "/metrics", None),
        ("GET", "/openapi.json", None),
        ("GET", "/docs", None),
        ("GET", "/_vllm/v1/models", None),
    ],
)
@pytest.mark.parametrize("keyed", [False, True])
def test_every_other_route_is_refused(stack: Stack, method: str, path: str, body: Any, keyed: bool) -> None:
    status, answer = request(f"{stack.proxy_url}{path}", method, body, stack.keys["acme/widgets"] if keyed else None)
    assert status == 404, answer


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/v1/chat/completions"), ("POST", "/v1/models"), ("POST", "/health")]
)
def test_the_allowed_routes_take_only_their_method(stack: Stack, method: str, path: str) -> None:
    status, _ = request(
        f"{stack.proxy_url}{path}", method, {} if method == "POST" else None, stack.keys["acme/widgets"]
    )
    assert status == 403


def test_the_access_log_names_the_repository_and_never_a_key(stack: Stack) -> None:
    chat(stack, SERVED_MODEL_NAME, stack.keys["acme/widgets"])
    log = stack.log.read_text()
    assert 'POST /v1/chat/completions" 200' in log
    assert "repository=acme/widgets" in log
    assert not any(key in log for key in [*stack.keys.values(), UPSTREAM_KEY])
