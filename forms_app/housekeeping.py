"""Forms begun and never sent: their drafts and uploads do not stay forever.

A draft keeps what a unit typed, so that nothing is lost when a session ends
or a browser closes (storage.py). A draft untouched for DRAFT_RETENTION_DAYS
belongs to a period long closed; answers about people's opinions should not
linger in the database, nor their attachments in the files. The cron scheduler
runs this daily; it is safe to run twice or at once. Files are reached through
the "drafts" storage's API only, so this works the same on a local disk and in
a bucket shared by several machines.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .files import drafts_storage
from .models import SubmissionDraft

logger = logging.getLogger(__name__)


def draft_files(draft):
    """Names, in the drafts storage, of the uploads `draft` holds."""
    return files_in(draft.data)


def files_in(data):
    step_files = (data or {}).get("step_files") or {}
    return [
        info["tmp_name"]
        for files in step_files.values()
        for info in (files or {}).values()
        if isinstance(info, dict) and info.get("tmp_name")
    ]


def delete_abandoned_drafts(days=None):
    """Delete drafts not saved for `days` (DRAFT_RETENTION_DAYS), then their
    uploads, then uploads as old that no draft holds. Returns how many drafts
    went."""
    days = settings.DRAFT_RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted = 0
    for pk in SubmissionDraft.objects.filter(updated_at__lt=cutoff).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            # Locked and checked again: the unit may be saving it right now.
            draft = (
                SubmissionDraft.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, updated_at__lt=cutoff)
                .first()
            )
            if draft is None:
                continue
            paths = draft_files(draft)
            draft.delete()
            # Files go only once the row is gone for good.
            transaction.on_commit(lambda paths=paths: _delete(paths))
        deleted += 1
    if deleted:
        logger.info("Deleted %d drafts untouched for %d days", deleted, days)
    orphans = delete_orphan_files(cutoff)
    if orphans:
        logger.info("Deleted %d draft uploads no draft holds", orphans)
    return deleted


def delete_orphan_files(cutoff):
    """Uploads older than `cutoff` that no draft holds: their draft went while
    their own deletion did not happen (a process or machine stopped between
    the two). Returns how many went."""
    try:
        _folders, names = drafts_storage.listdir("")
    except FileNotFoundError:  # a local folder nothing was ever uploaded to
        return 0
    if not names:
        return 0
    held = {
        name
        for data in SubmissionDraft.objects.values_list("data", flat=True).iterator()
        for name in files_in(data)
    }
    deleted = 0
    for name in names:
        # The age last: it costs a request per object in a bucket, and a file
        # saved a moment ago may belong to a draft not yet committed.
        if name in held or drafts_storage.get_modified_time(name) >= cutoff:
            continue
        drafts_storage.delete(name)
        deleted += 1
    return deleted


def _delete(paths):
    for path in paths:
        drafts_storage.delete(path)
