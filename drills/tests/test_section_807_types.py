"""§807 by its definition: each requirement counts the drill types it names, and one drill a
year is held during a lunch period or assembly (or teaches that procedure).

Hand-counted fixture (school year 2025-26): see CASES."""

import datetime

import pytest
import time_machine

from drills.compliance import Status
from drills.models import DrillType
from drills.selectors import compliance_for_school

from .conftest import conducted

pytestmark = pytest.mark.django_db

# (case, expected cell, why)
CASES = [
    (
        "8 evacuations + 4 lockdowns, plus 6 bus evacuations, 3 shelter-in-place, 2 early dismissals",
        "At least 12 drills: 12 done, complete",
        "the twelve are 8 evacuation + 4 lock-down drills; the others are other drills (§807(1))",
    ),
    (
        "4 bus evacuations + 4 evacuations September-December",
        "8 by December 31: 4 done, out of compliance",
        "only evacuation and lock-down drills count towards the eight (§807(1))",
    ),
    (
        "4 evacuations + 4 lockdowns September-December",
        "8 by December 31: 8 done, complete",
        "any combination of the two types (the law does not fix it)",
    ),
    (
        "4 plain evacuations + 4 by secondary exits",
        "8 evacuation drills: 8; secondary exits: 4",
        "secondary-exit evacuations are evacuation drills too",
    ),
    (
        "no §807 drill at lunch or an assembly (a bus evacuation at lunch)",
        "lunch/assembly: 0 done, out of compliance once the year is over",
        "§807(1) lunch-period / assembly procedure; only evacuation and lock-down drills count",
    ),
    (
        "one lockdown held during an assembly",
        "lunch/assembly: 1 done, complete",
        "a drill held during an assembly waives the instruction (§807(1))",
    ),
]
D = datetime.date
T = DrillType


def _result(school, label_start):
    row = compliance_for_school(school, 2025)
    return next(r for r in row.results if r.requirement.label.startswith(label_start))


def _autumn(school, types):
    days = [D(2025, 9, 8) + datetime.timedelta(days=7 * n) for n in range(len(types))]
    for day, drill_type in zip(days, types, strict=True):
        conducted(school, day, drill_type)


@time_machine.travel("2026-05-01 12:00 -04:00", tick=False)
def test_the_twelve_count_evacuation_and_lockdown_drills_only(school_a):
    _autumn(school_a, [T.EVACUATION] * 4 + [T.EVACUATION_SECONDARY] * 4)
    for n in range(4):
        conducted(school_a, D(2026, 1, 12) + datetime.timedelta(days=7 * n), T.LOCKDOWN)
    for n, other in enumerate([T.BUS_EVACUATION] * 6 + [T.SHELTER] * 3 + [T.EARLY_DISMISSAL] * 2):
        conducted(school_a, D(2026, 3, 2) + datetime.timedelta(days=n), other)
    twelve = _result(school_a, "At least 12 drills")
    assert (twelve.done, twelve.status) == (12, Status.COMPLETE)
    assert _result(school_a, "8 evacuation drills").done == 8
    assert _result(school_a, "4 evacuation drills using secondary exits").done == 4


@time_machine.travel("2026-05-01 12:00 -04:00", tick=False)
def test_bus_evacuations_do_not_count_towards_the_eight_by_december_31(school_a):
    _autumn(school_a, [T.BUS_EVACUATION] * 4 + [T.EVACUATION] * 4)
    eight = _result(school_a, "8 drills between September 1")
    assert (eight.done, eight.status) == (4, Status.OUT_OF_COMPLIANCE)


@time_machine.travel("2026-05-01 12:00 -04:00", tick=False)
def test_evacuations_and_lockdowns_together_make_the_eight_by_december_31(school_a):
    _autumn(school_a, [T.EVACUATION, T.LOCKDOWN] * 4)
    eight = _result(school_a, "8 drills between September 1")
    assert (eight.done, eight.status) == (8, Status.COMPLETE)


@time_machine.travel("2026-07-01 12:00 -04:00", tick=False)
def test_a_year_without_a_lunch_or_assembly_drill_is_out_of_compliance(school_a):
    _autumn(school_a, [T.EVACUATION] * 8)
    conducted(school_a, D(2026, 2, 2), T.BUS_EVACUATION, hour=12, lunch_or_assembly="lunch")
    lunch = _result(school_a, "1 drill held during a lunch period")
    assert (lunch.done, lunch.status) == (0, Status.OUT_OF_COMPLIANCE)


@time_machine.travel("2026-05-01 12:00 -04:00", tick=False)
def test_a_lockdown_held_during_an_assembly_meets_the_lunch_or_assembly_rule(school_a):
    conducted(school_a, D(2026, 2, 2), T.LOCKDOWN, hour=13, lunch_or_assembly="assembly")
    lunch = _result(school_a, "1 drill held during a lunch period")
    assert (lunch.done, lunch.status) == (1, Status.COMPLETE)


def test_an_administrator_records_a_drill_held_during_lunch(admin_a_client, school_a):
    from django.urls import reverse

    from drills.models import Drill

    response = admin_a_client.post(
        reverse("drills:create", args=[school_a.pk]),
        {
            "drill_type": "evacuation",
            "conducted_at": "2025-10-06T12:10",
            "duration_minutes": "9",
            "lunch_or_assembly": "lunch",
        },
    )
    assert response.status_code == 302
    drill = Drill.objects.get(school=school_a)
    assert drill.lunch_or_assembly == "lunch"
    page = admin_a_client.get(drill.get_absolute_url())
    assert "Held during a lunch period" in page.text
