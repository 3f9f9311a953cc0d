"""The pull request's status comment, which the prepare step created and this step edits.

The body keeps the TypeScript side's shape (src/steps/status-text.ts):

    <!-- tech-lead-bot:status reviewer=alice -->
    ### tech-lead-bot · reviewing as `alice`

    - ✅ what happened
    - ⏳ Next: what happens next

    <sub>[Workflow run](...)</sub>

This step keeps the marker, the heading and the bullets so far, replaces a
trailing ``⏳`` line (the plan that is now happening) with its own lines, and
may add a table under the bullets.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from tech_lead_trainer.errors import error_message

ICONS = {"done": "✅", "next": "⏳", "failed": "❌", "note": "ℹ️"}  # noqa: RUF001
ATTEMPTS = 3
MARKER_START = "<!-- tech-lead-bot:status "


@dataclass(frozen=True)
class StatusLine:
    state: str  # a key of ICONS
    text: str

    def render(self) -> str:
        return f"- {ICONS[self.state]} {self.text}"


def marker(reviewer: str) -> str:
    return f"<!-- tech-lead-bot:status reviewer={reviewer.lower()} -->"


def render(previous: str | None, reviewer: str, run_url: str, lines: list[StatusLine], table: str = "") -> str:
    """The new body: the previous marker, heading and bullets, then ``lines``, then ``table``."""
    first_line = marker(reviewer)
    heading = f"### tech-lead-bot · reviewing as `{reviewer}`"
    bullets: list[str] = []
    if previous and previous.startswith(MARKER_START):
        first_line, *rest = previous.splitlines()
        for line in rest:
            if line.startswith("### "):
                heading = line
            elif line.startswith("- "):
                bullets.append(line)
    while bullets and bullets[-1].startswith(f"- {ICONS['next']} "):
        bullets.pop()
    body = [first_line, heading, "", *bullets, *(line.render() for line in lines)]
    if table:
        body += ["", table.rstrip("\n")]
    body += ["", f"<sub>[Workflow run]({run_url})</sub>"]
    return "\n".join(body)


class StatusComment:
    """Reads and edits one issue comment through the GitHub REST API, retrying 5xx answers."""

    def __init__(self, api_url: str, repository: str, comment_id: int, token: str | None) -> None:
        self._url = f"{api_url}/repos/{repository}/issues/comments/{comment_id}"
        self._token = token

    def read(self) -> str:
        return str(self._call("GET", None)["body"])

    def write(self, body: str) -> None:
        self._call("PATCH", {"body": body})

    def _call(self, method: str, payload: dict[str, str] | None) -> dict[str, object]:
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": "tech-lead-bot-trainer",
        }
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        data = None
        if payload is not None:
            data = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        attempt = 0
        while True:
            attempt += 1
            request = urllib.request.Request(self._url, data=data, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    return json.loads(response.read() or b"{}")
            except urllib.error.HTTPError as error:
                if error.code < 500 or attempt == ATTEMPTS:
                    raise StatusCommentError(_http_message(method, error)) from None
            except (urllib.error.URLError, TimeoutError) as error:
                if attempt == ATTEMPTS:
                    raise StatusCommentError(f"{method} {self._url} failed: {error_message(error)}") from None
            time.sleep(0.5 * 2 ** (attempt - 1))


class StatusCommentError(Exception):
    pass


def _http_message(method: str, error: urllib.error.HTTPError) -> str:
    hint = ""
    if error.code in {401, 403, 404}:
        hint = " Pass a github-token with `pull-requests: write` and `issues: write` to the train action."
    return f"{method} {error.url} answered {error.code} {error.reason}.{hint}"
