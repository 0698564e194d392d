"""The error summary every page shows when a form on it has errors (templates/base.html).

The page's bound forms and formsets are found in the template context, so no view or template
has to remember to pass them on: each error becomes an item, a link to its field where it has
one ("Label: error" pointing at `#id_<field>`), plain text for errors of the whole form or of a
formset, and rows of a formset are named ("Person 2, grade: ...")."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms, template
from django.forms.boundfield import BoundField
from django.forms.formsets import BaseFormSet

register = template.Library()


@dataclass(frozen=True)
class ErrorItem:
    text: str
    href: str = ""  # "#id_field"; empty for an error that belongs to no one field


def field_anchor(field: BoundField) -> str:
    """Where a link to the field lands: its control, or its first choice for radio buttons and
    checkboxes (whose group has no control of its own to label)."""
    target = field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")
    return f"#{target}" if target else ""


def form_items(form: forms.BaseForm, prefix: str = "") -> Iterator[ErrorItem]:
    lead = f"{prefix}: " if prefix else ""
    for error in form.non_field_errors():
        yield ErrorItem(f"{lead}{error}")
    for field in form:
        label = str(field.label or field.name)
        if prefix:
            label = f"{prefix}, {label[:1].lower()}{label[1:]}"
        for error in field.errors:
            if field.is_hidden:
                yield ErrorItem(f"{lead}{error}")
            else:
                yield ErrorItem(f"{label}: {error}", field_anchor(field))


def formset_items(formset: BaseFormSet) -> Iterator[ErrorItem]:
    item_name = getattr(formset, "item_name", "Row")
    for number, form in enumerate(formset.forms, start=1):
        yield from form_items(form, getattr(form, "summary_label", "") or f"{item_name} {number}")
    for error in formset.non_form_errors():
        yield ErrorItem(str(error))


def _candidates(context: template.Context) -> Iterator[Any]:
    # type(), not isinstance(): isinstance() would evaluate lazy values such as csrf_token (and
    # set the CSRF cookie on pages that have no form).
    values: list[Any] = list(context.flatten().values())
    for value in values:
        yield value
        if issubclass(type(value), django_filters.FilterSet):  # a list's filter bar
            yield value.form
        elif type(value) is dict:  # e.g. the two-factor wizard's {"form": ..., "steps": ...}
            yield from value.values()


def error_items(context: template.Context) -> list[ErrorItem]:
    """Every error of the bound forms and formsets in the context, in the order they came."""
    items: list[ErrorItem] = []
    seen: set[int] = set()
    for value in _candidates(context):
        if id(value) in seen:
            continue
        seen.add(id(value))
        kind = type(value)
        if issubclass(kind, BaseFormSet) and value.is_bound and value.total_error_count():
            items.extend(formset_items(value))
        elif issubclass(kind, forms.BaseForm) and value.is_bound and value.errors:
            items.extend(form_items(value))
    return items


@register.simple_tag(takes_context=True)
def page_errors(context: template.Context) -> list[ErrorItem]:
    return error_items(context)
