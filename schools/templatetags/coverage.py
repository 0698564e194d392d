"""The coverage table's rows (a school each, 60 in the large district, with its officers),
written in Python: as a template loop, looking up each school's and officer's name, link and
weekdays was most of the page's time (README, Every page)."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from core.escaping import escape
from core.links import record_urls
from schools.selectors import Posting, SchoolCoverage

register = template.Library()


def _officer(posting: Posting, url: str | None = None) -> str:
    """The officer's name (a link to them when `url` is given) and their weekdays."""
    name = escape(posting.officer_name)
    link = f'<a href="{url}">{name}</a>' if url else name
    return f"{link} ({escape(posting.weekday_names)})"


@register.filter
def coverage_rows(rows: list[SchoolCoverage]) -> SafeString:
    """A `<tr>` for each school: its name and level, its primary officers (or a link to
    assign one) and its secondary officers."""
    school_urls = record_urls("schools:detail", (row.school.pk for row in rows))
    officers = {a.officer_id for row in rows for a in row.primary}
    officer_urls = dict(zip(officers, record_urls("officers:detail", officers), strict=True))
    assign = reverse("schools:assignment_create")
    out = []
    for row, school_url in zip(rows, school_urls, strict=True):
        school = row.school
        name = escape(school.name)
        primary = ", ".join(_officer(a, officer_urls[a.officer_id]) for a in row.primary) or (
            '<span\n      class="badge text-bg-danger">No primary SRO</span> '
            f'<a href="{assign}?school={school.pk}">Assign<span\n'
            f'      class="visually-hidden"> an officer to {name}</span></a>'
        )
        secondary = ", ".join(_officer(a) for a in row.secondary) or "—"
        out.append(
            f'\n<tr>\n  <td><a href="{school_url}">{name}</a></td>\n'
            f"  <td>{escape(school.get_level_display())}</td>\n"
            f"  <td>{primary}</td>\n"
            f"  <td>{secondary}</td>\n</tr>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 - names escaped above, URLs made by reverse()
