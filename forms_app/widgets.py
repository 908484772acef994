from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


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

    Django renders every `<option>` through a template include, about 0.1 ms
    each: the inbox's unit filter (753 units) cost 100 ms per request, and the
    report form's two commune lists most of its rendering. Same markup,
    selection, option groups and escaping as `forms.Select`; only the
    rendering differs, so the field's values and validation are untouched.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = format_html_join(
            "", "{}", ((self._group(*group),) for group in widget["optgroups"])
        )
        return format_html(
            "<select{}>{}\n</select>",
            flatatt({"name": widget["name"], **widget["attrs"]}),
            groups,
        )

    def _group(self, group_name, options, _index):
        html = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            (
                (str(option["value"]), flatatt(option["attrs"]), option["label"])
                for option in options
            ),
        )
        if group_name:
            return format_html(
                '\n  <optgroup label="{}">{}\n  </optgroup>', group_name, html
            )
        return html
