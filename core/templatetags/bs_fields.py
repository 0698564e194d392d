"""`{% bs_field field %}`: one form field with Bootstrap 5's markup, built in Python.

Label (with crispy's asterisk when required), control, error and help text, and the ids
Django's `aria-describedby` points at (`<id>_error`, `<id>_helptext`). For the forms shown on
every request of a busy page: filter bars above lists and the small forms on the incident
page. crispy's field template cost about 0.7 ms per field (the incident list's filter bar
has seven); full forms people fill in keep crispy."""

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def bs_field(field: forms.BoundField) -> str:
    if field.is_hidden:
        return str(field)
    widget = field.field.widget
    css = ["form-select" if isinstance(widget, forms.Select) else "form-control"]
    if field.errors:
        css.append("is-invalid")
    existing = widget.attrs.get("class", "")
    control = field.as_widget(attrs={"class": " ".join(filter(None, [existing, *css]))})
    label = ""
    if field.label:
        required = mark_safe('<span class="asteriskField">*</span>') if field.field.required else ""
        label = format_html(
            '<label class="form-label{}" for="{}">{}{}</label>',
            " requiredField" if field.field.required else "",
            field.id_for_label,
            field.label,
            required,
        )
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
