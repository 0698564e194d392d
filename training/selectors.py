"""Reads for the compliance pages and the dashboards.

Every function here runs a fixed number of queries whatever the number of officers and
records (requirements, records and start dates are each fetched once, then combined in
Python), so a district of 120 officers and thousands of records costs the same handful
of queries as a district of three.

States of one officer against one required course, on `today`:
- current:  a verified record valid today whose expiry is more than 60 days away (or never)
- expiring: a verified record valid today that expires within 60 days
- due:      no valid record yet, but the officer started less than N days ago and the course is
            required "within N days of starting": due by start + N days (not out of compliance)
- expired:  no valid record; the latest verified one has expired
- missing:  no valid record and none ever verified
Only verified records count. Expired and missing make the officer out of compliance.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Min, Sum
from django.utils import timezone

from core.templatetags.dates import day as day_label
from officers.models import Officer
from schools.models import Assignment

from .models import Course, RecordStatus, Requirement, TrainingRecord, dates_valid_on

EXPIRING_WITHIN = datetime.timedelta(days=60)


class State:
    CURRENT = "current"
    EXPIRING = "expiring"
    DUE = "due"
    EXPIRED = "expired"
    MISSING = "missing"

    ALL = [CURRENT, EXPIRING, DUE, EXPIRED, MISSING]
    OUT_OF_COMPLIANCE = {EXPIRED, MISSING}
    LABELS = {
        CURRENT: "Current",
        EXPIRING: "Expiring soon",
        DUE: "Due",
        EXPIRED: "Expired",
        MISSING: "Missing",
    }


@dataclass(frozen=True, slots=True)
class Completion:
    """The dates of one verified training record: all the matrix needs of it. A district's
    matrix reads over a thousand records; model instances cost most of the page."""

    completed_on: datetime.date
    expires_on: datetime.date | None

    def is_valid_on(self, day: datetime.date) -> bool:
        return dates_valid_on(self.completed_on, self.expires_on, day)


@dataclass(slots=True)
class Cell:
    requirement: Requirement
    state: str
    record: Completion | None = None  # the valid record, or the latest verified one
    due_on: datetime.date | None = None
    pending: int = 0  # records awaiting verification for this course

    @property
    def course(self) -> Course:
        return self.requirement.course

    @property
    def label(self) -> str:
        if self.state == State.DUE and self.due_on:
            return f"Due by {day_label(self.due_on)}"
        if self.state in (State.CURRENT, State.EXPIRING, State.EXPIRED) and self.record:
            if self.record.expires_on is None:
                return "Current"
            verb = {State.CURRENT: "Valid through", State.EXPIRING: "Expires", State.EXPIRED: "Expired"}
            return f"{verb[self.state]} {day_label(self.record.expires_on)}"
        return State.LABELS[self.state]

    @property
    def csv_label(self) -> str:
        if self.state == State.DUE and self.due_on:
            return f"due by {self.due_on:%Y-%m-%d}"
        if self.record and self.record.expires_on:
            return f"{self.state} ({self.record.expires_on:%Y-%m-%d})"
        return self.state

    @property
    def is_out_of_compliance(self) -> bool:
        return self.state in State.OUT_OF_COMPLIANCE

    @property
    def reason(self) -> str:
        """Why this cell puts the officer out of compliance (empty if it does not)."""
        name = self.course.name
        awaiting = f" ({self.pending} record awaiting verification)" if self.pending else ""
        if self.state == State.EXPIRED and self.record is not None:
            return f"{name}: expired {day_label(self.record.expires_on)}{awaiting}"
        if self.state == State.MISSING:
            return f"{name}: missing{awaiting}"
        return ""


@dataclass
class OfficerRow:
    officer: Officer
    started_on: datetime.date | None
    cells: list[Cell]

    @cached_property
    def is_compliant(self) -> bool:
        return not any(cell.is_out_of_compliance for cell in self.cells)

    @property
    def reasons(self) -> list[str]:
        return [cell.reason for cell in self.cells if cell.is_out_of_compliance]

    def count(self, state: str) -> int:
        return sum(1 for cell in self.cells if cell.state == state)


@dataclass
class Matrix:
    today: datetime.date
    requirements: list[Requirement]
    rows: list[OfficerRow]
    totals: dict[str, int] = field(default_factory=dict)  # cells per state
    column_totals: list[dict[str, int]] = field(default_factory=list)  # per requirement

    @cached_property
    def compliant_count(self) -> int:
        return sum(1 for row in self.rows if row.is_compliant)

    @property
    def percent_compliant(self) -> int:
        if not self.rows:
            return 100
        return round(100 * self.compliant_count / len(self.rows))

    @cached_property
    def out_of_compliance(self) -> list[OfficerRow]:
        return [row for row in self.rows if not row.is_compliant]


def _start_dates(officers: list[Officer]) -> dict[int, datetime.date | None]:
    """When each officer started as an SRO: `sro_start_date`, else their first assignment (read
    only for the officers without a start date, and not at all when every one has one)."""
    undated = [o.pk for o in officers if o.sro_start_date is None]
    first_assignment = (
        dict(
            Assignment.objects.filter(officer__in=undated)
            .values("officer")
            .annotate(first=Min("start_date"))
            .values_list("officer", "first")
        )
        if undated
        else {}
    )
    return {o.pk: o.sro_start_date or first_assignment.get(o.pk) for o in officers}


def _cell(
    requirement: Requirement,
    records: list[Completion],
    pending: int,
    started_on: datetime.date | None,
    today: datetime.date,
) -> Cell:
    # `records`: this officer's verified records of this course, in no particular order. One
    # pass finds the valid record that lasts longest and the latest one completed by today;
    # of two that expire the same day, the one completed later (a district's matrix has ~1,000
    # cells).
    best = latest = None
    best_key = latest_key = (datetime.date.min, datetime.date.min)
    for record in records:
        if record.completed_on > today:
            continue
        key = (record.expires_on or datetime.date.max, record.completed_on)
        if record.is_valid_on(today):
            if best is None or key > best_key:
                best, best_key = record, key
        elif latest is None or key > latest_key:
            latest, latest_key = record, key
    if best is not None:
        expiring = best.expires_on is not None and best.expires_on <= today + EXPIRING_WITHIN
        return Cell(requirement, State.EXPIRING if expiring else State.CURRENT, best, pending=pending)
    due_on = requirement.due_on(started_on)
    if due_on is not None and today <= due_on:
        return Cell(requirement, State.DUE, None, due_on=due_on, pending=pending)
    if latest is not None:
        return Cell(requirement, State.EXPIRED, latest, pending=pending)
    return Cell(requirement, State.MISSING, None, pending=pending)


def matrix(officers: Iterable[Officer] | None = None, *, today: datetime.date | None = None) -> Matrix:
    """Officers × required courses. `officers`: a queryset or list (default: active officers)."""
    today = today or timezone.localdate()
    if officers is None:
        officers = Officer.objects.active()
    officers = list(officers.select_related("agency") if hasattr(officers, "select_related") else officers)
    requirements = list(Requirement.objects.active())
    course_ids = [r.course_id for r in requirements]
    officer_ids = [o.pk for o in officers]

    verified: dict[tuple[int, int], list[Completion]] = defaultdict(list)
    pending: dict[tuple[int, int], int] = defaultdict(int)
    if officer_ids and course_ids:
        records = (
            TrainingRecord.objects.filter(
                officer__in=officer_ids,
                course__in=course_ids,
                status__in=[RecordStatus.VERIFIED, RecordStatus.PENDING],
            )
            .order_by()
            .values_list("officer_id", "course_id", "completed_on", "expires_on", "status")
        )
        for officer_id, course_id, completed_on, expires_on, status in records:
            if status == RecordStatus.VERIFIED:
                verified[officer_id, course_id].append(Completion(completed_on, expires_on))
            else:
                pending[officer_id, course_id] += 1

    started = _start_dates(officers) if officers else {}
    rows = []
    totals = dict.fromkeys(State.ALL, 0)
    column_totals = [dict.fromkeys(State.ALL, 0) for _ in requirements]
    # Each requirement's course and column looked up once, not once an officer (~1,000 cells).
    columns = [
        (requirement, requirement.course_id, column_totals[i]) for i, requirement in enumerate(requirements)
    ]
    none: list[Completion] = []
    for officer, officer_id in zip(officers, officer_ids, strict=True):
        started_on = started[officer_id]
        cells = []
        for requirement, course_id, column in columns:
            key = (officer_id, course_id)
            cell = _cell(requirement, verified.get(key, none), pending.get(key, 0), started_on, today)
            cells.append(cell)
            totals[cell.state] += 1
            column[cell.state] += 1
        rows.append(OfficerRow(officer=officer, started_on=started_on, cells=cells))
    return Matrix(
        today=today, requirements=requirements, rows=rows, totals=totals, column_totals=column_totals
    )


def compliance_summary(*, today: datetime.date | None = None) -> dict[str, Any]:
    """For the coordinator's dashboard: how many active officers are compliant, cells by state,
    and who is out of compliance and why."""
    result = matrix(today=today)
    return {
        "officers": len(result.rows),
        "compliant": result.compliant_count,
        "percent_compliant": result.percent_compliant,
        "counts": result.totals,
        "out_of_compliance": [
            {"officer": row.officer, "reasons": row.reasons} for row in result.out_of_compliance
        ],
    }


def officer_compliance(officer: Officer, *, today: datetime.date | None = None) -> OfficerRow:
    return matrix([officer], today=today).rows[0]


def due_for_officer(officer: Officer, *, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """For the officer's dashboard: required training that needs action (expiring, due,
    expired, missing), most urgent first."""
    row = officer_compliance(officer, today=today)
    order = {State.EXPIRED: 0, State.MISSING: 1, State.DUE: 2, State.EXPIRING: 3}
    items = [
        {
            "course": cell.course,
            "state": cell.state,
            "label": cell.label,
            "date": cell.due_on or (cell.record.expires_on if cell.record else None),
            "pending": cell.pending,
        }
        for cell in row.cells
        if cell.state != State.CURRENT
    ]
    return sorted(items, key=lambda item: (order[item["state"]], item["date"] or datetime.date.max))


def hours_by_officer(year: int, officers: Iterable[Officer] | None = None) -> list[dict[str, Any]]:
    """Verified training hours completed in `year`, per officer (active officers by default,
    officers with no hours included with 0)."""
    if officers is None:
        officers = Officer.objects.active()
    officers = list(officers)
    totals = dict(
        TrainingRecord.objects.verified()
        .filter(officer__in=[o.pk for o in officers], completed_on__year=year)
        .values("officer")
        .annotate(total=Sum("hours"))
        .values_list("officer", "total")
    )
    return [{"officer": o, "hours": totals.get(o.pk) or Decimal("0")} for o in officers]


def hours_by_year(officer: Officer) -> list[dict[str, Any]]:
    """One officer's verified hours per calendar year, newest first."""
    rows = (
        TrainingRecord.objects.verified()
        .filter(officer=officer)
        .values_list("completed_on__year")
        .annotate(total=Sum("hours"))
        .order_by("-completed_on__year")
    )
    return [{"year": year, "hours": total} for year, total in rows]
