import json
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from tech_lead_trainer.base_model import MARKER
from tech_lead_trainer.testing.servers import FakeGitHub, github_api, moto_server
from tech_lead_trainer.testing.tiny_model import TINY_REPO_ID, build_tiny_model

SYSTEM_PROMPT = (
    "You review pull requests the way alice does in acme/widgets. Answer with one "
    "review comment as 'line <N>: <comment>' for a line of the hunk, or with exactly "
    "NO COMMENT when the hunk needs none."
)

# (path, hunk, assistant answer) in the dataset contract of the prepare step:
# positive examples name a line, negative ones are exactly "NO COMMENT".
EXAMPLES = [
    (
        "src/api/users.ts",
        "@@ -10,3 +10,4 @@ export async function loadUser(id: string) {\n"
        "   const user = await db.users.find(id);\n"
        "+  let name = user.name;\n"
        "   return user;",
        "line 11: Prefer `const`, `name` is never reassigned.",
    ),
    (
        "src/store/s3.ts",
        "@@ -1,2 +1,3 @@\n import { S3Client } from '@aws-sdk/client-s3';\n+import { Readable } from 'node:stream';\n",
        "line 2: Unused import.",
    ),
    (
        "src/review/hunks.ts",
        "@@ -5,2 +5,2 @@ export function lastHunk(hunks: Hunk[]) {\n"
        "-  return hunks[hunks.length - 1];\n"
        "+  return hunks[hunks.length];",
        "line 6: Off by one: this reads past the end of the array.",
    ),
    (
        "README.md",
        "@@ -3,3 +3,3 @@\n-Run the tests with npm test.\n+Run the tests with `npm test`.\n",
        "NO COMMENT",
    ),
    (
        "training/metrics.py",
        "@@ -20,2 +20,3 @@ def f1(p: float, r: float) -> float:\n+    return 2 * p * r / (p + r)\n",
        "line 21: Division by zero when precision and recall are both 0.",
    ),
    (
        "src/main.ts",
        "@@ -1,3 +1,3 @@\n-import { run } from './run';\n+import { run } from './run.js';\n run();",
        "NO COMMENT",
    ),
]


def dataset_row(index: int, path: str, hunk: str, answer: str) -> dict[str, object]:
    return {
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": f"File: {path}\n{hunk}"},
            {"role": "assistant", "content": answer},
        ],
        "meta": {"pr": 12 + index, "path": path, "kind": "negative" if answer == "NO COMMENT" else "positive"},
    }


@pytest.fixture(scope="session")
def dataset_rows() -> list[dict[str, object]]:
    return [dataset_row(i, *example) for i, example in enumerate(EXAMPLES)]


@pytest.fixture(scope="session")
def dataset_dir(tmp_path_factory: pytest.TempPathFactory, dataset_rows: list[dict[str, object]]) -> Path:
    directory = tmp_path_factory.mktemp("dataset")
    with (directory / "train.jsonl").open("w") as lines:
        for row in dataset_rows:
            lines.write(json.dumps(row) + "\n")
    return directory


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("tiny-model"))


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A runner's model cache that already holds the tiny model, as a first run leaves it."""
    cache = tmp_path_factory.mktemp("model-cache")
    (build_tiny_model(cache / TINY_REPO_ID) / MARKER).touch()
    return cache


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server on loopback: the real S3 API, conditional writes included."""
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def s3(s3_endpoint: str):
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # moto's server accepts any
    )
    client.create_bucket(Bucket="tlb-test")
    return client


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    """A stand-in for the GitHub API on loopback (a mock of a network boundary)."""
    with github_api() as fake:
        yield fake
