"""The reviewer's folder in S3, through moto's server: manifest changes with conditional
writes, the training lock, and errors that name the IAM action."""

import json

import pytest

from tech_lead_trainer.errors import TrainerError
from tech_lead_trainer.manifest import drop_pending, promote
from tech_lead_trainer.object_store import ConflictError, ObjectStore
from tech_lead_trainer.reviewer_store import LockLostError, ReviewerStore
from tech_lead_trainer.settings import S3Settings, parse_dataset_uri
from tech_lead_trainer.testing.servers import free_port

OLD = {"id": "old", "name": "tlb/a/b/alice/old"}
NEW = {"id": "new", "name": "tlb/a/b/alice/new"}


@pytest.fixture(autouse=True)
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")


@pytest.fixture
def store(request: pytest.FixtureRequest, s3, s3_endpoint: str) -> ReviewerStore:
    location = parse_dataset_uri(f"s3://tlb-test/{request.node.name}/acme/widgets/alice/datasets/abc/")
    settings = S3Settings(endpoint=s3_endpoint, region="us-east-1", sse="AES256", kms_key_id=None)
    return ReviewerStore(ObjectStore(location.bucket, settings, policy_prefix=location.reviewer_prefix), location)


def test_promote_moves_the_current_adapter_to_the_front_of_previous() -> None:
    manifest = {"current": OLD, "previous": [{"id": f"p{i}"} for i in range(5)], "pending": {"adapterId": "new"}}

    promoted = promote(manifest, NEW, keep=5)

    assert promoted["current"] == NEW
    assert [entry["id"] for entry in promoted["previous"]] == ["old", "p0", "p1", "p2", "p3"]
    assert "pending" not in promoted
    assert manifest["current"] == OLD  # the input is left as it was


def test_drop_pending_keeps_another_runs_request() -> None:
    assert "pending" not in drop_pending({"pending": {"adapterId": "new"}}, "new")
    assert drop_pending({"pending": {"adapterId": "newer"}}, "new") == {"pending": {"adapterId": "newer"}}


def test_manifest_update_reapplies_the_change_after_a_concurrent_write(store: ReviewerStore, s3) -> None:
    key = f"{store.location.reviewer_prefix}manifest.json"
    s3.put_object(Bucket="tlb-test", Key=key, Body=json.dumps({"schemaVersion": 1, "previous": [], "n": 0}))
    calls = []

    def change(manifest: dict) -> dict:
        calls.append(manifest["n"])
        if len(calls) == 1:  # another run writes between our read and our write
            s3.put_object(Bucket="tlb-test", Key=key, Body=json.dumps({"schemaVersion": 1, "previous": [], "n": 1}))
        return {**manifest, "seen": manifest["n"]}

    store.update_manifest(change)

    assert calls == [0, 1]
    assert json.loads(s3.get_object(Bucket="tlb-test", Key=key)["Body"].read())["seen"] == 1


def test_manifest_update_gives_up_after_three_conflicts(store: ReviewerStore, s3) -> None:
    key = f"{store.location.reviewer_prefix}manifest.json"
    s3.put_object(Bucket="tlb-test", Key=key, Body=b'{"n": 0}')

    def change(manifest: dict) -> dict:
        # Another run writes (something new: the same bytes would keep the ETag) every time.
        s3.put_object(Bucket="tlb-test", Key=key, Body=json.dumps({"n": manifest["n"] + 1}))
        return manifest

    with pytest.raises(
        TrainerError, match=r"manifest.json kept changing while this run tried to update it \(3 attempts\)"
    ):
        store.update_manifest(change)


def test_a_conditional_create_loses_to_an_existing_object(store: ReviewerStore) -> None:
    key = f"{store.location.reviewer_prefix}once"
    store.store.put(key, b"1", if_none_match=True)
    with pytest.raises(ConflictError):
        store.store.put(key, b"2", if_none_match=True)


