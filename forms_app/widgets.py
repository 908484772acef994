import html

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


class LikertRadioSelect(forms.RadioSelect):
    """Radio buttons on one row with the scale's end labels beside them."""

    template_name = "forms_app/widgets/likert.html"

    def __init__(self, *args, low_label="", high_label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.low_label = low_label
        self.high_label = high_label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["low_label"] = self.low_label
        context["widget"]["high_label"] = self.high_label
        return context


class LongSelect(forms.Select):
    """A `<select>` whose options are built in Python, for long lists.

    Django renders every `<option>` through a template include, about 0.05 ms
    each: the inbox's unit filter (753 units) cost 30–100 ms per request, and
    the report form's commune lists most of a step's rendering. Same markup,
    selection, option groups and escaping as `forms.Select`; only the
    rendering differs, so the field's values and validation are untouched.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = ["<select", flatatt({"name": widget["name"], **widget["attrs"]}), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts += ['\n  <optgroup label="', _escape(group_name), '">']
            for option in options:
                parts += [
                    '\n  <option value="',
                    _escape(option["value"]),
                    '"',
                    _option_attrs(option["attrs"]),
                    ">",
                    _escape(option["label"]),
                    "</option>",
                ]
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))


def _escape(text):
    # conditional_escape without the lazy-string check it makes on every call:
    # with 753 options that check alone cost more than the escaping.
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


def _option_attrs(attrs):
    if not attrs:
        return ""
    if attrs == {"selected": True}:
        return " selected"
    return flatatt(attrs)
