"""Turning a step form into what its template renders, row by row."""

import json

from django import template

from forms_app.classification import marking

register = template.Library()


def condition_json(condition):
    """The condition as conditions.js reads it, or "" when there is none."""
    condition = dict(condition or {})
    if not condition.get("field_key"):
        return ""
    return json.dumps(
        {
            "field_key": condition["field_key"],
            "operator": condition.get("operator") or "equals",
            "value": str(condition.get("value") or ""),
        },
        ensure_ascii=False,
    )


@register.simple_tag
def form_rows(form):
    """Headings, instructions and questions of a step, in the page's order."""
    rows = []
    stored_files = getattr(form, "stored_files", {})
    for item, fields in form.rows():
        row = {
            "item": item,
            "key": item.key or "",
            "type": item.block_type,
            "condition": condition_json(item.value.get("condition")),
            "section_condition": condition_json(item.section_condition),
        }
        if item.block_type == "heading":
            row.update(kind="heading", title=item.value["title"])
        elif item.block_type == "instructions":
            row.update(kind="instructions", text=item.value["text"])
        elif not item.is_input:
            continue
        elif item.block_type == "likert_matrix":
            value = item.value
            row.update(
                kind="matrix",
                fields=fields,
                label=value["label"],
                help_text=value.get("help_text") or "",
                required=bool(value.get("required")),
                scale=[choice for choice, _label in fields[0].field.choices],
                low_label=value.get("low_label") or "",
                high_label=value.get("high_label") or "",
                errors=any(field.errors for field in fields),
            )
        else:
            field = fields[0]
            row.update(
                kind="field",
                field=field,
                unit=item.value.get("unit") or "",
                stored_file=stored_files.get(field.name),
            )
        rows.append(row)
    return rows


def field_anchor(field):
    """Where an error summary link takes the keyboard: the input itself."""
    if field.field.widget.use_fieldset:
        return f"{field.auto_id}_0"
    return field.auto_id


@register.simple_tag
def error_summary(*forms):
    """[(anchor, label, message)] of every error of the given forms."""
    entries = []
    for form in forms:
        if form is None or not form.is_bound:
            continue
        for message in form.non_field_errors():
            entries.append(("", "", message))
        for name, errors in form.errors.items():
            if name == "__all__" or name not in form.fields:
                continue
            field = form[name]
            for message in errors:
                entries.append((field_anchor(field), field.label, message))
    return entries


@register.inclusion_tag("forms_app/includes/marking.html")
def classification_marking(level):
    """The classification mark (Art. 6.2.2) a classified screen and its
    printout carry, above and below the content; nothing for Thường."""
    return {"marking": marking(level)}
