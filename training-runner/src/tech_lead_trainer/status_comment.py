"""The pull request's status comment, which the prepare step created and this step adds to.

The document and its body are specified once, for both languages, in
contracts/status-comment/README.md (the TypeScript side is
src/github/status-document.ts); both test suites check the golden files there.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from tech_lead_trainer.errors import error_message

ICONS = {"done": "✅", "next": "⏳", "failed": "❌", "note": "ℹ️"}  # noqa: RUF001
STATES = {icon: state for state, icon in ICONS.items()}
ATTEMPTS = 3
_MARKER = re.compile(r"^<!-- tech-lead-bot:status reviewer=(\S+) -->$")
_HEADING = re.compile(r"^### tech-lead-bot · reviewing as `([^`]+)`$")
_LINE = re.compile(r"^- (\S+) (.+)$")
_FOOTER = re.compile(r"^<sub>\[Workflow run\]\((\S+)\)</sub>$")
_SECTION_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class StatusLine:
    state: str  # a key of ICONS
    text: str

    def render(self) -> str:
        return f"- {ICONS[self.state]} {_one_line(self.text)}"


@dataclass(frozen=True)
class StatusDocument:
    reviewer: str
    run_url: str
    lines: tuple[StatusLine, ...] = ()
    blocks: tuple[str, ...] = field(default=())  # markdown under the lines, e.g. the metrics table


def marker(reviewer: str) -> str:
    return f"<!-- tech-lead-bot:status reviewer={reviewer.lower()} -->"


def render(document: StatusDocument) -> str:
    """The comment's body, marker included."""
    body = [marker(document.reviewer), f"### tech-lead-bot · reviewing as `{document.reviewer}`", ""]
    body += [line.render() for line in document.lines]
    for block in document.blocks:
        body += ["", _without_blank_lines(block)]
    body += ["", f"<sub>[Workflow run]({document.run_url})</sub>"]
    return "\n".join(body)


def parse(body: str) -> StatusDocument | None:
    """The document a body renders, or None when the body is not a status comment of this shape."""
    body_lines = body.replace("\r\n", "\n").split("\n")
    if len(body_lines) < 3:
        return None
    first, heading, *rest = body_lines
    reviewer_match = _HEADING.match(heading)
    marker_match = _MARKER.match(first)
    if not reviewer_match or not marker_match or marker_match[1] != reviewer_match[1].lower():
        return None
    sections = _SECTION_BREAK.split("\n".join(rest))
    footer = _FOOTER.match(sections.pop().strip()) if len(sections) > 1 else None
    if rest[0] != "" or footer is None:
        return None
    lines = []
    for text in filter(None, sections[0].split("\n")):
        match = _LINE.match(text)
        if not match or match[1] not in STATES:
            return None
        lines.append(StatusLine(STATES[match[1]], match[2]))
    blocks = tuple(block for block in sections[1:] if block.strip())
    return StatusDocument(reviewer=reviewer_match[1], run_url=footer[1], lines=tuple(lines), blocks=blocks)


def append(
    base: StatusDocument | None, reviewer: str, run_url: str, lines: list[StatusLine], blocks: list[str]
) -> StatusDocument:
    """What a step publishes: the document as it read it, then its own lines and blocks."""
    kept = list(base.lines) if base else []
    # A trailing "next" line was the plan; the step that now runs says what happened.
    while kept and kept[-1].state == "next":
        kept.pop()
    return StatusDocument(
        reviewer=base.reviewer if base else reviewer,
        run_url=run_url,
        lines=(*kept, *lines),
        blocks=(*(base.blocks if base else ()), *blocks),
    )


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text).strip()


def _without_blank_lines(block: str) -> str:
    return "\n".join(line for line in block.split("\n") if line.strip())


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
