"""Submissions of report templates and questionnaires: a sheet per form, a row
per submission, a column per field (by stable key, under its current label).

Fields removed from the form stay as columns, under the last label they had,
as long as an exported submission answered a revision that had them.
"""

import datetime as dt
import logging
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page, Revision, TaskState

from forms_app import blocks as field_blocks
from forms_app import choice_blocks
from forms_app.models import FormSubmission
from forms_app.models.review import HandlingStatus, ReviewStatus, Verification
from forms_app.protected_answers import masked
from forms_app.submitting import reference
from units.choices import Clearance, UnitKind
from units.models import Commune

from . import register
from .base import Column, Exporter, Link, MultipleValueField, Sheet, error_messages

logger = logging.getLogger(__name__)

# Inbox filters (workflows.wagtail_hooks.SubmissionViewSet.list_filter) and the
# column each one narrows; values are lists, as a query string may repeat them.
FILTERS = {
    "period": "period",
    "unit": "unit_id",
    "unit__commune": "unit__commune_id",
    "review_status": "review_status",
    "category": "category",
    "sector": "sector",
    "locality": "locality_id",
    "source_channel": "source_channel",
    "impact": "impact",
    "trend": "trend",
    "sensitivity": "sensitivity",
    "verification": "verification",
    "handling_status": "handling_status",
    "escalated": "escalated",
    "classification": "classification",
}
INTEGER_FILTERS = {"unit", "unit__commune", "classification"}
BOOLEAN_VALUES = {"true": True, "1": True, "false": False, "0": False}
BAD_FILTER = error_messages(gettext_lazy("Điều kiện lọc không hợp lệ."))
SEP = "; "
# What a row reads, as `.values()`: no model instances (see sheet()).
ROW_FIELDS = [
    "pk",
    "answers",
    "period",
    "submitted_at",
    "classification",
    "review_status",
    "reviewed_at",
    "escalated",
    "verification",
    "verified_at",
    "handling_status",
    "unit__name",
    "unit__kind",
    "unit__commune__name",
    "submitted_by__first_name",
    "submitted_by__last_name",
    "submitted_by__username",
]


class FlagField(forms.Field):
    """A yes/no filter as the inbox sends it: true, 1, false or 0."""

    default_error_messages = BAD_FILTER

    def to_python(self, value):
        try:
            return BOOLEAN_VALUES[str(value).strip().lower()]
        except KeyError as exc:
            raise ValidationError(self.error_messages["invalid"]) from exc


def filter_field(name):
    """Every value of one filter, as the inbox's query string repeats it; its
    "unknown" (a yes/no filter left unset) narrows nothing."""
    if name in INTEGER_FILTERS or name == "page":
        item = forms.IntegerField(error_messages=BAD_FILTER)
    elif name == "escalated":
        item = FlagField()
    else:
        item = forms.CharField()
    return MultipleValueField(item, skip=("", "unknown"))


def _labels(choices):
    return {str(key): str(label) for key, label in choices}


@register
class SubmissionsExporter(Exporter):
    kind = "submissions"
    verbose_name = gettext_lazy("Báo cáo đã gửi")

    # The forms exported, then the inbox's filters.
    param_fields = {name: filter_field(name) for name in ["page", *FILTERS]}

    def check_params(self, params):
        if "page" in params:
            params["page"] = sorted(set(params["page"]))
        return params

    # Rows

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if self.params.get("page"):
            queryset = queryset.filter(page_id__in=self.params["page"])
        for name, lookup in FILTERS.items():
            if self.params.get(name):
                queryset = queryset.filter(**{f"{lookup}__in": self.params[name]})
        return queryset

    def get_queryset(self):
        # By id, as aggregates.visible does: the policy's ORs (and the unit
        # join its sharing rules add) stay in a subquery over the chosen forms'
        # rows, out of the sheet's own query and its annotations.
        visible = super().get_queryset().order_by().values("pk")
        return self.get_base_queryset().filter(pk__in=visible)

    def get_pages(self):
        ids = self.get_queryset().order_by().values_list("page_id", flat=True)
        pages = Page.objects.filter(pk__in=ids.distinct()).specific()
        return sorted(pages, key=lambda page: page.title)

    def get_title(self):
        pages = list(Page.objects.filter(pk__in=self.params.get("page") or []))
        if len(pages) == 1:
            return _("Báo cáo đã gửi — %(form)s") % {"form": pages[0].title}
        return str(self.verbose_name)

    def get_sheets(self):
        for page in self.get_pages():
            yield SubmissionSheetBuilder(self, page).sheet()


