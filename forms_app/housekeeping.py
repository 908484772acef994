"""Forms begun and never sent: their drafts and uploads do not stay forever.

A draft keeps what a unit typed, so that nothing is lost when a session ends
or a browser closes (storage.py). A draft untouched for DRAFT_RETENTION_DAYS
belongs to a period long closed; answers about people's opinions should not
linger in the database, nor their attachments on disk. The cron scheduler runs
this daily; it is safe to run twice or at once.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import SubmissionDraft
from .storage import DraftFileStorage

logger = logging.getLogger(__name__)


def draft_files(draft):
    """Paths, in the draft file storage, of the uploads `draft` holds."""
    step_files = (draft.data or {}).get("step_files") or {}
    return [
        info["tmp_name"]
        for files in step_files.values()
        for info in (files or {}).values()
        if isinstance(info, dict) and info.get("tmp_name")
    ]


def delete_abandoned_drafts(days=None):
    """Delete drafts not saved for `days` (DRAFT_RETENTION_DAYS), then their
    uploads. Returns how many drafts went."""
    days = settings.DRAFT_RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - dt.timedelta(days=days)
    storage = DraftFileStorage()
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
            transaction.on_commit(lambda paths=paths: _delete(storage, paths))
        deleted += 1
    if deleted:
        logger.info("Deleted %d drafts untouched for %d days", deleted, days)
    return deleted


def _delete(storage, paths):
    for path in paths:
        storage.delete(path)
