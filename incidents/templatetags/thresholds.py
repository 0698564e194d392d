"""The threshold table's rows (51 categories and severities, two fields each), written in
Python: as a template loop, looking up each row's category, severity and fields a dozen times
cost more than drawing its widgets (README, Every page)."""

from __future__ import annotations

from django import template
from django.forms import BaseModelFormSet
from django.utils.safestring import SafeString, mark_safe

from core.csv_export import ChoiceLabels
from core.escaping import escape

register = template.Library()

CONDUCT_BADGE = ' <span class="badge text-bg-secondary">code of conduct</span>'


def _errors(errors) -> str:
    return "".join(f'\n    <div class="text-danger small">{escape(error)}</div>' for error in errors)


@register.filter
def threshold_rows(formset: BaseModelFormSet) -> SafeString:
    """A `<tr>` for each form of the threshold table: the category and severity, and the level
    and response minutes with their errors (the row's own errors under the minutes)."""
    rows = []
    display = ChoiceLabels(formset.model, "severity")  # the labels once, not a dict a row
    for form in formset:
        category = form.instance.category
        name = escape(category.name)
        severity = escape(display(form.instance, "severity"))
        badge = CONDUCT_BADGE if category.is_code_of_conduct else ""
        level, minutes = form["level"], form["response_minutes"]
        row_errors = "".join(
            f'<div class="text-danger small">{escape(error)}</div>' for error in form.non_field_errors()
        )
        rows.append(
            f'\n<tr>\n  <th scope="row">{form["id"]}{name}{badge}</th>\n'
            f"  <td>{severity}</td>\n"
            f'  <td><label class="visually-hidden"\n'
            f'      for="{escape(level.id_for_label)}">Level for {name}, {severity}</label>{level}'
            f"{_errors(level.errors)}</td>\n"
            f'  <td><label class="visually-hidden"\n'
            f'      for="{escape(minutes.id_for_label)}">Response minutes for {name}, {severity}</label>\n'
            f"        {minutes}{_errors(minutes.errors)}{row_errors}</td>\n</tr>\n"
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped above, widgets by core.forms
