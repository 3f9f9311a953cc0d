"""moto's S3 server and the adapter layout in it, for tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tlb_lora_resolver.adapter_name import AdapterName

TEST_BUCKET = "tlb-adapters"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def moto_server(timeout_s: float = 30) -> Iterator[str]:
    """moto's S3 server (``python -m moto.server``) on a free loopback port; yields its endpoint."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto's S3 server did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def upload_adapter(client: Any, bucket: str, prefix: str, name: AdapterName, adapter_dir: Path) -> None:
    """Put an adapter's files where the trainer does: <prefix>/<owner>/<repo>/<reviewer>/adapters/<id>/."""
    for path in sorted(Path(adapter_dir).iterdir()):
        if path.is_file():
            key = "/".join([*([prefix] if prefix else []), *name.relative_parts(), path.name])
            client.upload_file(str(path), bucket, key)
