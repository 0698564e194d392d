"""How a school stands against its drill requirements, and why. Pure computation: callers
load the requirements, the conducted drills and the summer sessions (see selectors.py)."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import InitVar, dataclass, field
from functools import lru_cache

from django.db import models
from django.utils import timezone

from core.templatetags.dates import day as day_label
from schools.models import School

from .models import DrillRequirement, Rule, SummerSession, slot_of

# A reasonable pace: at most one drill a week. A requirement that needs more drills than
# weeks remain before its deadline is "at risk".
DAYS_PER_DRILL = 7


class Status(models.TextChoices):
    COMPLETE = "complete", "Complete"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OUT_OF_COMPLIANCE = "out_of_compliance", "Out of compliance"


# Severity order, worst last; and Bootstrap badge classes with AA contrast.
SEVERITY = [Status.COMPLETE, Status.ON_TRACK, Status.AT_RISK, Status.OUT_OF_COMPLIANCE]
BADGE = {
    Status.COMPLETE: "text-bg-success",
    Status.ON_TRACK: "text-bg-info",
    Status.AT_RISK: "text-bg-warning",
    Status.OUT_OF_COMPLIANCE: "text-bg-danger",
    "not_applicable": "text-bg-light",
}


@dataclass(frozen=True)
class ConductedDrill:
    drill_type: str
    conducted_at: datetime.datetime
    lunch_or_assembly: str = ""
    # The district's time zone, when the caller has looked it up once for many drills (each
    # lookup goes through a thread-local; a district year has hundreds of drills).
    zone: InitVar[datetime.tzinfo | None] = None
    # The local day and time-of-day slot, worked out once: every requirement of every
    # school looks at them (thousands of times on the district page).
    day: datetime.date = field(init=False, compare=False, repr=False)
    slot: str = field(init=False, compare=False, repr=False)

    def __post_init__(self, zone: datetime.tzinfo | None) -> None:
        local = (
            timezone.localtime(self.conducted_at, zone)
            if timezone.is_aware(self.conducted_at)
            else self.conducted_at
        )
        object.__setattr__(self, "day", local.date())
        object.__setattr__(self, "slot", slot_of(local.time()))


@dataclass
class RequirementResult:
    requirement: DrillRequirement
    status: str  # a Status, or "not_applicable"
    done: int
    reason: str
    deadline: datetime.date | None = None

    @property
    def badge(self) -> str:
        return BADGE[self.status]

    @property
    def status_label(self) -> str:
        return "Not applicable" if self.status == "not_applicable" else Status(self.status).label


@dataclass
class SchoolCompliance:
    school: School
    school_year: int
    status: Status
    reason: str
    results: list[RequirementResult] = field(default_factory=list)
    conducted: int = 0
    # Filled in by drills.selectors.compliance_by_school for the district page (and the summer
    # session for the school's page, which shows its dates).
    next_scheduled: datetime.datetime | None = None
    overdue: int = 0
    summer: SummerSession | None = None

    @property
    def badge(self) -> str:
        return BADGE[self.status]

    @property
    def status_label(self) -> str:
        return self.status.label


@lru_cache(maxsize=512)
def _fmt(day: datetime.date) -> str:
    # The same few deadlines are written into the reasons of every school (a date's label
    # depends on the date alone).
    return day_label(day)


def _weeks_left(today: datetime.date, start: datetime.date | None, deadline: datetime.date) -> int:
    first = max(today, start) if start else today
    days = (deadline - first).days + 1
    return max(0, math.ceil(days / DAYS_PER_DRILL))


def evaluate_requirement(
    requirement: DrillRequirement,
    drills: Sequence[ConductedDrill],
    *,
    today: datetime.date,
    summer: SummerSession | None,
) -> RequirementResult:
    start, deadline = requirement.window_start, requirement.deadline
    if requirement.rule in (Rule.SUMMER, Rule.SUMMER_FIRST_WEEK):
        if summer is None:
            return RequirementResult(requirement, "not_applicable", 0, "No summer school this year.")
        start = summer.start_date
        deadline = summer.first_week_end if requirement.rule == Rule.SUMMER_FIRST_WEEK else summer.end_date

    # §807: a requirement counts only the drill types it names (the twelve are evacuation and
    # lock-down drills; bus evacuations, shelter-in-place, early dismissal... do not count).
    # (Written inline: a district's page tests every drill against every requirement.)
    first, last = start or datetime.date.min, deadline or datetime.date.max
    types = requirement.drill_types
    matching = [d for d in drills if first <= d.day <= last and (not types or d.drill_type in types)]
    if requirement.rule == Rule.LUNCH_OR_ASSEMBLY:
        # §807(1): the lunch-period / assembly instruction, or a drill held during one.
        matching = [d for d in matching if d.lunch_or_assembly]
    if requirement.rule == Rule.TIMES_OF_DAY:
        done = len({d.slot for d in matching})
        unit = "different times of day"
    else:
        done = len(matching)
        unit = "drills"
    needed = requirement.minimum - done
    label = requirement.label
    if needed <= 0:
        return RequirementResult(
            requirement,
            Status.COMPLETE,
            done,
            f"{label}: met ({done} {'drill' if unit == 'drills' and done == 1 else unit}).",
            deadline,
        )
    if deadline is None:
        return RequirementResult(
            requirement, Status.ON_TRACK, done, f"{label}: {done} of {requirement.minimum} so far.", deadline
        )
    if today > deadline:
        return RequirementResult(
            requirement,
            Status.OUT_OF_COMPLIANCE,
            done,
            f"{label}: only {done} of {requirement.minimum} {unit} by {_fmt(deadline)}; "
            "the deadline has passed.",
            deadline,
        )
    weeks = _weeks_left(today, start, deadline)
    if needed > weeks:
        return RequirementResult(
            requirement,
            Status.AT_RISK,
            done,
            f"{label}: {needed} more needed by {_fmt(deadline)} but only {weeks} "
            f"week{'s' if weeks != 1 else ''} left at one drill a week "
            f"({done} of {requirement.minimum} done).",
            deadline,
        )
    return RequirementResult(
        requirement,
        Status.ON_TRACK,
        done,
        f"{label}: {done} of {requirement.minimum} done; {needed} more by {_fmt(deadline)} "
        f"({weeks} week{'s' if weeks != 1 else ''} left).",
        deadline,
    )


def evaluate_school(
    school: School,
    school_year: int,
    requirements: Iterable[DrillRequirement],
    drills: Sequence[ConductedDrill],
    *,
    today: datetime.date,
    summer: SummerSession | None = None,
) -> SchoolCompliance:
    results = [evaluate_requirement(r, drills, today=today, summer=summer) for r in requirements]
    applicable = [r for r in results if r.status != "not_applicable"]
    if not applicable:
        return SchoolCompliance(school, school_year, Status.COMPLETE, "No requirements this year.", results)
    worst = max((Status(r.status) for r in applicable), key=SEVERITY.index)
    if worst == Status.COMPLETE:
        reason = f"All {len(applicable)} requirements met."
    elif worst == Status.ON_TRACK:
        # The unmet requirement with the nearest deadline says what comes next.
        pending = sorted(
            (r for r in applicable if r.status == Status.ON_TRACK),
            key=lambda r: r.deadline or datetime.date.max,
        )
        reason = pending[0].reason
    else:
        reason = " ".join(r.reason for r in applicable if r.status == worst)
    return SchoolCompliance(school, school_year, worst, reason, results, conducted=len(drills))
