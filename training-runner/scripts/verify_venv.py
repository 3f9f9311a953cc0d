"""Checks a trainer venv against its pins before a job trusts it; exits 1 with the differences.

    python -I scripts/verify_venv.py VENV CONSTRAINTS [--digest]

Run by the base interpreter (never the venv's own python, which the venv could redirect),
with the standard library only. A venv on a persistent runner outlives the job that built
it, so a later job could have changed it; the next training would then run that code with
the AWS role and the tokens. What is checked:

- every installed distribution is pinned, at its pinned version (CONSTRAINTS, in the
  repository, which no job on the runner can rewrite), besides pip, setuptools and the
  trainer itself;
- every file of every distribution still has the hash its RECORD gives;
- no file in site-packages or bin/ belongs to no distribution (a .pth or sitecustomize.py
  runs at every start), besides what `python -m venv` writes;
- pyvenv.cfg points at this interpreter.

Bytecode caches are deleted first: RECORD lists no hash for them, and Python rebuilds them
from the checked sources.

A job that rewrites a file *and* its RECORD passes these checks, since both live in the venv.
With --digest, a venv that passes gets its digest printed: one hash over every file's path and
content (a link's target) in the venv. The composite action looks that digest up where only runs
of the repository's default branch can write (the Actions cache, action.yml) and builds the venv
again when no such run recorded it.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import re
import shutil
import sys
from pathlib import Path

# Written by `python -m venv`, not by any distribution: the interpreter's links (checked
# against this interpreter) and the activation scripts (which the action never runs).
INTERPRETER_LINKS = {"python", "python3", "python3.11"}
VENV_FILES = {"activate", "activate.csh", "activate.fish", "Activate.ps1", *INTERPRETER_LINKS}
# Distributions ensure-venv.sh installs besides the pins: the venv's own installer and the
# trainer (editable, from the checkout the job just made).
UNPINNED = {"pip", "setuptools", "tech-lead-trainer"}


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(constraints: Path) -> dict[str, str]:
    found = {}
    for line in constraints.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            found[normalize(name)] = version.strip()
    return found


def metadata(dist_info: Path) -> tuple[str, str]:
    fields = {}
    for line in (dist_info / "METADATA").read_text(encoding="utf-8", errors="replace").splitlines():
        if not line:
            break
        key, _, value = line.partition(": ")
        fields.setdefault(key, value)
    return normalize(fields["Name"]), fields["Version"]


_hashes: dict[Path, str] = {}


def file_hash(path: Path) -> str:
    """RECORD's form of a file's sha256; each file is read once for the check and the digest."""
    if path not in _hashes:
        digest = hashlib.sha256()
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
        _hashes[path] = "sha256=" + base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()
    return _hashes[path]


def venv_digest(venv: Path) -> str:
    """sha256 over every entry of the venv, in path order: a file's content hash, a link's target."""
    digest = hashlib.sha256()
    for path in sorted(venv.rglob("*")):
        if path.is_symlink():
            entry = "link:" + str(path.readlink())
        elif path.is_file():
            entry = file_hash(path)
        else:
            continue
        digest.update(f"{path.relative_to(venv).as_posix()}\t{entry}\n".encode())
    return digest.hexdigest()


def verify(venv: Path, constraints: Path) -> list[str]:
    problems: list[str] = []
    config = dict(line.split(" = ", 1) for line in (venv / "pyvenv.cfg").read_text().splitlines() if " = " in line)
    interpreter = Path(sys.executable).resolve()
    if Path(config.get("home", "")).resolve() != interpreter.parent:
        problems.append(f"pyvenv.cfg's home is {config.get('home')!r}, not {interpreter.parent}")
    if config.get("include-system-site-packages") != "false":
        problems.append("pyvenv.cfg lets the system's site-packages in")
    for name in INTERPRETER_LINKS:
        link = venv / "bin" / name
        if link.exists() and link.resolve() != interpreter:
            problems.append(f"bin/{name} is {link.resolve()}, not {interpreter}")
    site = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    for cache in [*site.rglob("__pycache__"), *(venv / "bin").glob("__pycache__")]:
        shutil.rmtree(cache)

    expected = pins(constraints)
    owned: set[Path] = set()
    installed: dict[str, str] = {}
    for dist_info in sorted(site.glob("*.dist-info")):
        try:
            name, version = metadata(dist_info)
            rows = list(csv.reader((dist_info / "RECORD").read_text(encoding="utf-8").splitlines()))
        except (OSError, KeyError, csv.Error) as error:
            problems.append(f"{dist_info.name} is unreadable ({error})")
            continue
        installed[name] = version
        for row in rows:
            if not row:
                continue
            path = (site / row[0]).resolve()
            owned.add(path)
            if len(row) > 1 and row[1]:
                if not path.is_file():
                    problems.append(f"{row[0]} ({name}) is missing")
                elif file_hash(path) != row[1]:
                    problems.append(f"{row[0]} ({name}) changed")
    for name, version in sorted(installed.items()):
        if name in UNPINNED:
            continue
        if name not in expected:
            problems.append(f"{name} {version} is installed but not pinned")
        elif expected[name] != version.split("+", 1)[0]:
            problems.append(f"{name} is {version}, pinned {expected[name]}")

    for root in (site, venv / "bin"):
        for path in sorted(root.rglob("*")):
            if path.is_dir() and not path.is_symlink():
                continue
            if path.resolve() in owned or (root.name == "bin" and path.name in VENV_FILES):
                continue
            problems.append(f"{path.relative_to(venv)} belongs to no installed distribution")
    return problems


def main(argv: list[str]) -> int:
    venv, constraints = Path(argv[0]), Path(argv[1])
    problems = verify(venv, constraints)
    for problem in problems[:20]:
        print(f"verify-venv: {problem}", file=sys.stderr)
    if len(problems) > 20:
        print(f"verify-venv: ... and {len(problems) - 20} more", file=sys.stderr)
    if problems:
        return 1
    if "--digest" in argv[2:]:
        print(venv_digest(venv))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
