"""What a dashboard tile is made of: a sentence that answers the question, a chart, the table
behind the chart (always there, for screen readers and for people who would rather read), and
a link to the filtered list the figures come from."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from core.escaping import escape
from core.templatetags.dates import day, moment

# Chart colours with at least 3:1 contrast against white (WCAG 1.4.11, graphical objects),
# distinguishable from one another, and each dark enough to carry white text.
PALETTE = ["#0b3d91", "#b45309", "#047857", "#6d28d9", "#b91c1c", "#0f766e", "#4b5563", "#9d174d"]


@dataclass(frozen=True)
class Link:
    """A table cell that links to the record it names."""

    text: str
    url: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.rows)

    @cached_property
    def body(self) -> SafeString:
        """The <tbody> rows, built here rather than in a template loop: a district's tables
        hold thousands of cells, and {% for %} over them was the slow part of the page (README,
        Benchmark). Joined as plain strings of escaped cells (format_html per cell was most of
        the tiles' Python time). Kept on the table, so cached figures are not built again on
        every request."""
        return mark_safe(  # noqa: S308 - every cell is escaped by _cell
            "\n".join(
                "<tr>" + "".join(_cell(i, cell) for i, cell in enumerate(row)) + "</tr>" for row in self.rows
            )
        )


@dataclass
class Chart:
    """A Chart.js chart; `config()` is what static/js/charts.js reads from json_script."""

    kind: str  # "bar", "line", "doughnut"
    labels: list[str]
    series: Sequence[tuple[str, Sequence[float | int | None]]]
    description: str  # the chart's accessible name (aria-label)
    stacked: bool = False
    horizontal: bool = False
    y_title: str = ""

    def config(self) -> dict:
        return {
            "type": self.kind,
            "labels": self.labels,
            "datasets": [
                {"label": name, "data": data, "color": PALETTE[i % len(PALETTE)]}
                for i, (name, data) in enumerate(self.series)
            ],
            "palette": PALETTE,
            "stacked": self.stacked,
            "horizontal": self.horizontal,
            "yTitle": self.y_title,
        }


@dataclass
class Tile:
    key: str
    title: str
    answer: str
    table: Table | None = None
    chart: Chart | None = None
    link: str | None = None
    # Secondary figures shown under the answer, as (label, value).
    figures: list[tuple[str, Any]] = field(default_factory=list)
    # A second table (e.g. overrides with reasons, officers out of training).
    detail: Table | None = None
    wide: bool = False

    @property
    def chart_id(self) -> str:
        return f"chart-data-{self.key}"


def _cell(index: int, value: Any) -> str:
    """One cell, escaped: a header cell for the row's first value."""
    content: str
    if isinstance(value, Link):
        content = f'<a href="{escape(value.url)}">{escape(value.text)}</a>'
    elif value is None:
        content = "—"
    elif isinstance(value, datetime.date):
        content = escape(moment(value) if isinstance(value, datetime.datetime) else day(value))
    else:
        content = escape(value)
    return f'<th scope="row">{content}</th>' if index == 0 else f"<td>{content}</td>"


def list_url(url_name: str, params: Mapping[str, object] | None = None) -> str:
    """The URL of another app's list with query parameters (empty ones left out)."""
    return _with_query(reverse(url_name), params)


def list_urls(url_name: str, params: Iterable[Mapping[str, object]]) -> list[str]:
    """`list_url` for each set of parameters, the list's URL reversed once (a link per row)."""
    url = reverse(url_name)
    return [_with_query(url, p) for p in params]


def _with_query(url: str, params: Mapping[str, object] | None) -> str:
    clean = {k: v for k, v in (params or {}).items() if v not in (None, "")}
    return f"{url}?{urlencode(clean)}" if clean else url


def percent(part: int | float, whole: int | float) -> int | None:
    return round(100 * part / whole) if whole else None


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"
