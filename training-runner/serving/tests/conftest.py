from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from tlb_lora_resolver.testing.s3 import TEST_BUCKET as BUCKET
from tlb_lora_resolver.testing.s3 import moto_server

TRAINER_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session", autouse=True)
def fake_aws_credentials() -> Iterator[None]:
    # Never the developer's real credentials or config, in this process or in the servers it starts.
    with pytest.MonkeyPatch.context() as patch:
        for key in [k for k in os.environ if k.startswith("AWS_")]:
            patch.delenv(key)
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        patch.setenv("AWS_REGION", "us-east-1")
        patch.setenv("AWS_CONFIG_FILE", os.devnull)
        patch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
        yield


@pytest.fixture(scope="session")
def s3_endpoint(fake_aws_credentials: None) -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3(s3_endpoint: str) -> Iterator[Any]:
    """An S3 client on an empty bucket named BUCKET, emptied and deleted afterwards."""
    client = boto3.client("s3", endpoint_url=s3_endpoint)
    client.create_bucket(Bucket=BUCKET)
    yield client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The trainer's tiny model, built once per session by the trainer's code in its venv (or TLB_TINY_MODEL_DIR)."""
    if os.environ.get("TLB_TINY_MODEL_DIR"):
        return Path(os.environ["TLB_TINY_MODEL_DIR"])
    venv = subprocess.run(
        [str(TRAINER_DIR / "scripts/ensure-venv.sh"), "test"], check=True, capture_output=True, text=True
    ).stdout.splitlines()[-1]
    model_dir = tmp_path_factory.mktemp("models") / "tiny"
    subprocess.run(
        [f"{venv}/bin/python", "-m", "tech_lead_trainer.testing.tiny_model", str(model_dir)],
        check=True,
        capture_output=True,
    )
    return model_dir
