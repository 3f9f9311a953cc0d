"""nginx with the proxy's configuration in front of a test vLLM, on loopback."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from tlb_lora_resolver.proxy import render_config


@contextlib.contextmanager
def running_proxy(
    port: int,
    upstream_port: int,
    keys_file: Path,
    state_dir: Path,
    base_model: str,
    upstream_key: str,
    log: IO[bytes],
    timeout_s: float = 30,
) -> Iterator[subprocess.Popen[bytes]]:
    """nginx on 127.0.0.1:``port`` until the block ends; its errors and access log go to ``log``."""
    config = render_config(f"127.0.0.1:{port}", f"127.0.0.1:{upstream_port}", keys_file, state_dir)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    env = {"PATH": os.environ["PATH"], "TLB_PROXY_BASE_MODEL": base_model, "TLB_PROXY_UPSTREAM_KEY": upstream_key}
    process = subprocess.Popen(
        [nginx, "-e", "stderr", "-c", str(config)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        # Its own group, so that the workers go too should the master need SIGKILL.
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
                    raise RuntimeError(f"nginx did not start (status {process.poll()}); see its log") from None
                time.sleep(0.1)
        yield process
    finally:
        # SIGTERM is nginx's fast shutdown; its master waits for its workers.
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
