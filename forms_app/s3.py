"""The files in an S3-compatible bucket, when config/storage.py names one."""

from botocore.config import Config
from django.conf import settings
from storages.backends.s3 import S3Storage

# Seconds a signed URL lasts, for the rare caller of url() (Wagtail's own
# image and document views); the platform's downloads are streamed and never
# hand one out.
SIGNED_URL_SECONDS = 60


class PrivateS3Storage(S3Storage):
    """django-storages' S3 backend, made private whatever its options say.

    No ACL is ever sent, so every object takes the bucket's own (private)
    policy and a public-read object cannot be made by mistake; every URL is
    signed and short-lived, never a plain one; a name in use is never
    overwritten; and an object opened for a download spills to a temporary file
    past FILE_UPLOAD_MAX_MEMORY_SIZE instead of filling the worker's memory.
    """

    def __init__(self, addressing_style="auto", **options):
        options.update(
            default_acl=None,
            querystring_auth=True,
            querystring_expire=SIGNED_URL_SECONDS,
            custom_domain=None,
            file_overwrite=False,
            max_memory_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
            # A bucket that does not answer fails a request in seconds, not
            # after botocore's default minute per attempt.
            client_config=Config(
                s3={"addressing_style": addressing_style},
                signature_version="s3v4",
                connect_timeout=5,
                read_timeout=60,
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        )
        super().__init__(**options)
        self.object_parameters = {
            name: value
            for name, value in self.object_parameters.items()
            if name != "ACL"
        }
