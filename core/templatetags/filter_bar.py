"""`{% filter_field field %}`: one field of a filter bar (the GET form above a list).

Label, control, error and help text with Bootstrap 5's classes, and the ids Django's
`aria-describedby` points at (`<id>_error`, `<id>_helptext`). Built in Python: lists render
their filter bar on every request, and crispy's field template cost about 0.7 ms per field
(the incident list has seven). Forms people fill in keep crispy."""

from django import forms, template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def filter_field(field: forms.BoundField) -> str:
    if field.is_hidden:
        return str(field)
    widget = field.field.widget
    css = ["form-select" if isinstance(widget, forms.Select) else "form-control"]
    if field.errors:
        css.append("is-invalid")
    existing = widget.attrs.get("class", "")
    control = field.as_widget(attrs={"class": " ".join(filter(None, [existing, *css]))})
    label = field.label_tag(label_suffix="", attrs={"class": "form-label"}) if field.label else ""
    errors = (
        format_html(
            '<div class="invalid-feedback d-block" id="{}_error">{}</div>',
            field.auto_id,
            format_html_join(" ", "{}", ((e,) for e in field.errors)),
        )
        if field.errors
        else ""
    )
    help_text = (
        format_html('<div class="form-text" id="{}_helptext">{}</div>', field.auto_id, field.help_text)
        if field.help_text
        else ""
    )
    return format_html('<div class="mb-3">{}{}{}{}</div>', label, control, errors, help_text)
