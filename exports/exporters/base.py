"""What every exporter is: a description of sheets whose rows are generated lazily.

After pretix's exporters: an exporter is built from the requester and plain
parameters (or from an ExportJob carrying both), reads its data through the
access policy for that user, and yields `Sheet`s; `exports.writer` turns them
into a workbook. Exporters never write files and never see a request.
"""

import copy
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from forms_app.access import submissions_visible_to
from forms_app.models import FormSubmission
from units.choices import Clearance
from units.models import Membership
from units.text import fold

from ..access import START_EXPORTS, may_export

# Excel's own limits.
MAX_SHEET_NAME = 31
MAX_ROWS = 1_048_576
# The most a test may slow an export down, in seconds between rows.
MAX_TEST_DELAY = 10.0


def error_messages(message):
    """`message` for every way a parameter field can refuse a value."""
    codes = ("required", "invalid", "invalid_choice", "invalid_list")
    return dict.fromkeys((*codes, "min_value", "max_value"), message)


class MultipleValueField(forms.Field):
    """Every value given under one name (a query string may repeat it), each
    cleaned by `item`; blank values, and those in `skip`, are left out."""

    widget = forms.MultipleHiddenInput

    def __init__(self, item=None, *, skip=("",), **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.item = item or forms.CharField()
        self.skip = skip

    def to_python(self, value):
        if value is None:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [
            self.item.clean(v) for v in values if str(v).strip() not in self.skip
        ]


def takes_many(field):
    return isinstance(field, MultipleValueField | forms.MultipleChoiceField)


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
    permission = START_EXPORTS
    # The parameters, declared once, as pretix's `export_form_fields`: name → a
    # Django form field. clean_params() cleans them all the same way.
    param_fields = {}
    # Rows fetched per database round trip (`.iterator(chunk_size=…)`).
    chunk_size = 2000

    def __init__(self, job=None, *, user=None, params=None):
        self.job = job
        self.user = job.requested_by if job is not None else user
        raw = job.params if job is not None else params
        self.params = self.clean_params(dict(raw or {}))

    # Parameters

    def get_param_fields(self):
        """Fresh copies of `param_fields` (override to compute a field)."""
        return copy.deepcopy(self.param_fields)

    def clean_params(self, params):
        """Plain, validated parameters from a job's JSON or a query string's
        lists; raise ValidationError on bad ones.

        A list gives a one-value field its first value, a multiple-value field
        (MultipleValueField, MultipleChoiceField) all of them; what cleans to
        nothing is left out. The test-only `_test_delay` (seconds slept between
        rows) is taken only when settings.EXPORTS_TEST_HOOKS is on, so no user
        can slow a worker.
        """
        fields = self.get_param_fields()
        if getattr(settings, "EXPORTS_TEST_HOOKS", False):
            fields["_test_delay"] = forms.FloatField(
                required=False,
                error_messages=error_messages(_("Tham số không hợp lệ.")),
            )
        cleaned = {}
        for name, param in fields.items():
            value = params.get(name)
            if isinstance(value, list | tuple) and not takes_many(param):
                value = value[0] if value else None
            value = param.clean(value)
            if value not in (None, "", []):
                cleaned[name] = value
        if "_test_delay" in cleaned:
            delay = cleaned["_test_delay"]
            cleaned["_test_delay"] = max(0.0, min(delay, MAX_TEST_DELAY))
        return self.check_params(cleaned)

    def check_params(self, params):
        """Rules beyond single fields (which period, which page); returns the
        parameters, completed if need be, or raises ValidationError."""
        return params

    # Access: re-checked by the job when it runs and by the download view

    def has_permission(self):
        return may_export(self.user, (self.permission,))

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
