"""Drill compliance per school against the school year's requirements."""

from __future__ import annotations

from django.urls import reverse

from drills.compliance import SEVERITY, Status
from drills.selectors import compliance_by_school

from ..filters import DashboardFilters, school_year_label, school_year_start
from ..tiles import Chart, Table, Tile, list_url


def drills_tile(filters: DashboardFilters) -> Tile:
    # Requirements are per school year: a date range is judged against the year it ends in.
    year = filters.school_year if filters.school_year is not None else school_year_start(filters.end)
    rows = compliance_by_school(year, schools=filters.school_list(), today=filters.today)
    counts = {status: 0 for status in Status}
    for row in rows:
        counts[row.status] += 1
    behind = [r for r in rows if r.status in (Status.OUT_OF_COMPLIANCE, Status.AT_RISK)]
    if not rows:
        answer = "No schools in this view."
    elif not behind:
        every = f"all {len(rows)} are" if len(rows) > 1 else "it is"
        answer = f"No school is behind: {every} complete or on track for {school_year_label(year)}."
    else:
        names = ", ".join(f"{r.school.name} ({r.status_label.lower()})" for r in behind[:3])
        more = f" and {len(behind) - 3} more" if len(behind) > 3 else ""
        answer = f"{len(behind)} of {len(rows)} schools behind on drills: {names}{more}."
    order = list(reversed(SEVERITY))
    return Tile(
        key="drills",
        title="Drill compliance",
        answer=answer,
        chart=Chart(
            kind="bar",
            labels=[s.label for s in order],
            series=[("Schools", [counts[s] for s in order])],
            description="Schools by drill compliance: " + "; ".join(f"{s.label} {counts[s]}" for s in order),
        ),
        table=Table(
            caption=f"Drill compliance by school, {school_year_label(year)} (worst first)",
            columns=["School", "Status", "Drills conducted", "Why"],
            rows=[[r.school.name, r.status_label, r.conducted, r.reason] for r in rows],
        ),
        link=f"{reverse('drills:school', args=[filters.school.pk])}?year={year}"
        if filters.school
        else list_url("drills:list", {"year": year}),
    )
