"""The reviewer's manifest (``manifest.json``), as contracts/manifest/ specifies it for
both languages (tests/test_contracts.py checks the golden promotion there).

Pure functions on the JSON object: fields this step does not own (``freshness``,
which the prepare step keeps) pass through untouched.
"""

from __future__ import annotations

import copy
from typing import Any

Manifest = dict[str, Any]

# Earlier adapters kept for rollback, newest first.
KEEP_PREVIOUS = 5


def empty_manifest(owner: str, repo: str, reviewer: str) -> Manifest:
    return {"schemaVersion": 1, "owner": owner, "repo": repo, "reviewer": reviewer, "previous": []}


def adapter_record(
    pending: dict[str, Any],
    created_at: str,
    metrics: dict[str, float],
    baselines: dict[str, dict[str, float]],
) -> dict[str, Any]:
    """The manifest's ``AdapterRecord`` for a trained ``pending`` entry, with the baselines it was compared with."""
    record = {
        "id": pending["adapterId"],
        "name": pending["adapterName"],
        "baseModel": pending["baseModel"],
        "datasetDigest": pending["datasetDigest"],
        "createdAt": created_at,
        "comments": pending["comments"],
        "metrics": metrics,
    }
    return record | {"baselines": baselines} if baselines else record


def promote(manifest: Manifest, record: dict[str, Any], keep: int = KEEP_PREVIOUS) -> Manifest:
    """``record`` becomes ``current``; the old current moves to the front of ``previous``."""
    result = copy.deepcopy(manifest)
    previous = [entry for entry in result.get("previous", []) if entry.get("id") != record["id"]]
    if result.get("current"):
        previous.insert(0, result["current"])
    result["current"] = record
    result["previous"] = previous[:keep]
    return drop_pending(result, record["id"])


def drop_pending(manifest: Manifest, adapter_id: str) -> Manifest:
    """Removes ``pending`` when it is this run's; a newer request's pending stays."""
    result = copy.deepcopy(manifest)
    if result.get("pending", {}).get("adapterId") == adapter_id:
        del result["pending"]
    return result
