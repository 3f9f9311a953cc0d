"""The runner's base model cache, checked against the hashes the hub publishes before each run.

The hub is the one part without a local counterpart: ``FakeHub`` answers huggingface_hub's
own ``HfApi.verify_repo_checksums`` with a file listing (path, git blob id, LFS sha256) as
the hub's tree API returns it, so the comparison itself is the library's.
"""

import hashlib
from pathlib import Path

import pytest
from huggingface_hub import HfApi
from huggingface_hub.hf_api import RepoFile
from huggingface_hub.utils.sha import git_hash

from tech_lead_trainer.base_model import MARKER, ensure_base_model
from tech_lead_trainer.errors import TrainerError

REPO = "org/model"
PUBLISHED = {
    "config.json": b'{"model_type": "llama"}',
    "model-00001-of-00002.safetensors": b"weights one",
    "model-00002-of-00002.safetensors": b"weights two",
    "original/tokenizer.model": b"tokenizer",
    "original/consolidated.00.pth": b"not downloaded (ALLOW_PATTERNS)",
}


class FakeHub(HfApi):
    def __init__(self, files: dict[str, bytes]) -> None:
        super().__init__(endpoint="http://127.0.0.1:9")  # nothing else may be asked
        self.files = files
        self.downloads = 0

    def list_repo_tree(self, repo_id: str, **_: object):
        assert repo_id == REPO
        for path, data in self.files.items():
            lfs = {"size": len(data), "oid": hashlib.sha256(data).hexdigest(), "pointerSize": 130}
            yield RepoFile(
                path=path, size=len(data), oid=git_hash(data), lfs=lfs if path.endswith("safetensors") else None
            )

    def download(self, repo_id: str, local_dir: Path, token: str | None, allow_patterns: list[str]) -> str:
        self.downloads += 1
        for path, data in self.files.items():
            if path != "original/consolidated.00.pth":
                (local_dir / path).parent.mkdir(parents=True, exist_ok=True)
                (local_dir / path).write_bytes(data)
        return str(local_dir)


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> FakeHub:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    return FakeHub(dict(PUBLISHED))


def ensure(hub: FakeHub, cache: Path) -> Path:
    return ensure_base_model(REPO, cache, "hf_x", hub.download, hub.verify_repo_checksums)


def test_a_download_is_checked_and_an_intact_cache_is_reused(hub: FakeHub, tmp_path: Path, capsys) -> None:
    model_dir = ensure(hub, tmp_path)
    assert ensure(hub, tmp_path) == model_dir
    assert hub.downloads == 1
    assert "matches the hub's hashes" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("tamper", "difference"),
    [
        (lambda d: (d / "model-00002-of-00002.safetensors").write_bytes(b"poisoned"), "safetensors changed"),
        (lambda d: (d / "config.json").write_text('{"auto_map": "evil.Model"}'), "config.json changed"),
        (lambda d: (d / "model-00002-of-00002.safetensors").unlink(), "safetensors missing"),
        (lambda d: (d / "model-00003-of-00002.safetensors").write_bytes(b"extra"), "is not the hub's"),
        (lambda d: (d / "evil.py").write_text("import os"), "evil.py is not the hub's"),
    ],
    ids=["weights", "config", "missing-shard", "extra-shard", "code"],
)
def test_a_changed_cache_is_downloaded_again(hub: FakeHub, tmp_path: Path, capsys, tamper, difference: str) -> None:
    model_dir = ensure(hub, tmp_path)
    tamper(model_dir)
    capsys.readouterr()

    assert ensure(hub, tmp_path) == model_dir
    assert hub.downloads == 2
    out = capsys.readouterr().out
    assert "::warning title=Base model cache changed::" in out
    assert difference in out
    assert {p.relative_to(model_dir).as_posix() for p in model_dir.rglob("*") if p.is_file()} == {
        *(path for path in PUBLISHED if not path.endswith(".pth")),
        "original_repo_id.json",
        MARKER,
    }
    assert (model_dir / "model-00002-of-00002.safetensors").read_bytes() == b"weights two"


def test_a_download_that_differs_from_the_hub_fails_and_is_not_kept(hub: FakeHub, tmp_path: Path) -> None:
    def corrupted(**kwargs) -> str:
        hub.download(**kwargs)
        (kwargs["local_dir"] / "config.json").write_text("{}")
        return str(kwargs["local_dir"])

    with pytest.raises(TrainerError, match=r"does not match the hub's published hashes \(config.json changed\)"):
        ensure_base_model(REPO, tmp_path, None, corrupted, hub.verify_repo_checksums)
    assert not (tmp_path / REPO).exists()


def test_a_hub_that_cannot_be_asked_fails_with_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    (tmp_path / REPO).mkdir(parents=True)
    (tmp_path / REPO / MARKER).touch()
    unreachable = HfApi(endpoint="http://127.0.0.1:9")
    with pytest.raises(TrainerError, match="Could not check the cached org/model against the Hugging Face hub"):
        ensure_base_model(REPO, tmp_path, None, verify=unreachable.verify_repo_checksums)


def test_offline_runners_skip_the_check(hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    model_dir = ensure(hub, tmp_path)
    (model_dir / "config.json").write_text("{}")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert ensure(hub, tmp_path) == model_dir
    assert hub.downloads == 1
    assert "HF_HUB_OFFLINE: not checked" in capsys.readouterr().out