class SubmissionSheetBuilder:
    """The columns of one form, and its rows as a generator."""

    def __init__(self, exporter, page):
        self.exporter = exporter
        self.page = page
        self.queryset = exporter.get_queryset().filter(page_id=page.pk)
        self.base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")

    def sheet(self):
        meta_before, meta_after = self.meta_columns()
        fields = self.field_columns()
        columns = [c for c, _get in meta_before + fields + meta_after]
        getters = [g for _c, g in meta_before + fields + meta_after]
        # Plain dicts of the columns used: building full model instances (with
        # their workflow, lock and revision fields) cost more than the rest.
        queryset = (
            self.queryset.annotate(reviewed_at=self.reviewed_at())
            .order_by("submitted_at", "pk")
            .values(*ROW_FIELDS)
        )

        def rows():
            for submission in self.exporter.iterate(queryset):
                # Identifying answers leave only as the source's pseudonym.
                answers = masked(submission["answers"], submission["pk"])
                yield [get(submission, answers) for get in getters]

        return Sheet(name=self.page.title, columns=columns, rows=rows)

    @staticmethod
    def reviewed_at():
        """When a reviewer last decided on it (a task of its workflow finished)."""
        content_type = ContentType.objects.get_for_model(FormSubmission)
        decided = TaskState.objects.filter(
            workflow_state__base_content_type=content_type,
            workflow_state__object_id=Cast(OuterRef("pk"), output_field=CharField()),
            finished_at__isnull=False,
        ).order_by("-finished_at")
        return Subquery(decided.values("finished_at")[:1])

    # Columns around the answers

    def meta_columns(self):
        review = _labels(ReviewStatus.choices)
        verification = _labels(Verification.choices)
        handling = _labels(HandlingStatus.choices)
        clearance = _labels(Clearance.choices)
        anonymous = _("Ẩn danh")
        yes, no = _("Có"), _("Không")

        def sender(s, a):
            # Art. 7.1.5: a collaborator's identity never leaves the system.
            if not s["submitted_by__username"]:
                return None
            if s["unit__kind"] == UnitKind.COLLABORATORS:
                return None
            name = f"{s['submitted_by__last_name']} {s['submitted_by__first_name']}"
            return name.strip() or s["submitted_by__username"]

        before = [
            (
                Column(_("Mã báo cáo"), 14, key="reference"),
                lambda s, a: reference(SimpleNamespace(pk=s["pk"])),
            ),
            (
                Column(_("Đơn vị"), 34, key="unit"),
                lambda s, a: s["unit__name"] or anonymous,
            ),
            (
                Column(_("Xã, phường"), 20, key="commune"),
                lambda s, a: s["unit__commune__name"],
            ),
            (Column(_("Kỳ báo cáo"), 12, key="period"), lambda s, a: s["period"]),
            (Column(_("Người gửi"), 22, key="submitted_by"), sender),
            (
                Column(_("Thời điểm gửi"), 17, key="submitted_at"),
                lambda s, a: s["submitted_at"],
            ),
        ]
        after = [
            (
                Column(_("Trạng thái thẩm định"), 22, key="review_status"),
                lambda s, a: review.get(s["review_status"], s["review_status"]),
            ),
            (
                Column(_("Thời điểm thẩm định"), 17, key="reviewed_at"),
                lambda s, a: s["reviewed_at"],
            ),
            (
                Column(_("Đã báo cáo lên Ban"), 10, key="escalated"),
                lambda s, a: yes if s["escalated"] else no,
            ),
            (
                Column(_("Kiểm chứng"), 20, key="verification"),
                lambda s, a: verification.get(s["verification"], s["verification"]),
            ),
            (
                Column(_("Thời điểm kiểm chứng"), 17, key="verified_at"),
                lambda s, a: s["verified_at"],
            ),
            (
                Column(_("Tình trạng xử lý"), 16, key="handling_status"),
                lambda s, a: handling.get(s["handling_status"], s["handling_status"]),
            ),
            (
                Column(_("Độ mật"), 10, key="classification"),
                lambda s, a: clearance.get(str(s["classification"])),
            ),
        ]
        return before, after

    # Columns of the answers

    def field_columns(self):
        ordered, current, history = self.field_items()
        columns = []
        for key, item in ordered.items():
            versions = [items[key] for items in reversed(history) if key in items]
            if key in current:
                versions.append(item)
            columns.extend(self.columns_for(item, versions or [item]))
        return columns

    def field_items(self):
        """{key: item giving its label}, current fields first; the current keys;
        and the fields of each revision an exported submission answered, newest
        first."""
        current = {item.key: item for item in self.page.input_items()}
        revision_ids = (
            self.queryset.order_by()
            .values_list("page_revision_id", flat=True)
            .distinct()
        )
        history = []
        for revision in Revision.objects.filter(pk__in=revision_ids).order_by(
            "-created_at"
        ):
            try:
                items = revision.as_object().input_items()
            except Exception:  # one unreadable old revision must not stop the file
                logger.exception("Revision %s of page %s", revision.pk, self.page.pk)
                continue
            history.append({item.key: item for item in items})
        ordered = dict(current)
        for items in history:
            for key, item in items.items():
                ordered.setdefault(key, item)
        return ordered, set(current), history

    def columns_for(self, item, versions):
        """(Column, getter) pairs for one field; `versions` oldest to newest, so
        later labels of choices and statements win."""
        block, value, key = item.block, item.value, item.key
        label = value.get("label") or value.get("title") or key

        def column(width, header=label, suffix="", number_format=None):
            return Column(
                str(header), width, number_format=number_format, key=key + suffix
            )

        if isinstance(block, choice_blocks.LikertMatrixBlock):
            statements = {}
            for version in versions:
                for s in version.value.get("statements") or []:
                    statements[s["key"]] = s["label"]
            current = [s["key"] for s in value.get("statements") or []]
            order = current + [k for k in statements if k not in current]
            return [
                (
                    column(14, f"{label}: {statements[k]}", f"__{k}"),
                    self._statement_getter(key, k),
                )
                for k in order
            ]
        if isinstance(block, field_blocks.LocalityBlock):
            names = dict(Commune.objects.values_list("code", "name"))
            return [(column(20), self._choice_getter(key, names))]
        if hasattr(block, "get_choices") and not isinstance(
            block, choice_blocks.RatingBlock
        ):
            labels = {}
            for version in versions:
                try:
                    labels.update(
                        _labels(version.block.get_choices(version.value, None))
                    )
                except Exception:
                    logger.exception("Choices of %s", key)
            return [(column(24), self._choice_getter(key, labels))]
        if isinstance(block, field_blocks.FileBlock):
            return [(column(24), self._file_getter(key))]
        if isinstance(block, field_blocks.NumberBlock | choice_blocks.RatingBlock):
            return [(column(12), self._number_getter(key))]
        if isinstance(block, field_blocks.DateTimeBlock):
            return [(column(17), self._datetime_getter(key))]
        if isinstance(block, field_blocks.DateBlock):
            return [(column(12), self._date_getter(key))]
        wide = isinstance(block, field_blocks.LongTextBlock) or key in (
            "dlxh_summary",
            "dlxh_recommendations",
        )
        return [(column(50 if wide else 28), self._text_getter(key))]

    # Getters: (submission, answers) → a cell value

    @staticmethod
    def _text_getter(key):
        def get(s, answers):
            answer = answers.get(key)
            if isinstance(answer, list):
                return SEP.join(str(v) for v in answer)
            if isinstance(answer, dict):
                return SEP.join(f"{k}: {v}" for k, v in answer.items())
            return answer

        return get

    @staticmethod
    def _choice_getter(key, labels):
        def get(s, answers):
            answer = answers.get(key)
            if answer is None or answer == "":
                return None
            if isinstance(answer, list):
                return SEP.join(labels.get(str(v), str(v)) for v in answer)
            return labels.get(str(answer), str(answer))

        return get

    @staticmethod
    def _statement_getter(key, statement):
        def get(s, answers):
            scores = answers.get(key)
            return scores.get(statement) if isinstance(scores, dict) else None

        return get

    @staticmethod
    def _number_getter(key):
        def get(s, answers):
            answer = answers.get(key)
            if isinstance(answer, str):
                try:
                    return Decimal(answer)
                except InvalidOperation:
                    return answer
            return answer

        return get

    @staticmethod
    def _date_getter(key):
        def get(s, answers):
            answer = answers.get(key)
            try:
                return dt.date.fromisoformat(answer) if answer else None
            except (TypeError, ValueError):
                return answer

        return get

    @staticmethod
    def _datetime_getter(key):
        def get(s, answers):
            answer = answers.get(key)
            try:
                return dt.datetime.fromisoformat(answer) if answer else None
            except (TypeError, ValueError):
                return answer

        return get

    def _file_getter(self, key):
        base = self.base_url

        def get(s, answers):
            answer = answers.get(key)
            if not isinstance(answer, dict):
                return None
            url = reverse("exports:attachment", args=[s["pk"], key])
            return Link(f"{base}{url}", answer.get("name") or key)

        return get
