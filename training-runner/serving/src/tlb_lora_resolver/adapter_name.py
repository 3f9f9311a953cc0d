"""The name a reviewer's adapter is served under, parsed strictly.

``tlb/<owner>/<repo>/<reviewer>/<adapter-id>``: owner, repo and reviewer as
GitHub spells them (lowercased), adapter-id the content-derived id of one
trained adapter. Every part becomes an S3 key segment and a cache directory,
so anything that is not exactly this form is refused rather than cleaned up:
no ``..``, no extra or empty segments, no encoding tricks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME_PREFIX = "tlb"

# GitHub logins: 1-39 of [a-z0-9-], no leading, trailing or double hyphen.
_LOGIN = re.compile(r"(?!.*--)[a-z0-9](?:[a-z0-9-]{0,37}[a-z0-9])?")
# GitHub repository names: up to 100 of [a-z0-9._-]; "." and ".." are not names.
_REPO = re.compile(r"[a-z0-9._-]{1,100}")
_ADAPTER_ID = re.compile(r"[0-9a-f]{16}")


@dataclass(frozen=True)
class AdapterName:
    owner: str
    repo: str
    reviewer: str
    adapter_id: str

    def relative_parts(self) -> tuple[str, ...]:
        """The path of this adapter below the store's prefix (and the cache directory)."""
        return (self.owner, self.repo, self.reviewer, "adapters", self.adapter_id)

    def __str__(self) -> str:
        return "/".join((NAME_PREFIX, self.owner, self.repo, self.reviewer, self.adapter_id))


def parse_adapter_name(name: str) -> AdapterName | None:
    """The adapter ``name`` designates, or None when it is not one of ours."""
    parts = name.split("/")
    if len(parts) != 5 or parts[0] != NAME_PREFIX:
        return None
    _, owner, repo, reviewer, adapter_id = parts
    if not (is_login(owner) and is_repo_name(repo) and is_login(reviewer) and _ADAPTER_ID.fullmatch(adapter_id)):
        return None
    return AdapterName(owner=owner, repo=repo, reviewer=reviewer, adapter_id=adapter_id)


def is_login(text: str) -> bool:
    return _LOGIN.fullmatch(text) is not None


def is_repo_name(text: str) -> bool:
    return _REPO.fullmatch(text) is not None and text not in (".", "..")
