"""Reads for drill pages and the coordinator's dashboard."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Min, Q
from django.utils import timezone

from schools.models import School

from .compliance import SEVERITY, ConductedDrill, SchoolCompliance, Status, evaluate_school
from .models import (
    Drill,
    DrillQuerySet,
    DrillRequirement,
    SummerSession,
    school_year_bounds,
    school_year_for,
    section_807_defaults,
)


def requirements_for(school_year: int) -> list[DrillRequirement]:
    """The year's requirements; §807's defaults (unsaved) when a coordinator has set none up."""
    saved = list(DrillRequirement.objects.for_year(school_year))
    return saved or [DrillRequirement(**row) for row in section_807_defaults(school_year)]


def compliance_by_school(
    school_year: int | None = None,
    *,
    schools: Iterable[School] | None = None,
    today: datetime.date | None = None,
) -> list[SchoolCompliance]:
    """Status and reason for each (active) school in `schools` (default: all), worst first.
    A constant number of queries whatever the number of schools and drills."""
    today = today or timezone.localdate()
    school_year = school_year if school_year is not None else school_year_for(today)
    schools = list(schools if schools is not None else School.objects.filter(is_active=True))
    ids = [s.pk for s in schools]
    requirements = requirements_for(school_year)
    start, end = school_year_bounds(school_year)
    drills: dict[int, list[ConductedDrill]] = defaultdict(list)
    zone = timezone.get_current_timezone()

    # Local days as instants (the day from its midnight), so the filters compare the stored
    # times as they are: a day of each of ~5,000 drills' times in the time zone was most of
    # these two queries.
    def midnight(day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)

    year_from, year_to, today_from = (
        midnight(start),
        midnight(end + datetime.timedelta(days=1)),
        midnight(today),
    )
    for school_id, drill_type, conducted_at, lunch_or_assembly in (
        Drill.objects.filter(school__in=ids, conducted_at__gte=year_from, conducted_at__lt=year_to)
        .order_by()
        .values_list("school_id", "drill_type", "conducted_at", "lunch_or_assembly")
    ):
        if conducted_at is not None:  # the date filter above leaves none empty
            drills[school_id].append(ConductedDrill(drill_type, conducted_at, lunch_or_assembly, zone))
    summers = {s.school_id: s for s in SummerSession.objects.filter(school__in=ids, school_year=school_year)}
    # Scheduled drills not yet conducted, one pass: the next one from today, and those whose
    # day has passed this school year (overdue).
    scheduled = list(
        Drill.objects.scheduled()
        .filter(school__in=ids, scheduled_at__gte=min(year_from, today_from))
        .values("school_id")
        .annotate(
            next_at=Min("scheduled_at", filter=Q(scheduled_at__gte=today_from)),
            overdue=Count("pk", filter=Q(scheduled_at__lt=today_from, scheduled_at__gte=year_from)),
        )
        .values_list("school_id", "next_at", "overdue")
    )
    upcoming = {school_id: next_at for school_id, next_at, _ in scheduled if next_at is not None}
    overdue = {school_id: n for school_id, _, n in scheduled if n}
    rows = []
    for school in schools:
        row = evaluate_school(
            school, school_year, requirements, drills[school.pk], today=today, summer=summers.get(school.pk)
        )
        row.next_scheduled = upcoming.get(school.pk)
        row.overdue = overdue.get(school.pk, 0)
        row.summer = summers.get(school.pk)
        rows.append(row)
    rows.sort(key=lambda r: (-SEVERITY.index(r.status), r.school.name))
    return rows


def compliance_for_school(
    school: School, school_year: int, *, today: datetime.date | None = None
) -> SchoolCompliance:
    return compliance_by_school(school_year, schools=[school], today=today)[0]


def district_summary(rows: list[SchoolCompliance]) -> list[tuple[Status, int]]:
    counts = {status: 0 for status in Status}
    for row in rows:
        counts[row.status] += 1
    return [(status, counts[status]) for status in reversed(SEVERITY)]


def drills_for_school_year(school: School, school_year: int) -> DrillQuerySet:
    return (
        Drill.objects.filter(school=school)
        .in_school_year(school_year)
        .order_by("-scheduled_at", "-conducted_at")
    )
