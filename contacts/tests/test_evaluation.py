"""The program evaluation's difference in differences on a fixture with a known effect."""

import datetime

import pytest

from contacts.selectors import GROUP_CODES, evaluation_periods, program_evaluation
from contacts.services import record_program_change
from incidents.models import Incident
from schools.models import Level, School

from .conftest import at

CHANGE = datetime.date(2025, 1, 6)
TODAY = datetime.date(2025, 7, 6)


def incidents(school, category, reporter, day, n):
    Incident.objects.bulk_create(
        Incident(
            school=school,
            reported_by=reporter,
            occurred_at=at(day),
            location="hallway",
            category=category,
            description="Fixture.",
            table_level=0,
            level=0,
        )
        for _ in range(n)
    )


def test_difference_in_differences_on_a_known_effect(district_a, coordinator, categories):
    pilot = School.objects.create(name="Pilot High", level=Level.HIGH, enrollment=100, district=district_a)
    other = School.objects.create(name="Other High", level=Level.HIGH, enrollment=400, district=district_a)
    assault, conduct = categories["assault_injury"], categories["conduct"]
    before_day, after_day = datetime.date(2024, 3, 1), datetime.date(2025, 3, 1)
    # Violent: pilot 10 -> 5 per 100 students, others 10 -> 10: an effect of -5 per 100.
    incidents(pilot, assault, coordinator, before_day, 10)
    incidents(pilot, assault, coordinator, after_day, 5)
    incidents(other, assault, coordinator, before_day, 40)
    incidents(other, assault, coordinator, after_day, 40)
    # Code of conduct: both double; no effect.
    incidents(pilot, conduct, coordinator, before_day, 2)
    incidents(pilot, conduct, coordinator, after_day, 4)
    incidents(other, conduct, coordinator, before_day, 8)
    incidents(other, conduct, coordinator, after_day, 16)
    # Outside both periods: ignored.
    incidents(pilot, assault, coordinator, datetime.date(2024, 10, 1), 30)
    change = record_program_change(
        by=coordinator, district=district_a, kind="pilot", effective_on=CHANGE, schools=[pilot]
    )
    result = program_evaluation(change, today=TODAY)
    assert result.enrolled == {
        "treated_before": 100,
        "treated_after": 100,
        "comparison_before": 400,
        "comparison_after": 400,
    }
    rows = {key: (did, figures) for key, _, did, figures in result.rows}
    violent, _ = rows["violent"]
    assert (violent.treated_before, violent.treated_after) == (10, 5)
    assert (violent.comparison_before, violent.comparison_after) == (10, 10)
    assert violent.effect == pytest.approx(-5)
    assert violent.low < -5 < violent.high
    assert rows["conduct"][0].effect == pytest.approx(2 - 2)
    assert rows["all"][1] == {
        "treated_before": 12,
        "treated_after": 9,
        "comparison_before": 48,
        "comparison_after": 56,
    }
    assert rows["weapons"][0].effect == pytest.approx(0)


def test_a_school_counts_its_roster_when_it_has_students_on_both_days(district_a, coordinator):
    from students.models import Enrollment, Student

    pilot = School.objects.create(name="Pilot High", level=Level.HIGH, enrollment=100, district=district_a)
    other = School.objects.create(name="Other High", level=Level.HIGH, enrollment=400, district=district_a)
    # The roster days: the periods' first days (the change, and the same day a year earlier).
    before_day = datetime.date(2024, 1, 6)

    def enrol(school, n, begin, end=None):
        for _ in range(n):
            n = Student.objects.count()
            student = Student.objects.create(district=district_a, sourced_id=f"s{n}", local_id=f"S{n}")
            Enrollment.objects.create(student=student, school=school, begin_date=begin, end_date=end)

    # The pilot's roster: 3 students on both days, 2 who left before the change, 1 who came after.
    enrol(pilot, 3, datetime.date(2023, 9, 1))
    enrol(pilot, 2, datetime.date(2023, 9, 1), datetime.date(2024, 6, 30))
    enrol(pilot, 1, datetime.date(2024, 9, 1))
    # The other school's roster begins between the days: its recorded enrolment on both.
    enrol(other, 4, datetime.date(2024, 9, 1))
    change = record_program_change(
        by=coordinator, district=district_a, kind="pilot", effective_on=CHANGE, schools=[pilot]
    )
    result = program_evaluation(change, today=TODAY)
    assert result.enrolled == {
        "treated_before": 5,
        "treated_after": 4,
        "comparison_before": 400,
        "comparison_after": 400,
    }
    assert evaluation_periods(change, TODAY)[0].start == before_day
    assert result.enrolment_source.startswith("each school's roster where it has students on both days")


def test_the_before_period_is_the_same_weeks_a_year_earlier(district_a, coordinator, school_a):
    change = record_program_change(
        by=coordinator, district=district_a, kind="expansion", effective_on=CHANGE, schools=[school_a]
    )
    before, after = evaluation_periods(change, TODAY)
    assert (after.start, after.end) == (CHANGE, TODAY + datetime.timedelta(days=1))
    assert (before.start, before.end) == (datetime.date(2024, 1, 6), datetime.date(2024, 7, 7))


def test_the_evaluation_makes_the_same_queries_for_three_times_the_incidents(
    district_a, coordinator, categories, school_a, django_assert_num_queries
):
    other = School.objects.create(name="Other High", level=Level.HIGH, enrollment=400, district=district_a)
    change = record_program_change(
        by=coordinator, district=district_a, kind="pilot", effective_on=CHANGE, schools=[school_a]
    )

    def add(n):
        # In the periods, and years before them (read no more since only the periods are).
        for day in (datetime.date(2024, 3, 1), datetime.date(2025, 3, 1), datetime.date(2021, 3, 1)):
            incidents(school_a, categories["fight"], coordinator, day, n)
            incidents(other, categories["weapons"], coordinator, day, n)

    add(2)
    with django_assert_num_queries(5):
        result = program_evaluation(change, today=TODAY)
    assert {key: figures for key, _, _, figures in result.rows}["all"] == {
        "treated_before": 2,
        "treated_after": 2,
        "comparison_before": 2,
        "comparison_after": 2,
    }
    add(4)
    with django_assert_num_queries(5):
        program_evaluation(change, today=TODAY)


def test_the_evaluation_names_each_groups_categories_in_their_order(
    district_a, coordinator, categories, school_a
):
    change = record_program_change(
        by=coordinator, district=district_a, kind="pilot", effective_on=CHANGE, schools=[school_a]
    )
    names = program_evaluation(change, today=TODAY).category_names
    ordered = list(categories.values())  # the categories' own order (sort order, name)
    assert names["violent"] == [c.name for c in ordered if c.code in GROUP_CODES["violent"]]
    assert names["conduct"] == [c.name for c in ordered if c.is_code_of_conduct]
    assert categories["fight"].name in names["violent"]
    # Groups in the order their first category comes; "all" (every category) is not listed.
    firsts = {
        key: ordered.index(next(c for c in ordered if c.name == found[0])) for key, found in names.items()
    }
    assert list(firsts.values()) == sorted(firsts.values())
    assert set(names) <= {*GROUP_CODES, "conduct"}
