"""A school's status against §807, with the reason, on hand-made drill records."""

import datetime

import pytest
import time_machine

from drills.compliance import Status
from drills.models import DrillRequirement, DrillType, SummerSession, school_year_for, section_807_defaults
from drills.selectors import compliance_by_school, compliance_for_school

from .conftest import conducted

D = datetime.date
EVAC, SECOND, LOCK = DrillType.EVACUATION, DrillType.EVACUATION_SECONDARY, DrillType.LOCKDOWN


def test_school_year_runs_from_july_to_june():
    assert school_year_for(D(2025, 7, 1)) == 2025
    assert school_year_for(D(2026, 6, 30)) == 2025
    assert school_year_for(D(2026, 9, 5)) == 2026


def full_year_of_drills(school):
    # 8 in the autumn (4 of them by secondary exits), then 4 lockdowns, at three times of day.
    for n, day in enumerate([D(2025, 9, 8), D(2025, 9, 22), D(2025, 10, 6), D(2025, 10, 20)]):
        conducted(school, day, EVAC, hour=8 + n % 3 * 3)
    for day in [D(2025, 11, 3), D(2025, 11, 17), D(2025, 12, 1), D(2025, 12, 15)]:
        conducted(school, day, SECOND, hour=14)
    for day in [D(2026, 1, 12), D(2026, 2, 9), D(2026, 3, 9), D(2026, 4, 13)]:
        conducted(school, day, LOCK, hour=12, lunch_or_assembly="lunch" if day.month == 1 else "")


@time_machine.travel("2026-05-01 12:00 -04:00", tick=False)
def test_a_school_with_every_drill_done_is_complete(school_a):
    full_year_of_drills(school_a)
    row = compliance_for_school(school_a, 2025)
    assert row.status == Status.COMPLETE
    assert row.reason == "All 7 requirements met."
    summer = [r for r in row.results if r.status == "not_applicable"]
    assert len(summer) == 2  # no summer school recorded: the summer rules do not apply


@time_machine.travel("2025-10-01 12:00 -04:00", tick=False)
def test_a_school_keeping_pace_is_on_track_and_says_what_comes_next(school_a):
    for day in [D(2025, 9, 8), D(2025, 9, 15), D(2025, 9, 22)]:
        conducted(school_a, day, EVAC)
    row = compliance_for_school(school_a, 2025)
    assert row.status == Status.ON_TRACK
    assert (
        "8 drills between September 1 and December 31: 3 of 8 done; 5 more by Wed 31 Dec 2025" in row.reason
    )


@time_machine.travel("2025-12-10 12:00 -05:00", tick=False)
def test_a_school_that_cannot_catch_up_at_one_drill_a_week_is_at_risk(school_a):
    for day in [D(2025, 9, 8), D(2025, 9, 15), D(2025, 9, 22)]:
        conducted(school_a, day, EVAC)
    row = compliance_for_school(school_a, 2025)
    assert row.status == Status.AT_RISK
    assert "5 more needed by Wed 31 Dec 2025 but only 4 weeks left at one drill a week" in row.reason


@time_machine.travel("2026-01-15 12:00 -05:00", tick=False)
def test_a_missed_december_deadline_is_out_of_compliance(school_a):
    for day in [D(2025, 9, 8), D(2025, 9, 15), D(2025, 9, 22)]:
        conducted(school_a, day, EVAC)
    row = compliance_for_school(school_a, 2025)
    assert row.status == Status.OUT_OF_COMPLIANCE
    assert "only 3 of 8 drills by Wed 31 Dec 2025; the deadline has passed" in row.reason


@time_machine.travel("2025-07-20 12:00 -04:00", tick=False)
def test_summer_school_without_a_first_week_drill_is_out_of_compliance(school_a):
    SummerSession.objects.create(
        school=school_a, school_year=2025, start_date=D(2025, 7, 7), end_date=D(2025, 8, 8)
    )
    conducted(school_a, D(2025, 7, 16), EVAC)
    row = compliance_for_school(school_a, 2025)
    assert row.status == Status.OUT_OF_COMPLIANCE
    assert "1 drill in the first week of summer school: only 0 of 1" in row.reason
    assert "Sun 13 Jul 2025" in row.reason


@time_machine.travel("2026-05-01 12:00 -04:00", tick=False)
def test_drills_all_at_the_same_time_of_day_do_not_meet_the_times_of_day_rule(school_a):
    for n in range(12):
        conducted(school_a, D(2025, 9, 8) + datetime.timedelta(weeks=n), SECOND if n < 4 else EVAC, hour=10)
    row = compliance_for_school(school_a, 2025)
    times = next(r for r in row.results if r.requirement.rule == "times_of_day")
    assert times.done == 1
    assert times.status == Status.ON_TRACK
    lockdown = next(r for r in row.results if "lockdown" in r.requirement.label)
    assert lockdown.done == 0


@time_machine.travel("2025-12-10 12:00 -05:00", tick=False)
def test_a_coordinator_edited_requirement_changes_the_status(school_a):
    DrillRequirement.objects.bulk_create(DrillRequirement(**row) for row in section_807_defaults(2025))
    for day in [D(2025, 9, 8), D(2025, 9, 15), D(2025, 9, 22)]:
        conducted(school_a, day, EVAC)
    DrillRequirement.objects.filter(school_year=2025, label__startswith="8 drills between").update(minimum=3)
    assert compliance_for_school(school_a, 2025).status == Status.ON_TRACK


@time_machine.travel("2025-12-10 12:00 -05:00", tick=False)
def test_compliance_by_school_has_a_constant_query_count(school_a, django_assert_max_num_queries):
    from schools.models import Level, School

    for n in range(15):
        school = School.objects.create(name=f"School {n}", level=Level.HIGH)
        for week in range(6):
            conducted(school, D(2025, 9, 8) + datetime.timedelta(weeks=week), EVAC)
    with django_assert_max_num_queries(6):
        rows = compliance_by_school(2025)
    assert len(rows) == 16
    # Worst first: school A has no drill at all and cannot reach 8 by December 31.
    assert (rows[0].school, rows[0].status) == (school_a, Status.AT_RISK)
    assert {row.status for row in rows[1:]} == {Status.ON_TRACK}


@pytest.mark.parametrize("day", [D(2025, 9, 1), D(2026, 6, 30)])
def test_requirements_default_to_section_807(day):
    rows = section_807_defaults(school_year_for(day))
    labels = [r["label"] for r in rows]
    assert "At least 12 drills in the school year" in labels
    assert next(r for r in rows if r["label"].startswith("8 drills between"))["deadline"] == D(2025, 12, 31)
