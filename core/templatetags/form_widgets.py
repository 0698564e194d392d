"""Widget parts written in Python where a template loop over them was the slow part of a page."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms.boundfield import BoundField
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def choice_inputs(field: BoundField) -> SafeString:
    """A radio or checkbox field's choices, each Django's <input> (input.html) and its label in
    a Bootstrap form-check (templates/forms/field.html): `{{ option.tag }}` rendered three
    templates per choice, and a template loop over 60 administrators' checkboxes was still most
    of the school form's time."""
    parts = []
    for option in field:
        widget = option.data
        value = "" if widget["value"] is None else f' value="{conditional_escape(str(widget["value"]))}"'
        parts.append(
            f'<div class="form-check"><input type="{conditional_escape(widget["type"])}"'
            f' name="{conditional_escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'
            f'<label class="form-check-label" for="{conditional_escape(option.id_for_label)}">'
            f"{conditional_escape(option.choice_label)}</label></div>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above


@register.filter
def widget_attrs(attrs: dict[str, Any]) -> SafeString:
    """A widget's HTML attributes, as Django's attrs.html writes them (True a bare attribute,
    False left out), for every widget (templates/django/forms/widgets/attrs.html)."""
    return mark_safe(_attrs(attrs))  # noqa: S308 - escaped by _attrs


def _attrs(attrs: dict[str, Any]) -> str:
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


@register.filter
def select_options(widget: dict[str, Any]) -> SafeString:
    """A select widget's <option>s (and <optgroup>s), as Django's select_option.html writes
    them: one include per option made a filter bar of 60 schools or 120 officers most of its
    list page's time (README, Every page (issue 19))."""
    # Byte for byte Django's markup (core/tests/test_forms.py compares them).
    parts = []
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        parts.extend(
            f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
            f"{conditional_escape(option['label'])}</option>\n"
            for option in group_choices
        )
        if group_name:
            parts.append("\n  </optgroup>")
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above
