"""Widget parts for templates, written by core.forms (where FormRenderer draws Django's common
widgets in Python): as template loops they were most of a list page's or a long form's time."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString, mark_safe

from core import forms

register = template.Library()


@register.filter
def choice_inputs(field: BoundField) -> SafeString:
    """Radio buttons or checkboxes, one form-check each (templates/forms/field.html)."""
    return mark_safe(forms.choice_inputs(field))  # noqa: S308 - escaped by core.forms


@register.filter
def widget_attrs(attrs: dict[str, Any]) -> SafeString:
    """A widget's attributes (templates/django/forms/widgets/attrs.html)."""
    return mark_safe(forms.html_attrs(attrs))  # noqa: S308 - escaped by core.forms


@register.filter
def select_options(widget: dict[str, Any]) -> SafeString:
    """A select's options (templates/django/forms/widgets/select.html)."""
    return mark_safe(forms.select_options(widget))  # noqa: S308 - escaped by core.forms
