"""Reads about schools and their coverage, for pages and dashboards. Constant query counts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from core.queries import at_schools
from officers.models import Officer

from .models import Assignment, School


@dataclass(frozen=True, slots=True)
class Posting:
    """An officer's assignment as coverage shows it: who, and on which days."""

    officer_id: int
    officer_name: str
    weekdays: str

    @property
    def weekday_names(self) -> str:
        return Assignment.weekday_names_of(self.weekdays)


@dataclass
class SchoolCoverage:
    school: School
    primary: list[Posting] = field(default_factory=list)
    secondary: list[Posting] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return bool(self.primary)


def coverage_on(
    day: datetime.date, *, schools: QuerySet[School] | list[School] | None = None
) -> list[SchoolCoverage]:
    """For each active school (of `schools`, a queryset or schools already read), its primary
    officer(s) on `day` (an empty list: no primary SRO) and its secondary officers. Two
    queries, however many schools (one when the schools are given as a list)."""
    listed = (
        schools
        if isinstance(schools, list)
        else list(schools if schools is not None else School.objects.all())
    )
    rows = {school.pk: SchoolCoverage(school=school) for school in listed if school.is_active}
    # The officer's name and the days are all either page shows of an assignment: read as
    # values (~160 assignments and their officers as instances were half the tile's time).
    active = (
        Assignment.objects.active_on(day)
        .filter(school__in=list(rows))
        .order_by("start_date")
        .values_list(
            "school_id", "kind", "officer_id", "officer__first_name", "officer__last_name", "weekdays"
        )
    )
    for school_id, kind, officer_id, first_name, last_name, weekdays in active:
        row = rows[school_id]
        posting = Posting(officer_id, Officer.name_of(first_name, last_name), weekdays)
        (row.primary if kind == "primary" else row.secondary).append(posting)
    return list(rows.values())


@dataclass
class CoverageGap:
    school: School
    ending: Assignment

    @property
    def last_day(self) -> datetime.date:
        assert self.ending.end_date is not None  # upcoming_gaps picks assignments that end
        return self.ending.end_date


def upcoming_gaps(
    start: datetime.date, days: int, *, schools: QuerySet[School] | None = None
) -> list[CoverageGap]:
    """Schools (of `schools`, default all) whose primary assignment ends within `days` days
    from `start` with no primary assignment taking over the next day. Two queries."""
    until = start + datetime.timedelta(days=days)
    assignments = at_schools(Assignment.objects.all(), schools)
    ending = list(
        assignments.primary()
        .filter(end_date__gte=start, end_date__lte=until, school__is_active=True)
        .select_related("school", "officer")
        .order_by("end_date")
    )
    if not ending:
        return []
    later = list(
        Assignment.objects.primary()
        .filter(school__in={a.school_id for a in ending})
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=start))
        .values_list("pk", "school_id", "start_date", "end_date")
    )
    gaps = []
    for assignment in ending:
        assert assignment.end_date is not None  # filtered on end_date above
        next_day = assignment.end_date + datetime.timedelta(days=1)
        succeeded = any(
            school_id == assignment.school_id
            and pk != assignment.pk
            and begins <= next_day
            and (ends is None or ends >= next_day)
            for pk, school_id, begins, ends in later
        )
        if not succeeded:
            gaps.append(CoverageGap(school=assignment.school, ending=assignment))
    return gaps
