"""Turning a form page's blocks into wizard steps and Django forms.

Conditions are enforced here, on the server: fields are cleaned in page order,
and a field whose condition (or whose section's condition) does not hold for the
answers so far is skipped: never required, never stored, whatever was posted.
"""

import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from units.models import Commune

from .conditions import condition_met


@dataclass
class FormItem:
    """One block of the page, with the section condition it falls under."""

    block: object
    value: object
    block_id: str
    section_condition: dict | None = None

    @property
    def is_input(self):
        return self.block.is_input

    @property
    def key(self):
        return self.value.get("key")

    @property
    def block_type(self):
        return self.block.name

    def is_visible(self, answers):
        return condition_met(self.section_condition, answers) and condition_met(
            self.value.get("condition"), answers
        )


@dataclass
class Step:
    index: int
    title: str
    items: list = field(default_factory=list)

    @property
    def input_items(self):
        return [item for item in self.items if item.is_input]


def build_steps(stream_value, first_title=""):
    """Split the page's blocks at page breaks; sections carry their conditions."""
    steps = [Step(index=0, title=first_title)]
    section_condition = None
    for child in stream_value:
        if child.block.name == "page_break":
            steps.append(Step(index=len(steps), title=child.value.get("title") or ""))
            section_condition = None
            continue
        if child.block.name == "heading":
            section_condition = child.value.get("condition") or None
        steps[-1].items.append(
            FormItem(child.block, child.value, child.id, section_condition)
        )
    return [step for step in steps if step.items] or steps[:1]


def input_items(stream_value):
    return [item for step in build_steps(stream_value) for item in step.input_items]


class FormContext:
    """Choices that come from the database, loaded once per request."""

    @cached_property
    def locality_choices(self):
        return list(
            Commune.objects.filter(
                province_code=settings.DLXH_PROVINCE_CODE
            ).values_list("code", "name")
        )

    @cached_property
    def sector_choices(self):
        # forms_app.models imports this module (the pages' forms): a real cycle.
        from .models import Sector  # noqa: PLC0415

        return list(Sector.objects.filter(is_active=True).values_list("key", "name"))


def _nfc(data):
    """A copy of the posted data with every text in Unicode NFC.

    Browsers and phone keyboards may send Vietnamese decomposed ("a" + U+0301);
    stored answers, searches and exports all expect one form.
    """
    if data is None:
        return None
    copy = data.copy()
    for key in list(copy.keys()):
        values = copy.getlist(key) if hasattr(copy, "getlist") else [copy[key]]
        normalized = [
            unicodedata.normalize("NFC", v) if isinstance(v, str) else v for v in values
        ]
        if hasattr(copy, "setlist"):
            copy.setlist(key, normalized)
        else:
            copy[key] = normalized[0]
    return copy


class StepForm(forms.Form):
    """The questions of one step. `prior_answers` are the earlier steps' answers."""

    required_css_class = "required"
    error_css_class = "has-error"

    def __init__(self, *args, step, context=None, prior_answers=None, **kwargs):
        if args:
            args = (_nfc(args[0]), *args[1:])
        elif "data" in kwargs:
            kwargs["data"] = _nfc(kwargs["data"])
        super().__init__(*args, **kwargs)
        self.step = step
        self.context = context or FormContext()
        self.prior_answers = dict(prior_answers or {})
        self.hidden_keys = set()
        self.item_fields = {}
        for item in step.input_items:
            fields = item.block.get_form_fields(item.value, self.context)
            for name, form_field in fields.items():
                form_field.widget.attrs.setdefault("data-key", item.key)
                self.fields[name] = form_field
            self.item_fields[item.key] = list(fields)

    def _clean_fields(self):
        answers = dict(self.prior_answers)
        for item in self.step.input_items:
            if not item.is_visible(answers):
                self.hidden_keys.add(item.key)
                continue
            for name in self.item_fields[item.key]:
                bound = self[name]
                try:
                    self.cleaned_data[name] = bound.field._clean_bound_field(bound)
                except ValidationError as error:
                    self.add_error(name, error)
            answer = item.block.get_answer(item.value, self.cleaned_data)
            if answer is not None:
                answers[item.key] = answer

    def get_answers(self):
        """{key: JSON answer} of the visible, answered questions of this step."""
        answers = {}
        for item in self.step.input_items:
            if item.key in self.hidden_keys:
                continue
            answer = item.block.get_answer(item.value, self.cleaned_data)
            if answer is not None:
                answers[item.key] = answer
        return answers

    def rows(self):
        """What the template renders: layout items and bound fields, in order."""
        for item in self.step.items:
            if item.is_input:
                yield item, [self[name] for name in self.item_fields[item.key]]
            else:
                yield item, []
