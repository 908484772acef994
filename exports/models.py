"""Export jobs: one row per Excel file a user asked for, from queue to download.

The row is the job's whole state; the RQ job only carries its id. A file is
private (MEDIA_ROOT/exports, no URL) and leaves through the permission-checked
download view; it is deleted when it expires.
"""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from units.choices import Clearance

# Defaults of the settings an installation may override (README, "Exports").
DEFAULT_EXPIRY_DAYS = 7
DEFAULT_JOB_TIMEOUT = 30 * 60
DEFAULT_HEARTBEAT_TIMEOUT = 120


def expiry_days():
    return getattr(settings, "EXPORTS_EXPIRY_DAYS", DEFAULT_EXPIRY_DAYS)


def default_expiry():
    return timezone.now() + timedelta(days=expiry_days())


class PrivateExportStorage(FileSystemStorage):
    """MEDIA_ROOT/exports on local disk; files have no public URL."""

    @cached_property
    def base_location(self):
        # Computed, not passed in, so a changed MEDIA_ROOT (tests) is followed.
        return self._value_or_setting(
            self._location, Path(settings.MEDIA_ROOT) / "exports"
        )

    def url(self, name):
        raise NotImplementedError("Export files are served by the download view only.")


def export_storage():
    """STORAGES["exports"] when configured (S3 beyond one machine), else local."""
    if "exports" in settings.STORAGES:
        return storages["exports"]
    return PrivateExportStorage()


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang xuất")
        DONE = "done", _("Hoàn tất")
        FAILED = "failed", _("Không thành công")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    kind = models.CharField(_("loại"), max_length=64)
    title = models.CharField(_("nội dung"), max_length=255, blank=True)
    # Plain JSON values only (ids, keys, dates as text): the worker rebuilds
    # everything else, with the requester's rights at that moment.
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=Status.choices,
        default=Status.QUEUED,
        db_index=True,
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    rows_done = models.PositiveIntegerField(_("số dòng đã xuất"), default=0)
    rows_total = models.PositiveIntegerField(_("tổng số dòng"), null=True, blank=True)
    classification = models.PositiveSmallIntegerField(
        _("độ mật"), choices=Clearance.choices, default=Clearance.NORMAL
    )
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    # Refreshed while queued or running; a running job whose heartbeat is old
    # lost its worker (killed, out of memory, machine gone).
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Which run owns the job: a run that lost ownership (taken over, or failed
    # by the sweep) stops instead of overwriting the newer state.
    run_token = models.UUIDField(null=True, blank=True, editable=False)
    file = models.FileField(
        _("tệp"), storage=export_storage, max_length=255, blank=True
    )
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    row_count = models.PositiveIntegerField(_("số dòng"), null=True, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    rq_job_id = models.CharField(max_length=100, blank=True, editable=False)
    expires_at = models.DateTimeField(
        _("hết hạn lúc"), default=default_expiry, db_index=True
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tệp xuất Excel")
        verbose_name_plural = _("tệp xuất Excel")
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self):
        return self.title or self.file_name or f"{self.kind} #{self.pk}"

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def has_file(self):
        return (
            self.status == self.Status.DONE
            and bool(self.file)
            and not (self.is_expired)
        )

    @property
    def can_retry(self):
        return self.status == self.Status.FAILED or (
            self.status == self.Status.DONE and self.is_expired
        )
