"""The composite action: inputs reach the trainer only through env, as the INPUT_* names it reads."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
STEPS = ACTION["runs"]["steps"]
PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")


def test_is_a_composite_action_of_bash_steps_that_stop_on_errors() -> None:
    assert ACTION["runs"]["using"] == "composite"
    scripts = [step for step in STEPS if "run" in step]
    assert len(scripts) >= 3
    for step in scripts:
        assert step["shell"] == "bash"
        assert step["run"].startswith("set -euo pipefail\n")
        assert "${{" not in step["run"], step["name"]  # inputs only through env:


def third_party_actions() -> list[str]:
    """Every action this action and the example workflow start, except this repository's own."""
    workflow = yaml.safe_load((ROOT.parent / "examples" / "workflows" / "tech-lead-bot.yml").read_text())
    steps = [*STEPS, *(step for job in workflow["jobs"].values() for step in job["steps"])]
    return [step["uses"] for step in steps if "uses" in step and not step["uses"].startswith("tech-lead-bot/")]


def test_third_party_actions_are_pinned_by_commit() -> None:
    uses = third_party_actions()

    assert len(uses) >= 3  # configure-aws-credentials in each job of the example workflow, at least
    for action in uses:
        assert PINNED.fullmatch(action), action


def test_the_pin_check_rejects_a_tag() -> None:
    assert not PINNED.fullmatch("actions/setup-python@v5")
    assert PINNED.fullmatch("actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065")


def test_python_311_comes_from_setup_python_unless_the_python_input_names_one() -> None:
    # Ubuntu 22.04 has 3.10 and 24.04 has 3.12: no step may assume a python3.11 on the runner.
    setup = next(step for step in STEPS if step.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "3.11"
    assert setup["with"]["update-environment"] is False  # the job's own python stays as it was
    assert setup["if"] == "inputs.python == ''"
    assert ACTION["inputs"]["python"]["default"] == ""
    venv = next(step for step in STEPS if step.get("id") == "venv")
    assert STEPS.index(setup) < STEPS.index(venv)
    assert venv["env"]["TLB_PYTHON"] == f"${{{{ inputs.python || steps.{setup['id']}.outputs.python-path }}}}"
    assert "python3.11" not in (ROOT / "action.yml").read_text()


def test_every_input_reaches_the_trainer_under_the_name_it_reads() -> None:
    train_env = next(step for step in STEPS if step["id"] == "train")["env"]
    passed = {name: value for name, value in train_env.items() if name.startswith("INPUT_")}
    read = set(re.findall(r'"(INPUT_[A-Z0-9_]+)"', (ROOT / "src/tech_lead_trainer/settings.py").read_text()))

    assert set(passed) == read
    for name, value in passed.items():
        assert value == f"${{{{ inputs.{name.removeprefix('INPUT_').lower().replace('_', '-')} }}}}"
    venv_inputs = {"python", "venv-dir"}
    assert {name.removeprefix("INPUT_").lower().replace("_", "-") for name in passed} | venv_inputs == set(
        ACTION["inputs"]
    )


def test_outputs_come_from_the_train_step() -> None:
    assert {name: output["value"] for name, output in ACTION["outputs"].items()} == {
        name: f"${{{{ steps.train.outputs.{name} }}}}" for name in ("promoted", "adapter-id", "adapter-name", "metrics")
    }


# --- the last step releases the training lock when the train step did not succeed -----------

RELEASE = next(step for step in STEPS if step["name"] == "Release the training lock")
RUN_URL = "https://github.com/acme/widgets/actions/runs/4242"


def test_the_lock_release_runs_whenever_training_did_not_succeed() -> None:
    assert STEPS[-1] is RELEASE
    assert RELEASE["if"] == "always() && steps.train.outcome != 'success'"
    assert RELEASE["env"]["TLB_TRAINER_PYTHON"] == "${{ steps.venv.outputs.python }}"


def run_release_step(s3_endpoint: str, python: str, prefix: str) -> subprocess.CompletedProcess[str]:
    """The step's script as the runner runs it: bash, its env: with the inputs filled in."""
    inputs = {
        "dataset-uri": f"s3://tlb-test/{prefix}/acme/widgets/alice/datasets/abc/",
        "s3-endpoint": s3_endpoint,
        "aws-region": "us-east-1",
    }
    env = {
        name: inputs[value.removeprefix("${{ inputs.").removesuffix(" }}")]
        for name, value in RELEASE["env"].items()
        if value.startswith("${{ inputs.")
    }
    return subprocess.run(
        ["bash", "-c", RELEASE["run"]],
        env={
            "PATH": os.environ["PATH"],
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "GITHUB_REPOSITORY": "acme/widgets",
            "GITHUB_RUN_ID": "4242",
            "TLB_TRAINER_PYTHON": python,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("holder", "released"), [(RUN_URL, True), ("https://github.com/acme/widgets/actions/runs/9", False)]
)
def test_the_release_step_deletes_only_this_runs_lock(s3, s3_endpoint: str, holder: str, released: bool) -> None:
    prefix = f"release-{released}"
    key = f"{prefix}/acme/widgets/alice/training.lock"
    s3.put_object(Bucket="tlb-test", Key=key, Body=json.dumps({"runUrl": holder, "acquiredAt": "t"}).encode())

    result = run_release_step(s3_endpoint, sys.executable, prefix)

    assert result.returncode == 0, result.stdout + result.stderr
    left = s3.list_objects_v2(Bucket="tlb-test", Prefix=key).get("Contents", [])
    assert (len(left) == 0) == released
    assert ("Training lock released" in result.stdout) == released


def test_without_the_environment_the_release_step_says_who_releases_the_lock(s3, s3_endpoint: str) -> None:
    result = run_release_step(s3_endpoint, "", "no-venv")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("::warning title=Training lock not released::")


def test_the_venv_is_reused_only_when_a_default_branch_run_recorded_its_digest() -> None:
    # The Actions cache itself has no runnable counterpart here: this checks the wiring around it
    # (test_venv_integrity.py runs ensure-venv.sh's side of it).
    ids = [step.get("id") for step in STEPS]
    seen, recorded, venv = (STEPS[ids.index(name)] for name in ("venv-seen", "venv-recorded", "venv"))
    save = STEPS[ids.index("venv-record")]
    assert save["uses"].startswith("actions/cache/save@")
    assert ids.index("python") < ids.index("venv-seen") < ids.index("venv-recorded") < ids.index("venv")
    assert ids.index("venv") < STEPS.index(save) < ids.index("train")
    assert 'ensure-venv.sh" --inspect >>"$GITHUB_OUTPUT"' in seen["run"]
    assert recorded["uses"].startswith("actions/cache/restore@")
    assert recorded["uses"].split("@")[1] == save["uses"].split("@")[1]
    assert recorded["with"]["lookup-only"] is True  # the venv itself is never cached
    assert recorded["if"] == "steps.venv-seen.outputs.digest != ''"
    assert recorded["with"]["key"] == "tlb-trainer-venv-${{ steps.venv-seen.outputs.digest }}"
    assert venv["env"]["TLB_VENV_RECORDED"] == "${{ steps.venv-recorded.outputs.cache-hit == 'true' }}"
    assert save["with"]["key"] == "tlb-trainer-venv-${{ steps.venv.outputs.digest }}"
    assert save["with"]["path"] == recorded["with"]["path"]
    assert venv["env"]["TLB_VENV_DIGEST_FILE"].startswith(save["with"]["path"] + "/")
