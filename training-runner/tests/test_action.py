"""The composite action: inputs reach the trainer only through env, as the INPUT_* names it reads."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
STEPS = ACTION["runs"]["steps"]


def test_is_a_composite_action_of_bash_steps_that_stop_on_errors() -> None:
    assert ACTION["runs"]["using"] == "composite"
    scripts = [step for step in STEPS if "run" in step]
    assert len(scripts) >= 2
    for step in scripts:
        assert step["shell"] == "bash"
        assert step["run"].startswith("set -euo pipefail\n")
        assert "${{" not in step["run"], step["name"]  # inputs only through env:


def test_third_party_actions_are_pinned_by_commit() -> None:
    for step in STEPS:
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), step["uses"]


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
        name: f"${{{{ steps.train.outputs.{name} }}}}" for name in ("promoted", "adapter-id", "adapter-name")
    }
