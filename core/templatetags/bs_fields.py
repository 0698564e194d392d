"""`{% bs_field field %}`: one form field with Bootstrap 5's markup, built in Python.

Label (with crispy's asterisk when required), control, error and help text, and the ids
Django's `aria-describedby` points at (`<id>_error`, `<id>_helptext`). For the forms shown on
every request of a busy page: filter bars above lists and the small forms on the incident
page. crispy's field template cost about 0.7 ms per field (the incident list's filter bar
has seven); full forms people fill in keep crispy."""

import hashlib

from django import forms, template
from django.conf import settings
from django.core.cache import cache
from django.utils.functional import Promise
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


def _plain(value):
    """Choices (possibly grouped, with lazy labels or model-choice values) as plain strings."""
    if value is None or isinstance(value, str | Promise):
        return value if value is None else str(value)
    if hasattr(value, "__iter__"):
        return tuple(_plain(v) for v in value)
    return str(value)


def _fingerprint(form: forms.BaseForm, columns: str) -> str:
    """Everything a filter bar's markup is made of: each field's label, help text, widget and
    its attributes, required/disabled, choices, and the value it shows (the submitted data,
    or the initial value of an unbound form)."""
    parts = [
        type(form).__module__,
        type(form).__qualname__,
        columns,
        form.is_bound,
        form.prefix,
        form.auto_id,
    ]
    for name, field in form.fields.items():
        bound = form[name]
        parts.append(
            (
                name,
                str(field.label),
                str(field.help_text),
                field.required,
                field.disabled,
                type(field.widget).__qualname__,
                sorted((k, str(v)) for k, v in field.widget.attrs.items()),
                _plain(getattr(field, "choices", None)),
                repr(bound.data if form.is_bound else bound.initial),
            )
        )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@register.simple_tag
def filter_bar(form: forms.BaseForm, columns: str) -> str:
    """Every field of a filter bar (the GET form above a list), each in `<div class="columns">`.

    The markup is a pure function of what `_fingerprint` collects, so it is kept in the cache
    under that digest (for DATA_CACHE_SECONDS; 0 turns it off): a list renders its filter
    bar once per distinct filter, not on every request (about 3 ms of the incident list).
    For filter forms only: their errors come from their fields, never from the database."""
    seconds = getattr(settings, "DATA_CACHE_SECONDS", 3600)
    key = f"filter-bar:{_fingerprint(form, columns)}" if seconds else None
    html = cache.get(key) if key else None
    if html is None:
        html = format_html_join(
            "", '<div class="{}">{}</div>', ((columns, bs_field(form[name])) for name in form.fields)
        )
        if key:
            cache.set(key, str(html), seconds)
    return mark_safe(html)  # noqa: S308 - built above from escaped parts
