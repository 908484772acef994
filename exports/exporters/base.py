"""What every exporter is: a description of sheets whose rows are generated lazily.

After pretix's exporters: an exporter is built from the requester and plain
parameters (or from an ExportJob carrying both), reads its data through the
access policy for that user, and yields `Sheet`s; `exports.writer` turns them
into a workbook. Exporters never write files and never see a request.
"""

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from forms_app.access import submissions_visible_to
from forms_app.models import FormSubmission
from units.choices import Clearance
from units.models import Membership
from units.text import fold

# Excel's own limits.
MAX_SHEET_NAME = 31
MAX_ROWS = 1_048_576


@dataclass
class Column:
    header: str
    width: float | None = None  # in characters, as Excel measures columns
    # An Excel number format for dates and numbers of this column; None lets the
    # writer choose by value type (dates and datetimes get Vietnamese formats).
    number_format: str | None = None
    key: str = ""  # stable machine name, for tests and exporters building on it


@dataclass
class Chart:
    """A native Excel chart over columns of the sheet it belongs to.

    `categories` and `values` are 1-based column positions; the data range is
    every data row of the sheet. openpyxl draws it, whichever engine writes the
    rows (see exports.writer).
    """

    type: str = "column"  # column | bar | line | pie
    title: str = ""
    categories: int = 1
    values: Sequence[int] = (2,)
    anchor: str | None = None  # top-left cell; default: right of the data
    # Only data rows [first, stop) (0-based), for a sheet holding several small
    # tables one under another (a digest's summary); None: every data row.
    rows: tuple[int, int] | None = None
    x_title: str = ""
    y_title: str = ""
    width: float = 18.0  # cm
    height: float = 9.0  # cm


@dataclass
class Link:
    """A cell that is a hyperlink; `url` absolute (Excel opens it in a browser)."""

    url: str
    text: str


@dataclass
class Sheet:
    name: str
    columns: list[Column]
    # Called once by the writer; returns an iterable of row sequences, one value
    # per column: str, int, float, Decimal, bool, date, datetime, Link or None.
    rows: Callable[[], Iterable[Sequence]]
    charts: list[Chart] = field(default_factory=list)
    classification: int = Clearance.NORMAL
    title: str = ""  # an optional heading line above the column headers


class Exporter:
    """Base of every export kind; subclasses set `kind` and build the sheets.

    Construct with `Exporter(job)` in the worker, or `Exporter(user=…,
    params=…)` to validate a request before the job is created.
    """

    kind = None
    verbose_name = ""
    # The model permission a requester must hold, checked again when the job runs.
    permission = "exports.add_exportjob"
    # Rows fetched per database round trip (`.iterator(chunk_size=…)`).
    chunk_size = 2000

    def __init__(self, job=None, *, user=None, params=None):
        self.job = job
        self.user = job.requested_by if job is not None else user
        raw = job.params if job is not None else params
        self.params = self.clean_params(dict(raw or {}))

    # Parameters

    def clean_params(self, params):
        """Plain, validated parameters; raise ValidationError on bad ones.

        The test-only `_test_delay` (seconds slept between chunks) is kept only
        when settings.EXPORTS_TEST_HOOKS is on, so no user can slow a worker.
        """
        delay = params.pop("_test_delay", None)
        if isinstance(delay, list | tuple):  # from a query string
            delay = delay[0] if delay else None
        if delay is not None and getattr(settings, "EXPORTS_TEST_HOOKS", False):
            try:
                params["_test_delay"] = max(0.0, min(float(delay), 10.0))
            except (TypeError, ValueError) as exc:
                raise ValidationError(_("Tham số không hợp lệ.")) from exc
        return params

    # Access: re-checked by the job when it runs and by the download view

    def has_permission(self):
        user = self.user
        return bool(
            user is not None
            and user.is_active
            and (user.is_superuser or user.has_perm(self.permission))
        )

    def get_base_queryset(self):
        return FormSubmission.objects.all()

    def get_queryset(self):
        """The rows this user may read: always through forms_app.access."""
        return submissions_visible_to(self.user, self.get_base_queryset())

    # Description

    def count(self):
        """Rows the export will write, for the progress bar (an estimate is fine)."""
        return self.get_queryset().count()

    def get_title(self):
        return str(self.verbose_name)

    def get_file_name(self):
        today = timezone.localdate().strftime("%Y-%m-%d")
        stem = slugify(fold(self.get_title()))[:80] or "xuat-excel"
        return f"{stem}_{today}.xlsx"

    def get_classification(self):
        """The highest classification of the exported rows marks the whole file."""
        highest = self.get_queryset().order_by().aggregate(m=Max("classification"))
        return highest["m"] or Clearance.NORMAL

    def get_author(self):
        """The requester's unit (Board first), the workbook's "creator"."""
        if self.user is None:
            return str(settings.WAGTAIL_SITE_NAME)
        memberships = list(Membership.objects.for_user(self.user))
        memberships.sort(key=lambda m: m.unit.kind != "board")
        if memberships:
            return memberships[0].unit.name
        return self.user.get_full_name() or str(settings.WAGTAIL_SITE_NAME)

    def get_sheets(self):
        raise NotImplementedError

    # Helpers for subclasses

    def iterate(self, queryset):
        """Rows of `queryset` in chunks, so memory stays flat however many."""
        delay = self.params.get("_test_delay")
        for index, obj in enumerate(queryset.iterator(chunk_size=self.chunk_size)):
            if delay and index:
                time.sleep(delay)
            yield obj
