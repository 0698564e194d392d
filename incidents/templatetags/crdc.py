"""Cells of the CRDC tables: 60 schools × 2 rows × 39 columns, built in Python (a template
loop per cell was most of the report's time: README, Benchmark)."""

from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.filter
def header_cells(columns) -> str:
    """`<th>` for each (key, label) column."""
    return format_html_join("", '<th scope="col">{}</th>', ((label,) for _, label in columns))


@register.filter
def data_cells(values) -> str:
    """`<td>` for each count; None (not collected) is a blank cell, 0 is shown."""
    return format_html_join("", "<td>{}</td>", (("" if v is None else v,) for v in values))
