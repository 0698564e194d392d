"""Reads about officers' activity for pages and the coordinator dashboard. Constant query counts."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Func, Sum
from django.db.models.expressions import RawSQL

from core.queries import at_schools

from .models import ActivityNote, ActivityNoteQuerySet, DutyCategory, Officer

if TYPE_CHECKING:
    from schools.models import School  # types only: schools depends on officers


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of `day`'s week."""
    return day - datetime.timedelta(days=day.weekday())


def time_by_category(
    *,
    schools: Iterable[School] | None = None,
    start: datetime.date,
    end: datetime.date,
    officer: Officer | None = None,
) -> dict[str, int]:
    """Minutes per duty category over [start, end], every category present (0 when none). One query.

    `schools`: a queryset or list of schools to restrict to (None: all)."""
    notes = at_schools(ActivityNote.objects.filter(date__gte=start, date__lte=end), schools)
    if officer is not None:
        notes = notes.filter(officer=officer)
    if connection.vendor != "postgresql":
        totals = dict(notes.order_by().values_list("category").annotate(total=Sum("minutes")))
        return {value: totals.get(value, 0) for value in DutyCategory.values}
    # PostgreSQL: each category's minutes summed by its own range of the index on (category,
    # date), which carries the minutes and school: grouping a year's ~63,000 notes by category
    # in one pass (hashing each note's category) was most of the dashboard's hours by duty.
    # (SUM as a plain function: an aggregate would make Django group by the category.)
    one_category = (
        notes.filter(category=RawSQL("duty.category", ()))
        .order_by()
        .values(total=Func("minutes", function="SUM"))
    )
    sql, params = one_category.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT duty.category, ({sql}) FROM unnest(%s::varchar[]) AS duty(category)",  # noqa: S608 - Django's SQL
            [*params, list(DutyCategory.values)],
        )
        totals = dict(cursor.fetchall())
    return {value: totals.get(value) or 0 for value in DutyCategory.values}


def follow_ups_due(
    officer: Officer, *, on: datetime.date | None = None, notes: ActivityNoteQuerySet | None = None
) -> ActivityNoteQuerySet:
    """The officer's open follow-ups (not done), oldest due first; with `on`, only those due by
    then; among `notes` when given (the notes the viewer may see)."""
    notes = (ActivityNote.objects.all() if notes is None else notes).filter(officer=officer)
    notes = notes.follow_ups_due().select_related("school")
    if on is not None:
        notes = notes.filter(follow_up_date__lte=on)
    return notes.order_by("follow_up_date", "date")


@dataclass
class WeekSummary:
    officer: Officer
    start: datetime.date
    notes: list[ActivityNote]
    follow_ups: list[ActivityNote]
    by_category: list[tuple[str, int]] = field(default_factory=list)
    schools: list[tuple[str, int]] = field(default_factory=list)

    @property
    def end(self) -> datetime.date:
        return self.start + datetime.timedelta(days=6)

    @property
    def total_minutes(self) -> int:
        return sum(note.minutes for note in self.notes)

    @property
    def total_hours(self) -> float:
        return round(self.total_minutes / 60, 1)

    @property
    def days(self) -> list[tuple[datetime.date, list[ActivityNote]]]:
        by_day: dict[datetime.date, list[ActivityNote]] = {}
        for note in self.notes:
            by_day.setdefault(note.date, []).append(note)
        return [
            (day, by_day.get(day, []))
            for day in (self.start + datetime.timedelta(days=i) for i in range(7))
            if day.weekday() < 5 or day in by_day
        ]


def week_summary(
    officer: Officer, start: datetime.date, *, visible: ActivityNoteQuerySet | None = None
) -> WeekSummary:
    """One officer's week from Monday `start`: notes, hours by duty category, schools visited,
    follow-ups still open. Two queries. `visible`: the notes the viewer may see (a district
    coordinator looking at an officer who also serves another district sees their own
    district's part of the week)."""
    end = start + datetime.timedelta(days=6)
    visible = ActivityNote.objects.all() if visible is None else visible
    notes = list(
        visible.filter(officer=officer, date__gte=start, date__lte=end)
        .select_related("school")
        .order_by("date", "created_at")
    )
    labels = dict(DutyCategory.choices)
    minutes: dict[str, int] = {}
    schools: dict[str, int] = {}
    for note in notes:
        minutes[note.category] = minutes.get(note.category, 0) + note.minutes
        schools[note.school.name] = schools.get(note.school.name, 0) + 1
    return WeekSummary(
        officer=officer,
        start=start,
        notes=notes,
        follow_ups=list(follow_ups_due(officer, notes=visible)),
        by_category=sorted(((labels[k], v) for k, v in minutes.items()), key=lambda kv: -kv[1]),
        schools=sorted(schools.items()),
    )
