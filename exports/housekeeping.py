"""Export housekeeping, run every minute by the scheduler (config/cron.py) and
by `manage.py cleanup_exports`.

Safe to run from several places at once: every change is a conditional update
that only one caller can make. Files are reached through the "exports"
storage's API (no paths, no directory listings of our own), so the sweep works
the same on a local disk and in a bucket shared by several machines.
"""

import logging
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

import jobs
from forms_app.files import local_dir

from .models import ExportJob, temporary_dir
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
    """Files no job refers to, a day old: temporary files of runs that died
    without the sweep noticing, a file published just before its database
    write failed."""
    cutoff = now - ORPHAN_AGE
    storage = ExportJob._meta.get_field("file").storage
    try:
        _folders, names = storage.listdir("")
    except FileNotFoundError:  # a local folder no export was ever written to
        names = []
    held = set(
        ExportJob.objects.filter(file__in=names).values_list("file", flat=True)
    )
    for name in names:
        # The age last: it costs a request per object in a bucket, and a file
        # uploaded a moment ago may be a run's whose database write is on its way.
        if name not in held and storage.get_modified_time(name) < cutoff:
            storage.delete(name)
    if local_dir(storage) is None:
        # Runs write on their own machine before uploading: this one's leftovers.
        _remove_stale_temporaries(temporary_dir(storage), cutoff)


def _remove_stale_temporaries(directory, cutoff):
    if not directory.is_dir():
        return
    for path in directory.glob(".*.part*"):
        if path.stat().st_mtime < cutoff.timestamp():
            path.unlink(missing_ok=True)
