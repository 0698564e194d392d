"""Coverage: schools without a primary SRO today, and gaps coming up."""

from __future__ import annotations

import datetime

from django.db.models import Q

from schools.models import Assignment, AssignmentKind

from ..filters import DashboardFilters
from ..tiles import Chart, Table, Tile, list_url

GAP_WINDOW_DAYS = 30


def coverage_tile(filters: DashboardFilters) -> Tile:
    today = filters.today
    rows = coverage_rows(filters, today=today)
    uncovered = [r for r in rows if not r["primary"]]
    tomorrow = today + datetime.timedelta(days=1)
    uncovered_ids = {r["school"].pk for r in uncovered}
    # A school without an SRO today that stays without one is today's problem, not a new gap.
    gaps = [
        g
        for g in upcoming_gap_rows(filters, start=tomorrow, days=GAP_WINDOW_DAYS)
        if not (g["start"] == tomorrow and g["school"].pk in uncovered_ids)
    ]
    if not rows:
        answer = "No schools in this view."
    elif not uncovered:
        every = f"all {len(rows)} schools have" if len(rows) > 1 else "the school has"
        answer = f"Yes: {every} a primary SRO today."
    else:
        names = ", ".join(r["school"].name for r in uncovered[:3])
        more = f" and {len(uncovered) - 3} more" if len(uncovered) > 3 else ""
        answer = f"No: {len(uncovered)} of {len(rows)} schools have no primary SRO today ({names}{more})."
    if gaps:
        answer += f" {len(gaps)} gap{'s' if len(gaps) != 1 else ''} in the next {GAP_WINDOW_DAYS} days."
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
            caption=f"Primary SRO by school on {today:%B %-d, %Y}",
            columns=["School", "Primary SRO today", "Secondary SRO today"],
            rows=[
                [r["school"].name, ", ".join(r["primary"]) or "None", ", ".join(r["secondary"]) or "—"]
                for r in rows
            ],
        ),
        detail=Table(
            caption=f"Coverage gaps in the next {GAP_WINDOW_DAYS} days",
            columns=["School", "From", "To"],
            rows=[[g["school"].name, g["start"], g["end"]] for g in gaps],
        ),
        # The coverage page is the coordinator's; administrators get their schools.
        link=list_url("schools:coverage", {"date": today.isoformat()})
        if filters.coordinator
        else list_url("schools:list"),
        link_label="Open the coverage page" if filters.coordinator else "Open the schools",
    )


def coverage_rows(filters: DashboardFilters, *, today: datetime.date) -> list[dict]:
    """Each school in view with the officers assigned to it today (two queries)."""
    schools = list(filters.schools.order_by("name"))
    by_school: dict[int, dict] = {s.pk: {"school": s, "primary": [], "secondary": []} for s in schools}
    active = (
        Assignment.objects.active_on(today)
        .filter(school__in=filters.schools)
        .select_related("officer")
        .order_by("officer__last_name")
    )
    for a in active:
        key = "primary" if a.kind == AssignmentKind.PRIMARY else "secondary"
        by_school[a.school_id][key].append(a.officer.full_name)
    return list(by_school.values())


def upcoming_gap_rows(filters: DashboardFilters, *, start: datetime.date, days: int) -> list[dict]:
    """Stretches of days (in [start, start + days)) when a school in view has no primary SRO."""
    end = start + datetime.timedelta(days=days - 1)
    schools = list(filters.schools.order_by("name"))
    spans: dict[int, list[tuple[datetime.date, datetime.date]]] = {s.pk: [] for s in schools}
    assignments = Assignment.objects.primary().filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start),
        start_date__lte=end,
        school__in=filters.schools,
    )
    for a in assignments.values("school_id", "start_date", "end_date"):
        spans[a["school_id"]].append((a["start_date"], a["end_date"] or end))
    gaps = []
    for school in schools:
        day, gap_start = start, None
        while day <= end:
            covered = any(s <= day <= e for s, e in spans[school.pk])
            if not covered and gap_start is None:
                gap_start = day
            if covered and gap_start is not None:
                gaps.append({"school": school, "start": gap_start, "end": day - datetime.timedelta(days=1)})
                gap_start = None
            day += datetime.timedelta(days=1)
        if gap_start is not None:
            gaps.append({"school": school, "start": gap_start, "end": end})
    return gaps
