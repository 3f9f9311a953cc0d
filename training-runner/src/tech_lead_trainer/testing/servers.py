"""Loopback stand-ins for the network services the train step talks to, for tests.

- moto's S3 server, started as its own process (``python -m moto.server``);
- a small GitHub API: the one endpoint the trainer calls, GET and PATCH of an
  issue comment, recording every request. It is a mock of a network boundary.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def moto_server(extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Starts moto's server on a free loopback port, yields its endpoint, stops it after."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env={**os.environ, **(extra_env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto's server did not start on {endpoint}") from None
                time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Request:
    method: str
    path: str
    authorization: str | None
    body: dict[str, object] | None


@dataclass
class FakeGitHub:
    """Issue comments of ``repository`` by id, and every request made to them."""

    url: str = ""
    repository: str = "acme/widgets"
    comments: dict[int, str] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    # Statuses to answer the next PATCH requests with, before answering normally.
    failures: list[int] = field(default_factory=list)

    def patches(self) -> list[str]:
        return [str(request.body["body"]) for request in self.requests if request.method == "PATCH" and request.body]


@contextmanager
def github_api() -> Iterator[FakeGitHub]:
    fake = FakeGitHub()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._answer(None)

        def do_PATCH(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            self._answer(json.loads(self.rfile.read(length)))

        def _answer(self, body: dict[str, object] | None) -> None:
            fake.requests.append(Request(self.command, self.path, self.headers.get("Authorization"), body))
            prefix = f"/repos/{fake.repository}/issues/comments/"
            comment_id = int(self.path[len(prefix) :]) if self.path[len(prefix) :].isdigit() else None
            if not self.path.startswith(prefix) or comment_id not in fake.comments:
                self._send(404, {"message": "Not Found"})
            elif body is not None and fake.failures:
                self._send(fake.failures.pop(0), {"message": "Server Error"})
            else:
                if body is not None:
                    fake.comments[comment_id] = str(body["body"])
                self._send(200, {"id": comment_id, "body": fake.comments[comment_id]})

        def _send(self, status: int, payload: dict[str, object]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
