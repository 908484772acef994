"""A real S3-compatible server for the tests, and files kept in its buckets.

moto's server mode, from the test extra: an S3 API over HTTP on 127.0.0.1, in a
thread of the test process, on a port the system picks. Nothing is downloaded
and nothing is mocked: django-storages and boto3 talk HTTP to it as they would
to a provider's endpoint. Tests that use it carry the `needs_s3` marker.
"""

import logging
import os
import uuid
from pathlib import Path
from unittest import mock

import boto3
from django.conf import settings
from django.test import override_settings

from config.storage import file_storages

ACCESS_KEY = "dlxh-test-key"
SECRET_KEY = "dlxh-test-secret"


def start_s3_server():
    """A started moto server on 127.0.0.1; the caller stops it."""
    # Imported here: moto is in the test extra only, and the tests that need it
    # are skipped (tests/services.py) where it is missing.
    from moto.server import ThreadedMotoServer  # noqa: PLC0415

    # Its request log would fill the test output.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    return server


def endpoint_of(server):
    host, port = server.get_host_and_port()
    return f"http://{host}:{port}"


def s3_environment(endpoint, bucket):
    """The environment an operator sets to keep the files in `bucket`."""
    return {
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint,
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
    }


def s3_client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
    )


def new_bucket(client):
    bucket = f"dlxh-test-{uuid.uuid4().hex[:16]}"
    client.create_bucket(Bucket=bucket)
    return bucket


def files_on_disk(root):
    """Every file under `root`: none, when all are in the bucket."""
    return sorted(str(path) for path in Path(root).rglob("*") if path.is_file())


def keys_in(client, bucket, prefix=""):
    pages = client.get_paginator("list_objects_v2").paginate(
        Bucket=bucket, Prefix=prefix
    )
    return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))


class BucketMixin:
    """Every file of each test in a bucket of its own, configured as an operator
    would (S3_* in the environment, read by config.storage)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        server = start_s3_server()
        cls.addClassCleanup(server.stop)
        cls.s3_endpoint = endpoint_of(server)

    def setUp(self):
        super().setUp()
        self.s3 = s3_client(self.s3_endpoint)
        self.bucket = new_bucket(self.s3)
        with mock.patch.dict(os.environ, s3_environment(self.s3_endpoint, self.bucket)):
            storages = file_storages()
        in_bucket = override_settings(STORAGES={**settings.STORAGES, **storages})
        in_bucket.enable()
        self.addCleanup(in_bucket.disable)

    def bucket_keys(self, prefix=""):
        return keys_in(self.s3, self.bucket, prefix)

    def bucket_object(self, key):
        return self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()
