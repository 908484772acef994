"""Results of a public opinion survey (Art. 4.2, 7.1.4): per question, how many
chose what, Likert and rating means and spreads, and a cross-tab by locality.

Answers live as JSON by stable key, multiple choices as lists and Likert
matrices as objects, so the tally is one streamed pass over the answers rather
than a GROUP BY per question; labels are the questionnaire's current ones.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms_app.models import FormSubmission, SurveyPage
from forms_app.protected_answers import is_sealed
from forms_app.stream import CHOICE_TYPES, SCALE_TYPES
from units.models import Commune

from ..openpyxl_engine import column_letter
from . import register
from .base import Chart, Column, Exporter, Sheet, error_messages

LOCALITY_TYPES = ("dlxh_locality", "locality")
NO_LOCALITY = "__none__"
CHART_ROWS = 16


@dataclass
class Question:
    """One tallied item: a question, or one statement of a Likert matrix."""

    key: str
    label: str
    kind: str  # "choice" | "scale" | "number"
    choices: list = field(default_factory=list)  # [(key, label)]
    statement: str = ""  # the statement key of a Likert row
    counts: Counter = field(default_factory=Counter)
    answered: int = 0
    total: float = 0
    by_locality: dict = field(default_factory=lambda: defaultdict(Counter))
    sums_by_locality: dict = field(default_factory=lambda: defaultdict(float))
    answered_by_locality: Counter = field(default_factory=Counter)

    @property
    def mean(self):
        return round(self.total / self.answered, 2) if self.answered else None

    def add(self, value, locality):
        if value in (None, "", [], {}):
            return
        self.answered += 1
        self.answered_by_locality[locality] += 1
        if self.kind == "choice":
            for choice in value if isinstance(value, list) else [value]:
                self.counts[str(choice)] += 1
                self.by_locality[locality][str(choice)] += 1
            return
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.answered -= 1
            self.answered_by_locality[locality] -= 1
            return
        self.total += number
        self.sums_by_locality[locality] += number
        if self.kind == "scale":
            self.counts[str(int(number))] += 1


def questions_of(page):
    questions = []
    for item in page.input_items():
        value, kind = item.value, item.block_type
        label = str(value.get("label") or item.key)
        if kind in CHOICE_TYPES:
            choices = [
                (str(k), str(v))
                for k, v in (
                    item.block.get_choices(value, None)
                    if hasattr(item.block, "get_choices")
                    else []
                )
            ]
            if kind in LOCALITY_TYPES:
                choices = list(Commune.objects.values_list("code", "name"))
            questions.append(Question(item.key, label, "choice", choices))
        elif kind in SCALE_TYPES:
            scale = item.block.scale_choices(value)
            low, high = value.get("low_label") or "", value.get("high_label") or ""
            choices = [
                (k, f"{k} – {low}" if k == "1" and low else k) for k, _label in scale
            ]
            if high:
                choices[-1] = (scale[-1][0], f"{scale[-1][0]} – {high}")
            if kind == "likert_matrix":
                for statement in value["statements"]:
                    questions.append(
                        Question(
                            item.key,
                            f"{label} — {statement['label']}",
                            "scale",
                            choices,
                            statement=statement["key"],
                        )
                    )
            else:
                questions.append(Question(item.key, label, "scale", choices))
        elif kind == "number":
            questions.append(Question(item.key, label, "number"))
    return questions


def locality_key(page):
    """The answer that says where a respondent is: the standard block first."""
    keys = {item.block_type: item.key for item in page.input_items()}
    for kind in LOCALITY_TYPES:
        if kind in keys:
            return keys[kind]
    return None


@register
class SurveyResultsExporter(Exporter):
    kind = "survey_results"
    verbose_name = gettext_lazy("Kết quả khảo sát")

    param_fields = {
        "page": forms.IntegerField(
            error_messages=error_messages(gettext_lazy("Chưa chọn phiếu khảo sát."))
        )
    }

    def check_params(self, params):
        if not SurveyPage.objects.filter(pk=params["page"]).exists():
            raise ValidationError(_("Không tìm thấy phiếu khảo sát."))
        return params

    @property
    def page(self):
        if not hasattr(self, "_page"):
            self._page = SurveyPage.objects.get(pk=self.params["page"])
        return self._page

    def get_base_queryset(self):
        return FormSubmission.objects.filter(page_id=self.params["page"])

    def get_title(self):
        return _("Kết quả khảo sát “%(title)s”") % {"title": self.page.title}

    def get_file_name(self):
        return f"ket-qua-khao-sat_{self.page.slug}.xlsx"

    def count(self):
        return self.get_queryset().count()

    # Tally

    def tally(self):
        questions = questions_of(self.page)
        where = locality_key(self.page)
        respondents = Counter()
        rows = (
            self.get_queryset().order_by().values_list("answers", "unit__commune__code")
        )
        for answers, unit_commune in self.iterate(rows):
            answers = answers or {}
            locality = answers.get(where) if where else None
            locality = str(locality or unit_commune or NO_LOCALITY)
            respondents[locality] += 1
            for question in questions:
                value = answers.get(question.key)
                if is_sealed(value):
                    continue  # an identifying answer is not tallied
                if question.statement:
                    value = (value or {}).get(question.statement)
                question.add(value, locality)
        return questions, respondents

    # Sheets

    def get_sheets(self):
        questions, respondents = self.tally()
        total = sum(respondents.values())
        heading = _("%(title)s — %(n)s phiếu trả lời") % {
            "title": self.page.title,
            "n": total,
        }
        yield self.frequency_sheet(questions, heading)
        yield self.means_sheet(questions, heading)
        yield self.locality_sheet(questions, respondents, heading)

    def frequency_sheet(self, questions, heading):
        rows, charts = [], []
        for question in questions:
            if question.kind == "number":
                continue
            first = len(rows)
            known = {key for key, _label in question.choices}
            choices = list(question.choices) + [
                (key, key) for key in sorted(set(question.counts) - known)
            ]
            if len(known) > 30:
                # A commune list: only the communes that answered.
                choices = [c for c in choices if question.counts.get(c[0])]
            for key, label in choices:
                count = question.counts.get(key, 0)
                share = _percent(count, question.answered)
                rows.append([question.label, label, count, share])
            if len(rows) > first:
                charts.append(
                    Chart(
                        type="bar",
                        title=question.label[:120],
                        categories=2,
                        values=(3,),
                        rows=(first, len(rows)),
                        anchor=f"G{3 + len(charts) * CHART_ROWS}",
                        width=16,
                        height=7.5,
                    )
                )
        return Sheet(
            name=_("Tần suất"),
            title=heading,
            columns=[
                Column(_("Câu hỏi"), width=50, key="question"),
                Column(_("Lựa chọn"), width=36, key="choice"),
                Column(_("Số lượt chọn"), width=12, key="count"),
                Column(_("Tỷ lệ (%)"), width=10, key="percent"),
            ],
            rows=lambda: rows,
            charts=charts,
        )

    def means_sheet(self, questions, heading):
        scaled = [q for q in questions if q.kind in ("scale", "number")]
        width = max((len(q.choices) for q in scaled), default=0)
        rows = []
        for q in scaled:
            spread = [q.counts.get(key, 0) for key, _label in q.choices]
            spread += [None] * (width - len(spread))
            scale = len(q.choices) or None
            rows.append([q.label, q.answered, q.mean, scale, *spread])
        charts = []
        if rows:
            charts.append(
                Chart(
                    type="bar",
                    title=_("Điểm trung bình"),
                    categories=1,
                    values=(3,),
                    anchor=f"{column_letter(4 + width + 2)}3",
                    width=18,
                    height=max(7.5, 1.0 * len(rows)),
                )
            )
        return Sheet(
            name=_("Điểm trung bình"),
            title=heading,
            columns=[
                Column(_("Câu hỏi, nhận định"), width=60, key="question"),
                Column(_("Số người trả lời"), width=12, key="answered"),
                Column(_("Điểm trung bình"), width=12, key="mean"),
                Column(_("Thang điểm"), width=10, key="scale"),
                *[
                    Column(_("Số chọn mức %(n)s") % {"n": n}, width=10, key=f"n{n}")
                    for n in range(1, width + 1)
                ],
            ],
            rows=lambda: rows,
            charts=charts,
        )

    def locality_sheet(self, questions, respondents, heading):
        """Rows: localities; columns: each choice of each question, each mean."""
        names = dict(Commune.objects.values_list("code", "name"))
        columns = [
            Column(_("Địa bàn"), width=28, key="locality"),
            Column(_("Số phiếu"), width=10, key="respondents"),
        ]
        cells = []  # one function per column after the first two
        for q in questions:
            if q.kind == "choice" and len(q.choices) <= 30:
                for key, label in q.choices:
                    columns.append(Column(f"{q.label}: {label}", width=14))
                    cells.append(lambda loc, q=q, key=key: q.by_locality[loc][key])
            elif q.kind in ("scale", "number"):
                columns.append(
                    Column(_("%(q)s: điểm trung bình") % {"q": q.label}, width=14)
                )
                cells.append(lambda loc, q=q: _mean_at(q, loc))
        ordered = sorted(
            respondents,
            key=lambda loc: (loc == NO_LOCALITY, names.get(loc, loc)),
        )

        def rows():
            for loc in ordered:
                name = _("(Chưa xác định)") if loc == NO_LOCALITY else names.get(loc)
                yield [name or loc, respondents[loc], *[cell(loc) for cell in cells]]

        return Sheet(
            name=_("Theo địa bàn"),
            title=heading,
            columns=columns,
            rows=rows,
        )


def _mean_at(question, locality):
    answered = question.answered_by_locality.get(locality, 0)
    if not answered:
        return None
    return round(question.sums_by_locality[locality] / answered, 2)


def _percent(count, answered):
    # Of those who answered the question: multiple choices may add up past 100.
    return round(100 * count / answered, 1) if answered else 0
