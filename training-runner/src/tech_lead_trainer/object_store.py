"""S3 (or any S3-compatible store) through boto3; every failure names the IAM action to allow."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError, NoCredentialsError

from tech_lead_trainer.errors import TrainerError
from tech_lead_trainer.settings import S3Settings

_PRECONDITION_CODES = {"PreconditionFailed", "ConditionalRequestConflict", "412"}


class ConflictError(Exception):
    """A conditional write lost against another run."""


@dataclass(frozen=True)
class StoredObject:
    body: bytes
    etag: str


class ObjectStore:
    """One bucket. Keys are full keys; ``uri(key)`` is what messages show."""

    def __init__(self, bucket: str, settings: S3Settings, *, policy_prefix: str = "") -> None:
        self.bucket = bucket
        self._settings = settings
        # What the IAM hint in error messages grants access to: the reviewer's folder.
        self._policy_prefix = policy_prefix
        self._client = boto3.client(
            "s3",
            endpoint_url=settings.endpoint,
            region_name=settings.region or "us-east-1",
            config=Config(
                # An S3 outage should fail a run in seconds, not minutes.
                retries={"max_attempts": 3, "mode": "standard"},
                s3={"addressing_style": "path"} if settings.endpoint else {},
            ),
        )

    def uri(self, key: str) -> str:
        return f"s3://{self.bucket}/{key}"

    def get(self, key: str) -> StoredObject | None:
        try:
            answer = self._client.get_object(Bucket=self.bucket, Key=key)
            return StoredObject(body=answer["Body"].read(), etag=answer["ETag"])
        except ClientError as error:
            if _code(error) in {"NoSuchKey", "404"}:
                return None
            raise self._failure(error, "s3:GetObject", key) from error
        except BotoCoreError as error:
            raise self._failure(error, "s3:GetObject", key) from error

    def put(
        self,
        key: str,
        body: bytes,
        *,
        content_type: str = "application/json",
        if_match: str | None = None,
        if_none_match: bool = False,
    ) -> str:
        """Writes an object; with a condition, a lost race raises ConflictError. Returns the new ETag."""
        arguments: dict[str, str | bytes] = {
            "Bucket": self.bucket,
            "Key": key,
            "Body": body,
            "ContentType": content_type,
        }
        if self._settings.sse:
            arguments["ServerSideEncryption"] = self._settings.sse
            if self._settings.sse == "aws:kms" and self._settings.kms_key_id:
                arguments["SSEKMSKeyId"] = self._settings.kms_key_id
        if if_match is not None:
            arguments["IfMatch"] = if_match
        if if_none_match:
            arguments["IfNoneMatch"] = "*"
        try:
            return self._client.put_object(**arguments)["ETag"]
        except ClientError as error:
            if (if_match is not None or if_none_match) and _code(error) in _PRECONDITION_CODES:
                raise ConflictError(f"{self.uri(key)} was changed by another run.") from error
            raise self._failure(error, "s3:PutObject", key) from error
        except BotoCoreError as error:
            raise self._failure(error, "s3:PutObject", key) from error

    def put_file(self, key: str, path: Path, content_type: str) -> str:
        return self.put(key, path.read_bytes(), content_type=content_type)

    def delete(self, key: str, *, if_match: str | None = None) -> None:
        """Deletes an object; with ``if_match``, only that version of it, else ConflictError."""
        arguments = {"Bucket": self.bucket, "Key": key}
        if if_match is not None:
            arguments["IfMatch"] = if_match
        try:
            self._client.delete_object(**arguments)
        except ClientError as error:
            # A conditional delete of an object that is gone (404) lost the race as well.
            if if_match is not None and _code(error) in {*_PRECONDITION_CODES, "NoSuchKey", "404"}:
                raise ConflictError(f"{self.uri(key)} was changed by another run.") from error
            raise self._failure(error, "s3:DeleteObject", key) from error
        except BotoCoreError as error:
            raise self._failure(error, "s3:DeleteObject", key) from error

    def delete_prefix(self, prefix: str) -> int:
        """Deletes every object under ``prefix``; returns how many."""
        deleted = 0
        try:
            for page in self._client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
                keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
                if keys:
                    self._client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys, "Quiet": True})
                    deleted += len(keys)
        except (ClientError, BotoCoreError) as error:
            raise self._failure(error, "s3:ListBucket and s3:DeleteObject", prefix) from error
        return deleted

    def _failure(self, error: Exception, action: str, key: str) -> TrainerError:
        where = self.uri(key)
        title = "S3 error"
        if isinstance(error, NoCredentialsError):
            return TrainerError(
                f"No AWS credentials for {action} on {where}. Give the train job credentials before this step,"
                " e.g. with aws-actions/configure-aws-credentials or an instance role on the runner.",
                title=title,
            )
        if isinstance(error, EndpointConnectionError):
            endpoint = self._settings.endpoint or "Amazon S3"
            return TrainerError(
                f"Could not reach {endpoint} for {action} on {where}. Check the s3-endpoint and aws-region inputs"
                " and the runner's network.",
                title=title,
            )
        if isinstance(error, ClientError):
            code = _code(error)
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if code in {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "403"} or status == 403:
                return TrainerError(
                    f"S3 denied {action} on {where} ({code}). Allow {action} on"
                    f" arn:aws:s3:::{self.bucket}/{self._policy_prefix}*"
                    " in the IAM policy of the train job's AWS role.",
                    title=title,
                )
            if code == "NoSuchBucket":
                return TrainerError(
                    f"The bucket '{self.bucket}' does not exist. Fix the s3-uri input of the prepare step.", title=title
                )
            return TrainerError(f"S3 failed {action} on {where}: {code} {error.response['Error'].get('Message', '')}.")
        return TrainerError(f"S3 failed {action} on {where}: {error}.", title=title)


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
