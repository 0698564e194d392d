"""Cells of the CRDC tables (60 schools × 2 rows × 39 columns) and of the SSEC summary (60
schools × 52 figures), built in Python (a template loop per cell was most of the reports'
time: README, Benchmark)."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from core.escaping import escape

register = template.Library()


@register.filter
def header_cells(columns) -> str:
    """`<th>` for each (key, label) column."""
    return format_html_join("", '<th scope="col">{}</th>', ((label,) for _, label in columns))


def _data_cell(value) -> str:
    if value is None:
        return "<td></td>"
    # format_html per cell was most of the tables' time (8,000 cells); counts are written as is.
    return f"<td>{escape(value)}</td>"


@register.filter
def data_cells(values) -> SafeString:
    """`<td>` for each count; None (not collected) is a blank cell, 0 is shown."""
    return mark_safe("".join(_data_cell(v) for v in values))  # noqa: S308 - counts, or escaped above


@register.filter
def figure_cells(cells, figures) -> SafeString:
    """`<td>` for each of `figures` ((key, label) pairs) of each cell (a dict of counts), or of
    one cell."""
    cells = [cells] if isinstance(cells, dict) else cells
    return data_cells(cell[key] for cell in cells for key, _ in figures)
