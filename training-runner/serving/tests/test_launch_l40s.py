"""launch-l40s.sh, run with a stand-in `vllm` that records what it was given."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

LAUNCH = Path(__file__).resolve().parents[1] / "launch-l40s.sh"

RECORDER = """#!/bin/sh
exec "{python}" -c 'import json, os, sys; print(json.dumps({{"argv": sys.argv[1:], "env": dict(os.environ)}}))' "$@"
"""


@pytest.fixture
def launched(tmp_path: Path) -> dict:
    (tmp_path / "vllm").write_text(RECORDER.format(python=sys.executable))
    (tmp_path / "vllm").chmod(0o755)
    env = {
        # The script asks `python` where the plugin's chat template is: this venv's.
        "PATH": f"{tmp_path}:{Path(sys.executable).parent}:{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "TLB_S3_URI": "s3://my-bucket/tech-lead-bot",
        "VLLM_API_KEY": "secret-key",
    }
    result = subprocess.run(["bash", str(LAUNCH)], env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_every_flag_is_one_vllm_accepts(launched: dict) -> None:
    from vllm.entrypoints.launchers.cli_args import make_arg_parser
    from vllm.utils.argparse_utils import FlexibleArgumentParser

    command, *args = launched["argv"]
    assert command == "serve"
    parsed = make_arg_parser(FlexibleArgumentParser()).parse_args(args)
    assert parsed.model_tag == "meta-llama/Llama-3.1-8B-Instruct"
    assert parsed.enable_lora
    assert parsed.enable_prefix_caching
    assert (parsed.max_loras, parsed.max_lora_rank, parsed.max_cpu_loras) == (8, 64, 32)
    assert Path(parsed.chat_template).is_file()
    # The key comes from the environment, not the command line anyone can read.
    assert "secret-key" not in launched["argv"]


def test_the_plugin_is_configured_as_vllm_is(launched: dict) -> None:
    env = launched["env"]
    assert env["VLLM_PLUGINS"] == "tlb_lora_resolver"
    assert env["VLLM_ALLOW_RUNTIME_LORA_UPDATING"] == "1"
    assert env["TLB_MAX_LORA_RANK"] == launched["argv"][launched["argv"].index("--max-lora-rank") + 1]
    assert env["TLB_BASE_MODEL_ID"] == "meta-llama/Llama-3.1-8B-Instruct"
    assert env["VLLM_API_KEY"] == "secret-key"


@pytest.mark.parametrize("missing", ["TLB_S3_URI", "VLLM_API_KEY"])
def test_refuses_to_start_without(missing: str) -> None:
    env = {"PATH": os.environ["PATH"], "TLB_S3_URI": "s3://b/p", "VLLM_API_KEY": "k"}
    del env[missing]
    result = subprocess.run(["bash", str(LAUNCH)], env=env, capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert f"Set {missing}" in result.stderr
