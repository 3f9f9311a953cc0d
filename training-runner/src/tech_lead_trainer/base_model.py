"""The base model in the runner's persistent cache: downloaded once, reused after.

``<model-cache-dir>/<hub id>/`` holds what the recipe and the evaluation read
(``config.json``, ``model-*.safetensors``, ``original/tokenizer.model``) and
``original_repo_id.json``, from which TorchTune's checkpointer writes the hub id
into the adapter's ``adapter_config.json`` as ``base_model_name_or_path``.
A folder counts as complete once its marker file exists, written last.
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Callable
from pathlib import Path

from huggingface_hub import snapshot_download
from huggingface_hub.errors import GatedRepoError, HfHubHTTPError, LocalEntryNotFoundError, RepositoryNotFoundError

from tech_lead_trainer.errors import TrainerError, error_message

MARKER = ".tlb-complete"
REPO_ID_FILE = "original_repo_id.json"
# The consolidated original/*.pth duplicates the safetensors (16 GB for 8B): skip it.
ALLOW_PATTERNS = ["*.json", "*.safetensors", "original/tokenizer.model"]

Download = Callable[..., object]


def ensure_base_model(repo_id: str, cache_dir: Path, token: str | None, download: Download = snapshot_download) -> Path:
    """Returns the model's folder, downloading it first when the cache does not have it."""
    model_dir = cache_dir / repo_id
    if (model_dir / MARKER).exists():
        print(f"Base model {repo_id}: in the cache at {model_dir}", flush=True)
        return model_dir
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Two jobs on one runner: the second waits for the first download instead of racing it.
    with (cache_dir / f"{repo_id.replace('/', '--')}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
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
            (model_dir / REPO_ID_FILE).write_text(json.dumps({"repo_id": repo_id}) + "\n")
            (model_dir / MARKER).touch()
    return model_dir


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
