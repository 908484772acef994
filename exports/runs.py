"""Running exports: `start_export` in the request, `run_export` in a worker
(`exports.housekeeping` sweeps up after dead runs from the scheduler).

As in pretix, the worker gets only the ExportJob's id; everything else (who asks,
what they may see, what to write) is read again when it runs. A run owns the
job through `run_token`: it writes a temporary file and publishes it only if it
still owns the job, so running twice, a worker taking over a dead one's job, or
the sweep failing a job mid-way can never leave two files or a half-written one
on offer. On local disk the file is written beside the final one and published
with os.replace; in a bucket it is written on this machine, uploaded whole and
its size checked, and only then is the job marked done.
"""

import logging
import os
import time
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import InterfaceError, OperationalError, transaction
from django.db import connection as db_connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rq.timeouts import JobTimeoutException

import jobs
from forms_app.files import local_dir
from workflows.choices import NotificationKind
from workflows.models import Notification

from .exporters import get_exporter
from .models import DEFAULT_JOB_TIMEOUT, ExportJob, default_expiry
from .writer import write_workbook

logger = logging.getLogger(__name__)

Status = ExportJob.Status
# Database hiccups (a restart, a dropped connection) are retried by RQ.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
PROGRESS_INTERVAL = 0.5  # seconds between progress writes


def queue_name():
    return getattr(settings, "EXPORTS_QUEUE", "exports")


def job_timeout():
    return getattr(settings, "EXPORTS_JOB_TIMEOUT", DEFAULT_JOB_TIMEOUT)


class Superseded(Exception):
    """This run no longer owns its job (taken over, or failed by the sweep)."""


# In the request


def start_export(user, kind, params):
    """Create an ExportJob and enqueue it once the transaction commits.

    Raises KeyError for an unknown kind, ValidationError for bad parameters and
    PermissionDenied when the user may not export.
    """
    exporter = get_exporter(kind)(user=user, params=params)
    if not exporter.has_permission():
        raise PermissionDenied
    job = ExportJob.objects.create(
        requested_by=user,
        kind=kind,
        title=exporter.get_title()[:255],
        params=exporter.params,
        heartbeat_at=timezone.now(),
    )
    enqueue_export(job)
    return job


def enqueue_export(job):
    """Give `job` a new RQ job id and enqueue its run once the caller commits."""
    job.rq_job_id = f"export-{job.pk}-{uuid.uuid4().hex[:12]}"
    job.heartbeat_at = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        rq_job_id=job.rq_job_id, heartbeat_at=job.heartbeat_at
    )
    jobs.enqueue_on_commit(
        run_export,
        job.pk,
        queue=queue_name(),
        job_id=job.rq_job_id,
        timeout=job_timeout(),
    )


@transaction.atomic
def retry(job):
    """Queue a failed (or expired) export again; False when it cannot be."""
    job = ExportJob.objects.select_for_update().get(pk=job.pk)
    if not job.can_retry:
        return False
    job.delete_file()
    ExportJob.objects.filter(pk=job.pk).update(
        status=Status.QUEUED,
        progress=0,
        rows_done=0,
        rows_total=None,
        row_count=None,
        error="",
        file="",
        started_at=None,
        finished_at=None,
        run_token=None,
        expires_at=default_expiry(),
    )
    job.refresh_from_db()
    enqueue_export(job)
    return True


# In the worker


