"""Starts vLLM's CPU build serving a test model with our resolver, and stops it without leftovers.

The model is the tiny random Llama (the default) or SmolLM2-135M-Instruct
(``--chat-template chatml_chat_template --max-lora-rank 16``), each with the
chat template production serves its family with.

As a command, for tests in other languages::

    python -m tlb_lora_resolver.testing.tiny_server --model-dir DIR --port PORT \\
        --s3-uri s3://bucket/prefix --s3-endpoint http://127.0.0.1:PORT

prints one JSON line once ``/health`` answers (``base_url``, ``model``,
``startup_s``), then runs until SIGTERM, SIGINT or SIGHUP and takes the
server down with it. vLLM's log goes to stderr (or --log-file).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tlb_lora_resolver.testing.tiny_adapter import base_model_id

# Served under its (pretend) hub id, as production serves the base model: the action's
# base-model input names it for reviews without an adapter.
SERVED_MODEL_NAME = "tech-lead-bot/tiny-random-llama-3.1"
# The templates production serves with (launch-l40s.sh), so tests render prompts as production does.
CHAT_TEMPLATES = Path(__file__).resolve().parents[1]
CHAT_TEMPLATE = CHAT_TEMPLATES / "llama3_chat_template.jinja"
MAX_LORA_RANK = 8

_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class TinyServerConfig:
    model_dir: Path
    port: int
    s3_uri: str
    s3_endpoint: str | None
    cache_dir: Path
    host: str = "127.0.0.1"
    max_model_len: int = 1024
    max_loras: int = 4
    chat_template: Path = CHAT_TEMPLATE
    max_lora_rank: int = MAX_LORA_RANK
    extra_env: Mapping[str, str] = field(default_factory=dict)

    @property
    def served_model_name(self) -> str:
        # Its hub id (SERVED_MODEL_NAME for the tiny model), as production serves the base model.
        return base_model_id(self.model_dir)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "tlb_lora_resolver.testing.vllm_cpu_cli",
            "serve",
            str(self.model_dir),
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--served-model-name",
            self.served_model_name,
            "--chat-template",
            str(self.chat_template),
            "--dtype",
            "float32",
            "--max-model-len",
            str(self.max_model_len),
            # The flag, not VLLM_CPU_KVCACHE_SPACE: that one only takes whole
            # GiB and overrides the flag.
            "--kv-cache-memory-bytes",
            "64M",
            "--enable-lora",
            "--max-lora-rank",
            str(self.max_lora_rank),
            "--max-loras",
            str(self.max_loras),
        ]

    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            # A tuning knob of the surrounding shell must not change the test server.
            if not key.startswith(("VLLM_", "TLB_"))
        }
        env.update(
            {
                "VLLM_TARGET_DEVICE": "cpu",
                "VLLM_NO_USAGE_STATS": "1",
                "VLLM_ALLOW_RUNTIME_LORA_UPDATING": "1",
                # Our resolver only: not vLLM's filesystem or Hugging Face Hub resolvers.
                "VLLM_PLUGINS": "tlb_lora_resolver",
                "HF_HUB_OFFLINE": "1",
                "TLB_S3_URI": self.s3_uri,
                "TLB_ADAPTER_CACHE_DIR": str(self.cache_dir),
                "TLB_BASE_MODEL_ID": base_model_id(self.model_dir),
                "TLB_MAX_LORA_RANK": str(self.max_lora_rank),
                "AWS_REGION": os.environ.get("AWS_REGION", "us-east-1"),
            }
        )
        if self.s3_endpoint:
            env["TLB_S3_ENDPOINT"] = self.s3_endpoint
        env.update(self.extra_env)
        return env


class TinyServer:
    """One vLLM server process group; ``stop()`` ends all of it."""

    def __init__(self, config: TinyServerConfig, log: IO[bytes] | None = None) -> None:
        self.config = config
        self._log = log
        self._process: subprocess.Popen[bytes] | None = None
        self.pid: int | None = None  # also vLLM's process group id
        self.startup_s: float | None = None

    def start(self, timeout_s: float = 300) -> None:
        started = time.monotonic()
        self._process = subprocess.Popen(
            self.config.command(),
            env=self.config.env(),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT if self._log else None,
            # Its own process group, so that stop() reaches vLLM's engine and
            # worker processes too; and a SIGTERM if we die without stopping it.
            start_new_session=True,
            preexec_fn=_terminate_with_parent,
        )
        self.pid = self._process.pid
        self._wait_ready(started + timeout_s)
        self.startup_s = time.monotonic() - started

    @property
    def health_url(self) -> str:
        return f"http://{self.config.host}:{self.config.port}/health"

    def _wait_ready(self, deadline: float) -> None:
        assert self._process is not None
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"vLLM exited with status {self._process.returncode} before it was ready")
            try:
                # /health, not /v1/models: the proxy tests give vLLM an API key, and /health needs none.
                with urllib.request.urlopen(self.health_url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.5)
        self.stop()
        raise TimeoutError(f"vLLM did not answer {self.health_url} in time")

    def wait(self) -> int:
        assert self._process is not None
        return self._process.wait()

    def stop(self, grace_s: float = 20) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace_s)
        # Whatever of the group outlived its leader (or ignored SIGTERM).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        # Return only once the group is gone (its other members are reaped by init).
        deadline = time.monotonic() + 10
        while _group_exists(process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)

    def __enter__(self) -> TinyServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def running(config: TinyServerConfig, log: IO[bytes] | None = None, timeout_s: float = 300) -> Iterator[TinyServer]:
    with TinyServer(config, log) as server:
        server.start(timeout_s)
        yield server


def _group_exists(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _terminate_with_parent() -> None:
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tlb_lora_resolver.testing.tiny_server", description=__doc__)
    parser.add_argument("--model-dir", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--s3-uri", required=True, help="s3://bucket/prefix the adapters live under")
    parser.add_argument("--s3-endpoint", help="S3 endpoint override, e.g. moto's http://127.0.0.1:PORT")
    parser.add_argument("--cache-dir", type=Path, help="adapter cache (default: <model-dir>/../adapter-cache)")
    parser.add_argument("--log-file", type=Path, help="vLLM's log (default: stderr)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for readiness")
    parser.add_argument(
        "--chat-template", default="llama3_chat_template", help="the package's <name>.jinja the model's family needs"
    )
    parser.add_argument("--max-lora-rank", type=int, default=MAX_LORA_RANK)
    parser.add_argument("--max-model-len", type=int, default=1024)
    args = parser.parse_args(argv)

    model_dir = args.model_dir.resolve()
    config = TinyServerConfig(
        model_dir=model_dir,
        port=args.port,
        s3_uri=args.s3_uri,
        s3_endpoint=args.s3_endpoint,
        cache_dir=(args.cache_dir or model_dir.parent / "adapter-cache").resolve(),
        chat_template=CHAT_TEMPLATES / f"{args.chat_template}.jinja",
        max_lora_rank=args.max_lora_rank,
        max_model_len=args.max_model_len,
    )
    log = args.log_file.open("ab") if args.log_file else None
    server = TinyServer(config, log)

    def stop(signum: int, _frame: object) -> None:
        server.stop()
        sys.exit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, stop)
    try:
        server.start(args.timeout)
        print(
            json.dumps({"base_url": config.base_url, "model": config.served_model_name, "startup_s": server.startup_s}),
            flush=True,
        )
        sys.exit(server.wait())
    finally:
        server.stop()


if __name__ == "__main__":
    main()
