"""Where files are kept, from the environment: this machine's disk by default, a
private bucket when one is named, and start-up refused when it is named
without what it takes to reach it."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.test import TestCase
from django.utils.module_loading import import_string
from wagtail.documents import get_document_model

from config.storage import file_storages
from forms_app.files import PrivateFileSystemStorage
from forms_app.s3 import PrivateS3Storage
from tests.config.test_settings import manage, production_env
from tests.exports.helpers import PrivateFilesMixin
from tests.s3 import BucketMixin

COMPLETE = {
    "S3_BUCKET": "dlxh-files",
    "S3_ENDPOINT_URL": "https://s3.example.vn",
    "S3_ACCESS_KEY_ID": "key-id",
    "S3_SECRET_ACCESS_KEY": "secret",
}
ALIASES = ("default", "drafts", "exports")


@pytest.fixture
def environment(monkeypatch):
    """A clean slate: none of the storage variables set."""
    for name in (
        *COMPLETE,
        "AWS_STORAGE_BUCKET_NAME",
        "AWS_S3_ENDPOINT_URL",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "S3_REGION",
        "AWS_S3_REGION_NAME",
        "S3_PREFIX",
        "S3_ADDRESSING_STYLE",
    ):
        monkeypatch.delenv(name, raising=False)

    def set_env(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_env


def build(config):
    backend = import_string(config["BACKEND"])
    return backend(**config.get("OPTIONS", {}))


def test_files_stay_on_this_machines_disk_by_default(environment, settings, tmp_path):
    storages = file_storages()
    settings.MEDIA_ROOT = tmp_path

    default = build(storages["default"])
    assert type(default) is FileSystemStorage
    assert default.path("submissions/1/a.pdf") == str(tmp_path / "submissions/1/a.pdf")
    for alias in ("drafts", "exports"):
        storage = build(storages[alias])
        assert isinstance(storage, PrivateFileSystemStorage)
        assert storage.path("a") == str(tmp_path / alias / "a")
        with pytest.raises(NotImplementedError):
            storage.url("a")


def test_a_named_bucket_holds_every_kind_of_file_under_the_same_layout(environment):
    environment(**COMPLETE, S3_PREFIX="/dak-lak/")
    storages = file_storages()

    for alias, location in zip(
        ALIASES, ("dak-lak", "dak-lak/drafts", "dak-lak/exports"), strict=True
    ):
        storage = build(storages[alias])
        assert isinstance(storage, PrivateS3Storage)
        assert storage.bucket_name == "dlxh-files"
        assert storage.endpoint_url == "https://s3.example.vn"
        assert (storage.access_key, storage.secret_key) == ("key-id", "secret")
        assert storage.location == location


def test_the_names_of_django_storages_and_the_aws_tools_work_too(environment):
    environment(
        AWS_STORAGE_BUCKET_NAME="dlxh-files",
        AWS_S3_ENDPOINT_URL="https://s3.example.vn",
        AWS_ACCESS_KEY_ID="key-id",
        AWS_SECRET_ACCESS_KEY="secret",
        AWS_S3_REGION_NAME="hn-1",
    )
    storage = build(file_storages()["exports"])
    assert (storage.bucket_name, storage.region_name) == ("dlxh-files", "hn-1")
    assert storage.location == "exports"


@pytest.mark.parametrize(
    "missing",
    ["S3_ENDPOINT_URL", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"],
)
def test_a_bucket_without_its_endpoint_or_credentials_is_refused(
    environment, missing
):
    environment(**{k: v for k, v in COMPLETE.items() if k != missing})
    with pytest.raises(ImproperlyConfigured) as refusal:
        file_storages()
    message = str(refusal.value)
    assert f"{missing} (or AWS_" in message
    assert message.startswith("S3_BUCKET names a bucket")
    for present in set(COMPLETE) - {missing, "S3_BUCKET"}:
        assert present not in message


def test_everything_missing_is_named_at_once(environment):
    environment(AWS_STORAGE_BUCKET_NAME="dlxh-files")
    with pytest.raises(ImproperlyConfigured) as refusal:
        file_storages()
    message = str(refusal.value)
    assert message.startswith("AWS_STORAGE_BUCKET_NAME names a bucket")
    for name in ("S3_ENDPOINT_URL", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"):
        assert name in message


def test_bucket_settings_without_a_bucket_are_refused(environment):
    environment(S3_ENDPOINT_URL="https://s3.example.vn", S3_ACCESS_KEY_ID="key-id")
    with pytest.raises(ImproperlyConfigured, match="S3_ENDPOINT_URL is set but no"):
        file_storages()


def test_an_unknown_addressing_style_is_refused(environment):
    environment(**COMPLETE, S3_ADDRESSING_STYLE="sideways")
    with pytest.raises(ImproperlyConfigured, match="S3_ADDRESSING_STYLE"):
        file_storages()


def test_objects_are_private_whatever_the_options_say(environment):
    storage = PrivateS3Storage(
        bucket_name="dlxh-files",
        endpoint_url="https://s3.example.vn",
        access_key="key-id",
        secret_key="secret",
        default_acl="public-read",
        querystring_auth=False,
        file_overwrite=True,
        object_parameters={"ACL": "public-read", "CacheControl": "private"},
    )
    assert storage.default_acl is None
    assert storage.file_overwrite is False
    params = storage._get_write_parameters("submissions/1/a.pdf")
    assert "ACL" not in params
    assert params["CacheControl"] == "private"
    # url() (Wagtail's own views may call it) is signed and short-lived.
    query = parse_qs(urlsplit(storage.url("submissions/1/a.pdf")).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert "X-Amz-Signature" in query


def test_production_refuses_to_start_with_a_bucket_it_cannot_reach():
    result = manage(
        "check", **production_env(), S3_BUCKET="dlxh-files", S3_ACCESS_KEY_ID="id"
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "S3_ENDPOINT_URL" in result.stderr
    assert "S3_SECRET_ACCESS_KEY" in result.stderr


def test_production_starts_with_a_complete_bucket_configuration():
    result = manage(
        "check", **production_env(), **COMPLETE
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.needs_s3
class WagtailDocumentsInABucketTests(BucketMixin, PrivateFilesMixin, TestCase):
    def test_a_document_streams_through_wagtails_view_not_a_bucket_link(self):
        document = get_document_model().objects.create(
            title="Quy chế phối hợp",
            file=ContentFile(b"%PDF-1.4 quy che", name="quy-che.pdf"),
        )
        self.assertEqual(self.bucket_keys(), [document.file.name])

        response = self.client.get(document.url)

        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), b"%PDF-1.4 quy che")
