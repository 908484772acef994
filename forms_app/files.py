"""The private file storages, as settings.STORAGES configures them.

Three aliases hold the platform's files (config/storage.py chooses their
backends): "default" for the uploads of sent forms, "drafts" for uploads of
forms in progress, "exports" for workbooks. On one machine they are folders of
MEDIA_ROOT; past one machine, prefixes of one private bucket (forms_app.s3).
Code reaches them through Django's storage API only (no paths, no os.listdir),
so it works the same on both.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, cached_property, empty

# The folder of MEDIA_ROOT, or the key prefix in the bucket, of each alias;
# uploads of sent forms sit at the root, under submissions/<page>/, as they
# always have. The same layout in both places lets files move as they are
# (move_files_to_bucket).
FOLDERS = {"default": "", "drafts": "drafts", "exports": "exports"}


def local_dir(storage):
    """The storage's folder on this machine, or None for remote storage."""
    try:
        return Path(storage.path(""))
    except NotImplementedError:
        return None


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder of MEDIA_ROOT on this machine; its files have no URL."""

    def __init__(self, subdirectory="", **kwargs):
        self.subdirectory = subdirectory
        super().__init__(**kwargs)

    @cached_property
    def base_location(self):
        # Computed, not passed in, so a changed MEDIA_ROOT (tests) is followed.
        return self._value_or_setting(
            self._location, Path(settings.MEDIA_ROOT) / self.subdirectory
        )

    def url(self, name):
        raise NotImplementedError(
            "Private files leave through the permission-checked views only."
        )


class ConfiguredStorage(LazyObject):
    """settings.STORAGES[alias], looked up when first used and again after the
    setting changes, as Django's own default_storage is."""

    def __init__(self, alias):
        self.__dict__["alias"] = alias
        super().__init__()

    def _setup(self):
        self._wrapped = storages[self.alias]


drafts_storage = ConfiguredStorage("drafts")
exports_storage = ConfiguredStorage("exports")


@receiver(setting_changed)
def _forget_storages(*, setting, **kwargs):
    # Django resets its `storages` registry when STORAGES changes (tests);
    # these must then look again.
    if setting == "STORAGES":
        for storage in (drafts_storage, exports_storage):
            storage._wrapped = empty
