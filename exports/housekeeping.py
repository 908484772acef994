"""Export housekeeping, run every minute by the scheduler (config/cron.py) and
by `manage.py cleanup_exports`.

Safe to run from several places at once: every change is a conditional update
that only one caller can make.
"""

import logging
import os
import shutil
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

import jobs

from .models import ExportJob, local_dir
from .runs import enqueue_export, queue_name

logger = logging.getLogger(__name__)

Status = ExportJob.Status
# A queued job this old with no RQ job behind it was lost by Redis.
QUEUED_GRACE = timedelta(minutes=2)
# Leftovers of a dead run (temporary files) are removed after this long.
ORPHAN_AGE = timedelta(days=1)


def _lost_message():
    return _(
        "Quá trình xuất bị gián đoạn (máy xử lý dừng đột ngột). Bấm “Thử lại” để "
        "xuất lại."
    )


def sweep(now=None):
    """Periodic housekeeping; safe to run from several places at once.

    - a running job whose heartbeat stopped, or whose RQ job failed (a killed
      work horse), is marked failed, to be retried by the user;
    - a queued job whose RQ job is gone (Redis lost its queue) is enqueued again;
    - expired files are deleted.
    Returns a dict of counts, for the log and the command.
    """
    now = now or timezone.now()
    counts = {"failed": 0, "requeued": 0, "expired": 0}
    for job in ExportJob.objects.filter(status=Status.RUNNING):
        state = jobs.job_status(job.rq_job_id, queue_name())
        if job.is_stale(now) or state in ("failed", "stopped", "canceled"):
            counts["failed"] += _fail_lost(job, now)
    queued = ExportJob.objects.filter(
        status=Status.QUEUED, heartbeat_at__lt=now - QUEUED_GRACE
    )
    for job in queued:
        state = jobs.job_status(job.rq_job_id, queue_name())
        if state is None or (state == jobs.UNKNOWN and jobs.run_synchronously()):
            enqueue_export(job)
            counts["requeued"] += 1
        elif state in ("failed", "stopped", "canceled"):
            counts["failed"] += _fail_lost(job, now, status=Status.QUEUED)
    counts["expired"] = cleanup_expired(now)
    if any(counts.values()):
        logger.info("Export sweep: %s", counts)
    return counts


def _fail_lost(job, now, status=Status.RUNNING):
    updated = ExportJob.objects.filter(
        pk=job.pk, status=status, run_token=job.run_token
    ).update(
        status=Status.FAILED,
        error=_lost_message(),
        finished_at=now,
        run_token=None,
    )
    if updated:
        job.remove_temporary(job.run_token)
    return updated


def cleanup_expired(now=None):
    """Delete expired files (rows stay, as history) and old leftovers."""
    now = now or timezone.now()
    expired = ExportJob.objects.filter(expires_at__lte=now).exclude(file="")
    count = 0
    for job in expired:
        job.delete_file()
        count += ExportJob.objects.filter(pk=job.pk, file=job.file.name).update(file="")
    _remove_orphans(now)
    return count


def _remove_orphans(now):
    """Files no job refers to: temporary files of runs that died without the
    sweep noticing, a file published just before its database write failed."""
    directory = local_dir(ExportJob._meta.get_field("file").storage)
    if directory is None or not directory.is_dir():
        return
    cutoff = (now - ORPHAN_AGE).timestamp()
    for entry in os.scandir(directory):
        if entry.stat(follow_symlinks=False).st_mtime >= cutoff:
            continue
        if ExportJob.objects.filter(file=entry.name).exists():
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            os.unlink(entry.path)