def test_the_lock_is_released_only_by_its_run(store: ReviewerStore, s3) -> None:
    key = f"{store.location.reviewer_prefix}training.lock"
    s3.put_object(Bucket="tlb-test", Key=key, Body=json.dumps({"runUrl": "https://x/runs/2", "acquiredAt": "t"}))

    assert store.release_lock("https://x/runs/1") is False
    assert store.release_lock("https://x/runs/2") is True
    assert store.release_lock("https://x/runs/2") is False  # nothing left to release
    assert "Contents" not in s3.list_objects_v2(Bucket="tlb-test", Prefix=key)


def test_a_lock_taken_over_after_it_was_read_is_not_deleted(store: ReviewerStore, s3) -> None:
    key = f"{store.location.reviewer_prefix}training.lock"
    s3.put_object(Bucket="tlb-test", Key=key, Body=json.dumps({"runUrl": "https://x/runs/1", "acquiredAt": "t"}))
    # Between this run's read and its delete, another run takes the lock over (a small fake
    # around the real store: the race has no other way to happen on time).
    get = store.store.get

    def get_then_take_over(key_read: str):
        stored = get(key_read)
        s3.put_object(Bucket="tlb-test", Key=key, Body=json.dumps({"runUrl": "https://x/runs/9", "acquiredAt": "t"}))
        return stored

    store.store.get = get_then_take_over

    assert store.release_lock("https://x/runs/1") is False
    assert json.loads(s3.get_object(Bucket="tlb-test", Key=key)["Body"].read())["runUrl"] == "https://x/runs/9"


def test_the_train_job_claims_its_lock_again_before_training(store: ReviewerStore, s3) -> None:
    key = f"{store.location.reviewer_prefix}training.lock"
    s3.put_object(Bucket="tlb-test", Key=key, Body=json.dumps({"runUrl": "https://x/runs/1", "acquiredAt": "old"}))

    store.claim_lock("https://x/runs/1")

    lock = json.loads(s3.get_object(Bucket="tlb-test", Key=key)["Body"].read())
    assert lock["runUrl"] == "https://x/runs/1"
    assert lock["acquiredAt"] != "old"  # the time to live starts again


def test_a_job_that_lost_its_lock_while_queued_does_not_train(store: ReviewerStore, s3) -> None:
    key = f"{store.location.reviewer_prefix}training.lock"
    taken = {"runUrl": "https://x/runs/2", "acquiredAt": "2026-01-01T07:00:00Z"}
    s3.put_object(Bucket="tlb-test", Key=key, Body=json.dumps(taken))

    with pytest.raises(LockLostError, match=r"\[Another run\]\(https://x/runs/2\) took over `alice`'s training lock"):
        store.claim_lock("https://x/runs/1")
    assert json.loads(s3.get_object(Bucket="tlb-test", Key=key)["Body"].read()) == taken


def test_a_missing_lock_is_taken_before_training(store: ReviewerStore, s3) -> None:
    store.claim_lock("https://x/runs/1")

    key = f"{store.location.reviewer_prefix}training.lock"
    assert json.loads(s3.get_object(Bucket="tlb-test", Key=key)["Body"].read())["runUrl"] == "https://x/runs/1"


def test_a_missing_bucket_is_named(s3_endpoint: str) -> None:
    store = ObjectStore("no-such-bucket", S3Settings(s3_endpoint, "us-east-1", None, None))
    with pytest.raises(TrainerError, match="The bucket 'no-such-bucket' does not exist"):
        store.get("x")


def test_an_unreachable_endpoint_names_the_action() -> None:
    store = ObjectStore("b", S3Settings(f"http://127.0.0.1:{free_port()}", "us-east-1", None, None))
    with pytest.raises(TrainerError, match=r"Could not reach http://127\.0\.0\.1:\d+ for s3:PutObject on s3://b/k\."):
        store.put("k", b"")
