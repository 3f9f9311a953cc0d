"""launch-l40s.sh, run with stand-ins for `vllm` and `nginx` that record what they were given."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tlb_lora_resolver.proxy import add_key
from tlb_lora_resolver.settings import DEFAULT_MAX_LORA_RANK

LAUNCH = Path(__file__).resolve().parents[1] / "launch-l40s.sh"
TRAINER_ACTION = Path(__file__).resolve().parents[2] / "action.yml"

# Records argv and environment into $RECORD_DIR/<name>.json; nginx then keeps running, as nginx would.
RECORD = "import json, os, sys; json.dump({'argv': sys.argv[2:], 'env': dict(os.environ)}, open(sys.argv[1], 'w'))"
RECORDER = """#!/bin/sh
"{python}" -c "{record}" "$RECORD_DIR/{name}.json" "$@"
{then}
"""


def launch(tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], dict, dict]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, then in [("vllm", "exit 0"), ("nginx", "exec sleep 60")]:
        (bin_dir / name).write_text(RECORDER.format(python=sys.executable, record=RECORD, name=name, then=then))
        (bin_dir / name).chmod(0o755)
    keys_file = tmp_path / "keys.json"
    add_key(keys_file, "acme/widgets")
    full_env = {
        # The script asks `python` where the plugin's files are: this venv's.
        "PATH": f"{bin_dir}:{Path(sys.executable).parent}:{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "RECORD_DIR": str(tmp_path),
        "TLB_S3_URI": "s3://my-bucket/tech-lead-bot",
        "TLB_PROXY_KEYS_FILE": str(keys_file),
        "TLB_PROXY_STATE_DIR": str(tmp_path / "proxy"),
        "HF_TOKEN": "hf_test",
        **env,
    }
    started = time.monotonic()
    result = subprocess.run(["bash", str(LAUNCH)], env=full_env, capture_output=True, text=True, timeout=50)
    assert time.monotonic() - started < 30, "nginx was not stopped with vLLM"
    records = [json.loads((tmp_path / f"{name}.json").read_text()) for name in ("vllm", "nginx")]
    return result, records[0], records[1]


@pytest.fixture
def launched(tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], dict, dict]:
    return launch(tmp_path)


def vllm_args(vllm: dict):
    from vllm.entrypoints.launchers.cli_args import make_arg_parser
    from vllm.utils.argparse_utils import FlexibleArgumentParser

    command, *args = vllm["argv"]
    assert command == "serve"
    return make_arg_parser(FlexibleArgumentParser()).parse_args(args)


def test_every_flag_is_one_vllm_accepts(launched: tuple) -> None:
    parsed = vllm_args(launched[1])
    assert parsed.model_tag == "meta-llama/Llama-3.1-8B-Instruct"
    assert parsed.enable_lora
    assert parsed.enable_prefix_caching
    assert (parsed.max_loras, parsed.max_lora_rank, parsed.max_cpu_loras) == (8, 16, 32)
    assert Path(parsed.chat_template).is_file()


def test_vllm_listens_on_loopback_behind_nginx(launched: tuple) -> None:
    _, vllm, nginx = launched
    parsed = vllm_args(vllm)
    assert (parsed.host, parsed.port) == ("127.0.0.1", 8001)
    config = Path(nginx["argv"][nginx["argv"].index("-c") + 1]).read_text()
    assert "listen 0.0.0.0:8000;" in config
    assert "server 127.0.0.1:8001;" in config
    # vLLM's key is made at start, differs from every client key, and is on no command line.
    assert vllm["env"]["VLLM_API_KEY"] == nginx["env"]["TLB_PROXY_UPSTREAM_KEY"]
    assert len(vllm["env"]["VLLM_API_KEY"]) >= 32
    assert vllm["env"]["VLLM_API_KEY"] not in " ".join(vllm["argv"] + nginx["argv"])
    assert nginx["env"]["TLB_PROXY_BASE_MODEL"] == parsed.served_model_name[0]


def test_when_vllm_stops_nginx_stops_and_the_launch_fails(launched: tuple) -> None:
    result = launched[0]
    assert result.returncode != 0
    assert "vLLM stopped" in result.stderr


def test_the_plugin_is_configured_as_vllm_is(launched: tuple) -> None:
    env = launched[1]["env"]
    assert env["VLLM_PLUGINS"] == "tlb_lora_resolver"
    assert env["VLLM_ALLOW_RUNTIME_LORA_UPDATING"] == "1"
    assert env["TLB_MAX_LORA_RANK"] == str(vllm_args(launched[1]).max_lora_rank)
    assert env["TLB_BASE_MODEL_ID"] == "meta-llama/Llama-3.1-8B-Instruct"


def test_one_lora_rank_for_trainer_plugin_and_server(launched: tuple) -> None:
    import yaml

    trainer_default = yaml.safe_load(TRAINER_ACTION.read_text())["inputs"]["lora-rank"]["default"]
    assert int(trainer_default) == DEFAULT_MAX_LORA_RANK == vllm_args(launched[1]).max_lora_rank == 16


def test_a_larger_rank_is_one_setting(tmp_path: Path) -> None:
    _, vllm, _ = launch(tmp_path, TLB_MAX_LORA_RANK="64")
    assert vllm_args(vllm).max_lora_rank == 64
    assert vllm["env"]["TLB_MAX_LORA_RANK"] == "64"


def test_a_local_snapshot_needs_no_hub_token(tmp_path: Path) -> None:
    snapshot = tmp_path / "llama-3.1-8b-instruct"
    snapshot.mkdir()
    _, vllm, _ = launch(tmp_path, TLB_MODEL=str(snapshot), HF_TOKEN="")
    assert vllm_args(vllm).model_tag == str(snapshot)
    assert vllm_args(vllm).served_model_name == ["meta-llama/Llama-3.1-8B-Instruct"]


def run_launch(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(LAUNCH)], env=env, capture_output=True, text=True, check=False, timeout=30)


def test_a_hub_id_without_a_token_names_the_license_and_the_alternative(tmp_path: Path) -> None:
    result = run_launch({"PATH": os.environ["PATH"], "HOME": str(tmp_path), "TLB_S3_URI": "s3://b/p"})
    assert result.returncode != 0
    assert "set HF_TOKEN" in result.stderr
    assert "license" in result.stderr
    assert "TLB_MODEL to a local snapshot" in result.stderr


def test_refuses_to_start_without_s3_uri(tmp_path: Path) -> None:
    result = run_launch({"PATH": os.environ["PATH"], "HOME": str(tmp_path), "HF_TOKEN": "x"})
    assert result.returncode != 0
    assert "Set TLB_S3_URI" in result.stderr


def test_refuses_to_start_without_keys(tmp_path: Path) -> None:
    env = {
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "HF_TOKEN": "x",
        "TLB_S3_URI": "s3://b/p",
        "TLB_PROXY_KEYS_FILE": str(tmp_path / "missing.json"),
        "TLB_PROXY_STATE_DIR": str(tmp_path / "proxy"),
    }
    result = run_launch(env)
    assert result.returncode != 0
    assert "add-key owner/repo" in result.stderr
