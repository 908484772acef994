"""Where the platform's files are kept: this machine's disk, or a bucket.

Three aliases of STORAGES hold them: "default" (the uploads of sent forms),
"drafts" (uploads of forms in progress) and "exports" (workbooks). By default
they are folders of PRIVATE_FILES_ROOT on this machine (the embedded default).
Past one machine every web and worker process must see the same files: naming a
bucket (S3_BUCKET) puts all three, as prefixes of that bucket, on S3-compatible
object storage through django-storages' S3 backend. A bucket named with its
endpoint or credentials missing stops start-up, naming what is missing: files
silently written to one machine's disk are files the other machines cannot see.

Objects stay private (the bucket's own policy, no public ACL, no unsigned URL);
files leave only through the permission-checked views, which stream them
(docs/operations.md, "Files on several machines", says why).
"""

import posixpath

from django.core.exceptions import ImproperlyConfigured

from config.env import env_first, env_str
from forms_app.files import FOLDERS

# Each setting may be given by our name or by the name django-storages and the
# AWS tools use, so an operator's existing environment works as it is.
BUCKET = ("S3_BUCKET", "AWS_STORAGE_BUCKET_NAME")
REQUIRED = {
    "endpoint_url": ("S3_ENDPOINT_URL", "AWS_S3_ENDPOINT_URL"),
    "access_key": ("S3_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"),
    "secret_key": ("S3_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"),
}
REGION = ("S3_REGION", "AWS_S3_REGION_NAME")
# Only meaningful with a bucket: set without one, they are a configuration
# half done (AWS_* alone may serve other tools, e.g. backups, and are ignored).
S3_ONLY = (
    "S3_ENDPOINT_URL",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_REGION",
    "S3_PREFIX",
    "S3_ADDRESSING_STYLE",
)
ADDRESSING_STYLES = ("auto", "path", "virtual")

LOCAL_BACKEND = "forms_app.files.PrivateFileSystemStorage"
S3_BACKEND = "forms_app.s3.PrivateS3Storage"


def _names(names):
    return f"{names[0]} (or {names[1]})"


def file_storages():
    """STORAGES entries "default", "drafts" and "exports", from the environment."""
    bucket = env_first(*BUCKET)
    if bucket is None:
        stray = [name for name in S3_ONLY if env_str(name) is not None]
        if stray:
            raise ImproperlyConfigured(
                f"{stray[0]} is set but no bucket is named: set {_names(BUCKET)} "
                f"to keep files in an S3-compatible bucket, or unset {stray[0]} "
                "to keep them on this machine's disk (PRIVATE_FILES_ROOT)."
            )
        return local_storages()
    return bucket_storages(bucket)


def local_storages():
    return {
        # Django's own, as it always was: MEDIA_ROOT, never served (no URL is
        # routed to MEDIA_URL).
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        **{
            alias: {"BACKEND": LOCAL_BACKEND, "OPTIONS": {"subdirectory": folder}}
            for alias, folder in FOLDERS.items()
            if folder
        },
    }


def bucket_storages(bucket):
    named_by = next(name for name in BUCKET if env_str(name) is not None)
    options = {"bucket_name": bucket}
    missing = []
    for option, names in REQUIRED.items():
        value = env_first(*names)
        if value is None:
            missing.append(_names(names))
        options[option] = value
    if missing:
        raise ImproperlyConfigured(
            f"{named_by} names a bucket, so files are kept in S3-compatible "
            f"storage, but {', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not set."
        )
    addressing = env_str("S3_ADDRESSING_STYLE", "auto").lower()
    if addressing not in ADDRESSING_STYLES:
        raise ImproperlyConfigured(
            f"S3_ADDRESSING_STYLE must be one of {', '.join(ADDRESSING_STYLES)}, "
            f"not {addressing!r}."
        )
    options.update(region_name=env_first(*REGION), addressing_style=addressing)
    # Several installations (provinces) may share one bucket, each under a
    # prefix of its own.
    prefix = env_str("S3_PREFIX", "").strip("/")
    return {
        alias: {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                **options,
                "location": posixpath.join(prefix, folder).strip("/"),
            },
        }
        for alias, folder in FOLDERS.items()
    }
