"""Coverage: schools without a primary SRO today, and gaps coming up (schools/selectors.py)."""

from __future__ import annotations

from core.templatetags.dates import day as day_label
from schools.selectors import Posting, coverage_on, upcoming_gaps

from ..filters import DashboardFilters
from ..tiles import Chart, Table, Tile, list_url, plural

GAP_WINDOW_DAYS = 30


def _names(postings: list[Posting]) -> str:
    return ", ".join(p.officer_name for p in postings)


def coverage_tile(filters: DashboardFilters) -> Tile:
    today = filters.today
    rows = coverage_on(today, schools=filters.school_list())
    uncovered = [r for r in rows if not r.covered]
    in_view = {r.school.pk for r in rows}
    gaps = [g for g in upcoming_gaps(today, GAP_WINDOW_DAYS) if g.school.pk in in_view]
    if not rows:
        answer = "No schools in this view."
    elif not uncovered:
        every = f"all {len(rows)} schools have" if len(rows) > 1 else "the school has"
        answer = f"Yes: {every} a primary SRO today."
    else:
        names = ", ".join(r.school.name for r in uncovered[:3])
        more = f" and {len(uncovered) - 3} more" if len(uncovered) > 3 else ""
        answer = f"No: {len(uncovered)} of {len(rows)} schools have no primary SRO today ({names}{more})."
    if gaps:
        answer += f" {plural(len(gaps), 'gap')} in the next {GAP_WINDOW_DAYS} days."
    else:
        answer += f" No gaps in the next {GAP_WINDOW_DAYS} days."
    covered = len(rows) - len(uncovered)
    return Tile(
        key="coverage",
        title="Coverage today",
        answer=answer,
        chart=Chart(
            kind="doughnut",
            labels=["With a primary SRO", "Without a primary SRO"],
            series=[("Schools", [covered, len(uncovered)])],
            description=f"Schools covered today: {covered} with a primary SRO, {len(uncovered)} without.",
        ),
        table=Table(
            caption=f"Primary SRO by school on {day_label(today)}",
            columns=["School", "Primary SRO today", "Secondary SRO today"],
            rows=[[r.school.name, _names(r.primary) or "None", _names(r.secondary) or "—"] for r in rows],
        ),
        detail=Table(
            caption=f"Coverage gaps in the next {GAP_WINDOW_DAYS} days (no primary SRO taking over)",
            columns=["School", "Primary SRO leaving", "Last day covered"],
            rows=[[g.school.name, g.ending.officer.full_name, g.last_day] for g in gaps],
        ),
        # The coverage page is the coordinator's; administrators get their schools.
        link=list_url("schools:coverage", {"date": today.isoformat()})
        if filters.coordinator
        else list_url("schools:list"),
    )
