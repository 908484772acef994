"""Conditional display: show a field or section only when an earlier answer fits.

Evaluated on the server for every submission (a hidden field is neither required
nor stored) and mirrored in the browser by static/forms_app/conditions.js.
"""

from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext_lazy as _

from units.text import fold


class Operator(models.TextChoices):
    EQUALS = "equals", _("bằng")
    ONE_OF = "one_of", _("là một trong")
    CONTAINS = "contains", _("có chứa")
    AT_LEAST = "at_least", _("ít nhất là")


def _is_empty(answer):
    return answer is None or answer == "" or answer == [] or answer == {}


def _number(value):
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def condition_met(condition, answers):
    """Whether `condition` ({field_key, operator, value}) holds for `answers`.

    An empty condition always holds; a condition on an unanswered (or hidden)
    field never does, so hiding cascades down a chain of conditions.
    """
    key = (condition or {}).get("field_key") or ""
    if not key:
        return True
    answer = answers.get(key)
    if _is_empty(answer):
        return False
    operator = condition.get("operator") or Operator.EQUALS
    expected = str(condition.get("value") or "").strip()
    if isinstance(answer, bool):
        answer = "yes" if answer else "no"

    if operator == Operator.EQUALS:
        if isinstance(answer, list):
            return answer == [expected]
        return fold(str(answer)) == fold(expected)
    if operator == Operator.ONE_OF:
        options = {fold(item) for item in expected.split(",") if item.strip()}
        if isinstance(answer, list):
            return bool(options & {fold(str(item)) for item in answer})
        return fold(str(answer)) in options
    if operator == Operator.CONTAINS:
        if isinstance(answer, list):
            return fold(expected) in {fold(str(item)) for item in answer}
        return fold(expected) in fold(str(answer))
    if operator == Operator.AT_LEAST:
        got, floor = _number(answer), _number(expected)
        if got is not None and floor is not None:
            return got >= floor
        # ISO dates and times compare as text.
        return str(answer) >= expected
    return False
