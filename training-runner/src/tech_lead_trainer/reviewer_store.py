"""One reviewer's folder in S3 (DESIGN.md, "Data in S3"), as the train step uses it:

<prefix>/<owner>/<repo>/<reviewer>/manifest.json
<prefix>/<owner>/<repo>/<reviewer>/training.lock
<prefix>/<owner>/<repo>/<reviewer>/datasets/<digest>/{train,eval}.jsonl, meta.json
<prefix>/<owner>/<repo>/<reviewer>/adapters/<adapter-id>/...
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from tech_lead_trainer.dataset import DatasetMeta
from tech_lead_trainer.errors import TrainerError
from tech_lead_trainer.manifest import Manifest, empty_manifest
from tech_lead_trainer.object_store import ConflictError, ObjectStore
from tech_lead_trainer.settings import DatasetLocation

MANIFEST_ATTEMPTS = 3
LOCK_FILE = "training.lock"
DATASET_FILES = ("train.jsonl", "eval.jsonl")
CONTENT_TYPES = {
    ".json": "application/json",
    ".jsonl": "application/x-ndjson",
    ".safetensors": "application/octet-stream",
}


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class ReviewerStore:
    def __init__(self, store: ObjectStore, location: DatasetLocation) -> None:
        self.store = store
        self.location = location
        self._root = location.reviewer_prefix

    def read_meta(self) -> DatasetMeta:
        key = f"{self.location.dataset_prefix}meta.json"
        stored = self.store.get(key)
        if stored is None:
            raise TrainerError(
                f"No dataset at {self.location.uri} (meta.json is missing). The prepare step uploads it right"
                " before this job; it is deleted after training, so a re-run of this job alone finds nothing:"
                " ask the bot again on the pull request.",
                title="No dataset",
            )
        return DatasetMeta.parse(stored.body, self.store.uri(key))

    def download_dataset(self, directory: Path) -> dict[str, Path]:
        directory.mkdir(parents=True, exist_ok=True)
        paths = {}
        for name in DATASET_FILES:
            key = f"{self.location.dataset_prefix}{name}"
            stored = self.store.get(key)
            if stored is None:
                raise TrainerError(
                    f"No dataset at {self.location.uri} ({name} is missing). Ask the bot again on the pull request.",
                    title="No dataset",
                )
            paths[name] = directory / name
            paths[name].write_bytes(stored.body)
        return paths

    def delete_dataset(self) -> int:
        return self.store.delete_prefix(self.location.dataset_prefix)

    def upload_adapter(self, adapter_id: str, files: list[Path]) -> str:
        """Uploads the adapter's files; returns the folder's URI."""
        prefix = f"{self._root}adapters/{adapter_id}/"
        for path in files:
            self.store.put_file(prefix + path.name, path, CONTENT_TYPES.get(path.suffix, "application/octet-stream"))
        return self.store.uri(prefix)

    def read_manifest(self) -> tuple[Manifest, str] | None:
        stored = self.store.get(f"{self._root}manifest.json")
        if stored is None:
            return None
        return json.loads(stored.body), stored.etag

    def update_manifest(self, change: Callable[[Manifest], Manifest]) -> Manifest:
        """Read-modify-write with conditional writes: when another run wrote in between, read
        again and re-apply ``change``, never overwriting what it wrote."""
        key = f"{self._root}manifest.json"
        attempt = 0
        while True:
            attempt += 1
            read = self.read_manifest()
            owner, repo, reviewer = self._root.rstrip("/").split("/")[-3:]
            updated = change(read[0] if read else empty_manifest(owner, repo, reviewer))
            updated["updatedAt"] = utc_now()
            body = (json.dumps(updated, indent=2, ensure_ascii=False) + "\n").encode()
            try:
                if read:
                    self.store.put(key, body, if_match=read[1])
                else:
                    self.store.put(key, body, if_none_match=True)
                return updated
            except ConflictError:
                if attempt == MANIFEST_ATTEMPTS:
                    raise TrainerError(
                        f"{self.store.uri(key)} kept changing while this run tried to update it"
                        f" ({MANIFEST_ATTEMPTS} attempts). Ask the bot again.",
                        title="S3 error",
                    ) from None

    def claim_lock(self, run_url: str) -> None:
        """Makes sure this run still holds the training lock the prepare step took, and starts
        its time to live again, before anything is trained.

        A job that waited for a GPU runner longer than the lock's time to live may find that a
        later run took the lock over (and trains the same reviewer): then this job must not train.
        """
        key = f"{self._root}{LOCK_FILE}"
        stored = self.store.get(key)
        lock = json.dumps({"runUrl": run_url, "acquiredAt": utc_now()}).encode()
        try:
            if stored is None:
                self.store.put(key, lock, if_none_match=True)
                return
            holder = _lock_holder(stored.body)
            # A lock nobody can read belongs to nobody (the prepare step takes such a lock over too).
            if holder in {run_url, None}:
                self.store.put(key, lock, if_match=stored.etag)
                return
        except ConflictError:
            holder = self._current_holder(key)
        raise LockLostError(
            f"[Another run]({holder}) took over `{self.location.reviewer}`'s training lock while this job waited"
            " for a GPU runner (the prepare step's lock lasts 6 hours), so this job does not train: that run"
            " trains the adapter instead.",
            title="Training lock taken over",
        )

    def release_lock(self, run_url: str) -> bool:
        """Deletes the training lock when this run holds it; returns whether it did.

        The delete is conditional on the ETag of the lock this run read, so a lock that another
        run took over in between stays.
        """
        key = f"{self._root}{LOCK_FILE}"
        stored = self.store.get(key)
        if stored is None or _lock_holder(stored.body) != run_url:
            return False
        try:
            self.store.delete(key, if_match=stored.etag)
        except ConflictError:
            return False
        return True

    def _current_holder(self, key: str) -> str:
        stored = self.store.get(key)
        return (_lock_holder(stored.body) if stored else None) or "unknown"


class LockLostError(TrainerError):
    """Another run holds the training lock: this run must neither train nor clean up its dataset."""


def _lock_holder(body: bytes) -> str | None:
    """The run that holds a lock (contracts/manifest/training-lock.schema.json)."""
    try:
        holder = json.loads(body).get("runUrl")
    except (ValueError, AttributeError):
        return None
    return holder if isinstance(holder, str) else None
