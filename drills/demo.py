"""Demo drills: last school year in full and this one so far, with varied compliance
(Riverside High ahead of schedule, Lincoln Elementary at risk, Oneida Middle out of
compliance for its summer school), upcoming scheduled drills and one drill not logged."""

from __future__ import annotations

import datetime

from django.utils import timezone

from schools.models import School

from .models import CorrectiveAction, Drill, DrillType, SummerSession, school_year_for

T = DrillType
# The order drills are run in: evacuations (half by secondary exits) and lockdowns mixed.
CYCLE = [
    T.EVACUATION,
    T.EVACUATION_SECONDARY,
    T.LOCKDOWN,
    T.EVACUATION,
    T.EVACUATION_SECONDARY,
    T.EVACUATION,
    T.LOCKDOWN,
    T.EVACUATION_SECONDARY,
    T.EVACUATION,
    T.LOCKDOWN,
    T.EVACUATION_SECONDARY,
    T.LOCKDOWN,
]
HOURS = [(8, 40), (10, 15), (13, 45), (11, 50), (9, 30), (14, 10)]
# Weeks between drills this year, per school; Lincoln has fallen behind.
PACE = {"Riverside High School": 1, "Lincoln Elementary School": 0, "BOCES East Learning Center": 3}
OBSERVATIONS = [
    ("Door 4 alarm was not audible in the gym", "Replace the gym strobe/horn unit", "Facilities"),
    (
        "Two classes unsure of the secondary exit route",
        "Post updated exit maps in rooms 210-218",
        "Assistant principal",
    ),
    (
        "Accountability took 11 minutes: attendance sheets missing",
        "Add sheets to every go-bag",
        "Main office",
    ),
]


def _at(day: datetime.date, slot: int) -> datetime.datetime:
    hour, minute = HOURS[slot % len(HOURS)]
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _weekday(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _conducted(school, day, n, rng) -> Drill:
    return Drill(
        school=school,
        drill_type=CYCLE[n % len(CYCLE)],
        scheduled_at=_at(day, n),
        conducted_at=_at(day, n),
        duration_minutes=rng.randint(6, 18),
        accountability_minutes=rng.randint(3, 11),
        sro_present=rng.random() < 0.8,
        first_responders_notified=CYCLE[n % len(CYCLE)] == T.LOCKDOWN,
        observations="Building cleared in good order."
        if rng.random() < 0.7
        else "Some hesitation at stairwell B.",
    )


def seed(*, today, rng) -> str:
    schools = list(School.objects.order_by("name"))
    year = school_year_for(today)
    drills: list[Drill] = []
    for index, school in enumerate(schools):
        if Drill.objects.filter(school=school).exists():
            continue
        # Last school year: 12 drills from September to April (BOCES stopped at 10).
        total = 10 if school.name == "BOCES East Learning Center" else 12
        for n in range(total):
            day = _weekday(
                datetime.date(year - 1, 9, 8) + datetime.timedelta(weeks=n if n < 8 else 8 + (n - 8) * 5)
            )
            drills.append(_conducted(school, day, n + index, rng))
        # This school year so far, at the school's pace.
        pace = PACE.get(school.name, 2)
        day, n = _weekday(datetime.date(year, 9, 8)), 0
        while day < today and (pace or n < 1):
            drills.append(_conducted(school, day, n + index, rng))
            n += 1
            day = _weekday(day + datetime.timedelta(weeks=pace or 1))
        # Coming up: two scheduled drills.
        for weeks, kind in [(0, T.LOCKDOWN), (1, T.EVACUATION_SECONDARY)]:
            when = _weekday(today + datetime.timedelta(days=3 + 7 * weeks + index % 3))
            drills.append(Drill(school=school, drill_type=kind, scheduled_at=_at(when, index)))
        if school.name == "Hamilton Elementary School":
            when = today - datetime.timedelta(days=2)
            drills.append(Drill(school=school, drill_type=T.SHELTER, scheduled_at=_at(when, 1)))
    Drill.objects.bulk_create(drills)
    for name, first_week in [("Riverside High School", True), ("Oneida Middle School", False)]:
        school = next((s for s in schools if s.name == name), None)
        if school is None or SummerSession.objects.filter(school=school, school_year=year).exists():
            continue
        start = _weekday(datetime.date(year, 7, 7))
        SummerSession.objects.create(
            school=school, school_year=year, start_date=start, end_date=start + datetime.timedelta(weeks=5)
        )
        days = [start + datetime.timedelta(days=2 if first_week else 10), start + datetime.timedelta(days=20)]
        Drill.objects.bulk_create(_conducted(school, d, i, rng) for i, d in enumerate(days))
        drills.extend([None, None])
    if not CorrectiveAction.objects.exists():
        recent = list(Drill.objects.conducted().order_by("-conducted_at")[: len(OBSERVATIONS)])
        CorrectiveAction.objects.bulk_create(
            CorrectiveAction(
                drill=drill,
                observation=obs,
                action=action,
                owner=owner,
                due_date=today + datetime.timedelta(days=14 * (i + 1)),
                completed_on=today - datetime.timedelta(days=1) if i == 2 else None,
            )
            for i, (drill, (obs, action, owner)) in enumerate(zip(recent, OBSERVATIONS, strict=False))
        )
    return f"{len(drills)} drills created"