def run_export(job_id):
    """The RQ job. Safe to run twice: a finished job is left alone, a running one
    only taken over when its worker is gone."""
    try:
        job, token = _claim(job_id)
    except TRANSIENT_ERRORS:
        _drop_connection()
        if jobs.current_job_id() is not None:
            raise  # RQ retries with backoff
        logger.warning("Export %s not started: database unavailable", job_id)
        return
    if job is None:
        return
    try:
        _run(job, token)
    except Superseded:
        logger.info("Export %s: run %s lost ownership, stopped", job.pk, token)
    except TRANSIENT_ERRORS:
        logger.warning("Export %s: database error, will retry", job.pk, exc_info=True)
        _drop_connection()
        _release(job, token)
        if jobs.current_job_id() is not None:
            raise
    except JobTimeoutException:
        logger.warning("Export %s: time limit reached", job.pk)
        _fail(
            job,
            token,
            _(
                "Quá thời gian cho phép (%(minutes)s phút). Hãy lọc bớt dữ liệu "
                "rồi xuất lại."
            )
            % {"minutes": job_timeout() // 60},
        )
    except Exception:
        # The traceback goes to the log; the user gets a sentence.
        logger.exception("Export %s failed", job.pk)
        _fail(
            job,
            token,
            _(
                "Không xuất được tệp do lỗi hệ thống. Bấm “Thử lại”; nếu vẫn lỗi, "
                "xin báo quản trị hệ thống."
            ),
        )
    finally:
        job.remove_temporary(token)


def _claim(job_id):
    now = timezone.now()
    rq_job_id = jobs.current_job_id()
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update()
            .select_related("requested_by")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.status in (Status.DONE, Status.FAILED):
            return None, None
        if job.status == Status.RUNNING and not job.is_stale(now):
            # Another live worker runs it, unless that was this very RQ job
            # (an RQ retry after a database error): its first run is over.
            if not (rq_job_id and rq_job_id == job.rq_job_id):
                return None, None
        token = uuid.uuid4()
        job.status = Status.RUNNING
        job.run_token = token
        job.attempts += 1
        job.started_at = job.heartbeat_at = now
        job.progress = job.rows_done = 0
        job.error = ""
        if rq_job_id:
            job.rq_job_id = rq_job_id
        job.save(
            update_fields=[
                "status",
                "run_token",
                "attempts",
                "started_at",
                "heartbeat_at",
                "progress",
                "rows_done",
                "error",
                "rq_job_id",
            ]
        )
    return job, token


def _run(job, token):
    try:
        exporter = get_exporter(job.kind)(job)
    except KeyError:
        return _fail(job, token, _("Loại tệp xuất này không còn được hỗ trợ."))
    except ValidationError:
        return _fail(job, token, _("Điều kiện lọc của yêu cầu xuất không hợp lệ."))
    if not exporter.has_permission():
        return _fail(job, token, _("Người yêu cầu không còn quyền xuất dữ liệu này."))
    total = exporter.count()
    classification = exporter.get_classification()
    _update(job, token, rows_total=total, classification=classification)
    progress = _Progress(job, token, total)
    name = f"{job.pk}-{uuid.uuid4().hex[:16]}.xlsx"
    temp = job.temporary_path(token)
    rows = write_workbook(
        temp,
        exporter.get_sheets(),
        title=exporter.get_title(),
        author=exporter.get_author(),
        classification=classification,
        progress=progress,
        expected_rows=total,
    )
    _publish(job, token, temp, name, exporter.get_file_name(), rows)


def _owned(job, token):
    return ExportJob.objects.filter(pk=job.pk, run_token=token, status=Status.RUNNING)


def _update(job, token, **fields):
    fields["heartbeat_at"] = timezone.now()
    if not _owned(job, token).update(**fields):
        raise Superseded


class _Progress:
    """Counts rows; writes progress and the heartbeat at most twice a second."""

    def __init__(self, job, token, total):
        self.job, self.token, self.total = job, token, total
        self.done = 0
        self.last = time.monotonic()

    def __call__(self, rows):
        self.done += rows
        now = time.monotonic()
        if now - self.last >= PROGRESS_INTERVAL:
            self.last = now
            percent = min(99, self.done * 100 // self.total) if self.total else 0
            _update(self.job, self.token, rows_done=self.done, progress=percent)


def _publish(job, token, temp, name, file_name, rows):
    storage = job.file.storage
    now = timezone.now()
    with transaction.atomic():
        if not list(_owned(job, token).select_for_update().values_list("pk")):
            raise Superseded
        directory = local_dir(storage)
        if directory is not None:
            os.replace(temp, directory / name)
        else:
            name = _upload(storage, temp, name)
        _owned(job, token).update(
            status=Status.DONE,
            file=name,
            file_name=file_name,
            row_count=rows,
            rows_done=rows,
            progress=100,
            finished_at=now,
            heartbeat_at=now,
            expires_at=default_expiry(),
            run_token=None,
        )
        transaction.on_commit(lambda: _notify_ready(job))


def _upload(storage, temp, name):
    """Put the finished file in the bucket; its name there. An object of
    another size than the file (a broken transfer the server accepted) is
    removed and the run fails: the job is never marked done on it."""
    with open(temp, "rb") as handle:
        name = storage.save(name, File(handle))
    expected = os.path.getsize(temp)
    stored = storage.size(name)
    if stored != expected:
        storage.delete(name)
        raise OSError(f"Uploaded {name}: {stored} bytes stored of {expected}")
    return name


def _notify_ready(job):
    Notification.objects.create(
        user_id=job.requested_by_id,
        kind=NotificationKind.EXPORT_READY,
        text=(_("Tệp Excel “%(title)s” đã sẵn sàng.") % {"title": job.title})[:300],
        url=reverse("exports:list"),
    )


def _fail(job, token, message):
    ExportJob.objects.filter(pk=job.pk, run_token=token).update(
        status=Status.FAILED,
        error=message,
        finished_at=timezone.now(),
        run_token=None,
    )


def _release(job, token):
    """Back to the queue for RQ's retry; harmless if the database is still down."""
    try:
        _owned(job, token).update(
            status=Status.QUEUED, run_token=None, heartbeat_at=timezone.now()
        )
    except TRANSIENT_ERRORS:
        _drop_connection()


def _drop_connection():
    """Let the next query open a fresh connection if this one is broken (never
    inside a transaction: that belongs to the caller)."""
    if db_connection.in_atomic_block:
        return
    try:
        db_connection.close_if_unusable_or_obsolete()
    except Exception:  # already broken; a new one opens on the next query
        logger.debug("closing a broken connection", exc_info=True)
