"""Fetches adapters from S3 into a local cache directory, one directory per adapter.

An adapter id is content-derived, so a cached directory never goes stale: it
is reused as long as it exists. A download lands in a temporary directory
beside the cache entry and is renamed into place only once complete and
checked, so a crash, a concurrent download by another vLLM API process, or a
rejected adapter never leaves a half-written entry that looks finished.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from tlb_lora_resolver.adapter_check import ADAPTER_FILES, AdapterLimits, check_adapter_dir, check_file_size
from tlb_lora_resolver.adapter_name import AdapterName
from tlb_lora_resolver.settings import Settings

_CHUNK_BYTES = 8 * 1024**2


class AdapterNotFound(Exception):
    """The store has no adapter under that name."""


class AdapterStore:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._client: Any = None
        self._client_lock = threading.Lock()

    def uri(self, name: AdapterName) -> str:
        return f"s3://{self._settings.bucket}/{self._key(name, '')}"

    def fetch(self, name: AdapterName, limits: AdapterLimits) -> Path:
        """The local directory holding the checked adapter ``name``, downloaded if not cached.

        Raises AdapterNotFound, AdapterRejected, or botocore's errors.
        """
        target = self._settings.cache_dir.joinpath(*name.relative_parts())
        if target.is_dir():
            # Limits may have changed since it was cached (another base model, a lower rank).
            check_adapter_dir(target, limits)
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name.adapter_id}-", dir=target.parent))
        try:
            self._download(name, staging, limits)
            check_adapter_dir(staging, limits)
            try:
                os.rename(staging, target)
            except OSError:
                # Another process finished the same download first; theirs is as good.
                if not target.is_dir():
                    raise
            return target
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _download(self, name: AdapterName, directory: Path, limits: AdapterLimits) -> None:
        from botocore.exceptions import ClientError

        client = self._s3()
        for file_name in ADAPTER_FILES:
            key = self._key(name, file_name)
            try:
                response = client.get_object(Bucket=self._settings.bucket, Key=key)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                    raise AdapterNotFound(f"s3://{self._settings.bucket}/{key} does not exist") from error
                raise
            # The size bound is what keeps a bad upload from filling the
            # server's disk: refuse by the announced length, and stop reading
            # should the body run longer.
            body = response["Body"]
            with body:
                check_file_size(file_name, response["ContentLength"], limits)
                written = 0
                with (directory / file_name).open("wb") as file:
                    for chunk in body.iter_chunks(_CHUNK_BYTES):
                        written += len(chunk)
                        check_file_size(file_name, written, limits)
                        file.write(chunk)

    def _key(self, name: AdapterName, file_name: str) -> str:
        parts = [self._settings.prefix] if self._settings.prefix else []
        return "/".join([*parts, *name.relative_parts(), file_name])

    def _s3(self) -> Any:
        with self._client_lock:
            if self._client is None:
                # boto3 is imported here, not at registration: vLLM loads the
                # plugin in every process, and only the API server resolves.
                import boto3
                from botocore.config import Config

                self._client = boto3.session.Session().client(
                    "s3",
                    endpoint_url=self._settings.endpoint_url,
                    # A request waits for this: an unreachable store should
                    # fail it in seconds, not after botocore's default retries.
                    config=Config(connect_timeout=5, read_timeout=30, retries={"mode": "standard", "max_attempts": 3}),
                )
            return self._client
