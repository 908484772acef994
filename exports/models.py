"""Export jobs: one row per Excel file a user asked for, from queue to download.

The row is the job's whole state; the RQ job only carries its id. A file is
private (the "exports" storage: MEDIA_ROOT/exports, or a prefix of the bucket
all machines share; no URL) and leaves through the permission-checked download
view; it is deleted when it expires.
"""

import tempfile
from datetime import time, timedelta
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_app.files import exports_storage, local_dir
from forms_app.models.pages import WEEKDAYS
from units.choices import Clearance

# Defaults of the settings an installation may override (docs/configuration.md).
DEFAULT_EXPIRY_DAYS = 7
DEFAULT_JOB_TIMEOUT = 30 * 60
DEFAULT_HEARTBEAT_TIMEOUT = 120


def expiry_days():
    return getattr(settings, "EXPORTS_EXPIRY_DAYS", DEFAULT_EXPIRY_DAYS)


def default_expiry():
    return timezone.now() + timedelta(days=expiry_days())


def heartbeat_timeout():
    seconds = getattr(settings, "EXPORTS_HEARTBEAT_TIMEOUT", DEFAULT_HEARTBEAT_TIMEOUT)
    return timedelta(seconds=seconds)


def export_storage():
    """STORAGES["exports"], followed when the setting changes (forms_app.files)."""
    return exports_storage


def temporary_dir(storage):
    """Where a run writes its file before publishing it: beside the final file
    on local disk (so that os.replace is atomic), else in this machine's
    temporary directory (FILE_UPLOAD_TEMP_DIR, where Django and django-storages
    keep theirs), whence it is uploaded whole."""
    machine = Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir())
    return local_dir(storage) or machine / "dlxh-exports"


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

    def is_stale(self, now):
        """No heartbeat for a while: its worker is gone (or it never started)."""
        last = self.heartbeat_at
        return last is None or last < now - heartbeat_timeout()

    # Files

    def temporary_path(self, token):
        """Where run `token` writes (temporary_dir)."""
        directory = temporary_dir(self.file.storage)
        directory.mkdir(parents=True, exist_ok=True)
        return directory / f".{self.pk}-{token.hex}.part"

    def remove_temporary(self, token):
        """Run `token`'s temporary file and the writer's own beside it (`.part.*`)."""
        if token is None:
            return
        try:
            path = self.temporary_path(token)
        except Exception:
            return
        for leftover in path.parent.glob(f"{path.name}*"):
            leftover.unlink(missing_ok=True)

    def delete_file(self):
        if self.file:
            self.file.storage.delete(self.file.name)


class DigestSchedule(models.Model):
    """When a weekly or monthly digest makes itself, and who receives it
    (Art. 6.1.2). Run by exports.schedules.run_due_schedules every minute."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly_digest", _("Tổng hợp tuần")
        MONTHLY = "monthly_digest", _("Tổng hợp tháng")

    class Target(models.TextChoices):
        PREVIOUS = "previous", _("Kỳ vừa kết thúc")
        CURRENT = "current", _("Kỳ đang diễn ra")

    name = models.CharField(_("tên lịch"), max_length=150)
    kind = models.CharField(
        _("loại tổng hợp"), max_length=20, choices=Kind.choices, default=Kind.WEEKLY
    )
    target = models.CharField(
        _("kỳ được tổng hợp"),
        max_length=10,
        choices=Target.choices,
        default=Target.PREVIOUS,
    )
    weekday = models.PositiveSmallIntegerField(
        _("vào thứ (tổng hợp tuần)"), choices=WEEKDAYS, default=0
    )
    day_of_month = models.PositiveSmallIntegerField(
        _("vào ngày (tổng hợp tháng)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("Tháng không có ngày này thì chạy vào ngày cuối tháng."),
    )
    at_time = models.TimeField(_("lúc"), default=time(7, 0))
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        blank=True,
        related_name="+",
        help_text=_(
            "Nhận thông báo kèm đường dẫn tải tệp (không gửi tệp qua thư). Để trống: "
            "lãnh đạo và chuyên viên Ban."
        ),
    )
    include_summary = models.BooleanField(_("bảng số liệu tổng hợp"), default=True)
    include_compliance = models.BooleanField(
        _("tình hình nộp báo cáo của các đơn vị"), default=True
    )
    include_detail = models.BooleanField(_("danh sách chi tiết báo cáo"), default=True)
    include_charts = models.BooleanField(_("biểu đồ"), default=True)
    max_classification = models.PositiveSmallIntegerField(
        _("độ mật tối đa đưa vào"),
        choices=Clearance.choices,
        default=Clearance.NORMAL,
        help_text=_("Báo cáo có độ mật cao hơn không được đưa vào bảng tổng hợp."),
    )
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("lịch tổng hợp")
        verbose_name_plural = _("lịch tổng hợp")

    def __str__(self):
        return self.name

    def sections(self):
        flags = {
            "summary": self.include_summary,
            "compliance": self.include_compliance,
            "detail": self.include_detail,
            "charts": self.include_charts and self.include_summary,
            # Questionnaires answered in the period go with the figures.
            "surveys": self.include_summary,
        }
        return [name for name, wanted in flags.items() if wanted]

    def schedule_text(self):
        at = self.at_time.strftime("%H:%M")
        if self.kind == self.Kind.WEEKLY:
            return _("%(day)s hằng tuần, %(at)s") % {
                "day": dict(WEEKDAYS)[self.weekday],
                "at": at,
            }
        return _("Ngày %(day)s hằng tháng, %(at)s") % {
            "day": self.day_of_month,
            "at": at,
        }

    schedule_text.short_description = _("thời gian")


class ScheduleRun(models.Model):
    """A schedule's digest of one period: the unique constraint makes it one,
    however many schedulers tick at once."""

    schedule = models.ForeignKey(
        DigestSchedule, on_delete=models.CASCADE, related_name="runs"
    )
    period_key = models.CharField(_("kỳ"), max_length=20)
    due_at = models.DateTimeField(_("đến hạn lúc"))
    job = models.ForeignKey(
        ExportJob,
        verbose_name=_("tệp xuất"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="schedule_runs",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-due_at"]
        verbose_name = _("lần tổng hợp theo lịch")
        verbose_name_plural = _("lần tổng hợp theo lịch")
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "period_key"],
                name="one_run_per_schedule_and_period",
            )
        ]

    def __str__(self):
        return f"{self.schedule} · {self.period_key}"
