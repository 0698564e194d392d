"""Expiry dates: completion + renewal months, clamped to month end; valid through the expiry
date inclusive, lapsed from the day after."""

import datetime

import pytest

from training.models import Course, Delivery, Requirement, add_months

from .conftest import add_record

D = datetime.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # leap day, into a common year
        (D(2024, 2, 29), 48, D(2028, 2, 29)),  # leap day, into a leap year
        (D(2023, 2, 28), 12, D(2024, 2, 28)),  # not moved to the leap day
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # month end, leap February
        (D(2025, 1, 31), 1, D(2025, 2, 28)),  # month end, common February
        (D(2025, 8, 31), 1, D(2025, 9, 30)),  # 31st into a 30-day month
        (D(2025, 12, 31), 2, D(2026, 2, 28)),  # across the year end
        (D(2025, 3, 15), 24, D(2027, 3, 15)),  # plain case
    ],
)
def test_adding_months_clamps_to_the_end_of_a_shorter_month(start, months, expected):
    assert add_months(start, months) == expected


def test_recurring_course_expiry_uses_its_interval_and_one_time_course_never_expires(cpr, basic):
    assert cpr.renewal_months == 24
    assert cpr.expiry_for(D(2024, 2, 29)) == D(2026, 2, 28)
    assert basic.expiry_for(D(2024, 2, 29)) is None


def test_record_expiry_is_computed_from_the_course_when_saved(officer_a, ymhfa):
    record = add_record(officer_a.officer, ymhfa, D(2024, 2, 29))
    record.refresh_from_db()
    assert record.expires_on == D(2027, 2, 28)
    record.completed_on = D(2024, 3, 31)
    record.save(update_fields=["completed_on"])
    record.refresh_from_db()
    assert record.expires_on == D(2027, 3, 31)


def test_certificate_is_valid_on_its_expiry_date_and_lapses_the_day_after(officer_a, cpr):
    record = add_record(officer_a.officer, cpr, D(2024, 2, 29))
    assert record.expires_on == D(2026, 2, 28)
    assert record.lapses_on == D(2026, 3, 1)
    assert record.is_valid_on(D(2026, 2, 28))
    assert not record.is_valid_on(D(2026, 3, 1))
    assert not record.is_valid_on(D(2024, 2, 28))  # not before it was earned


def test_changing_a_courses_interval_moves_the_expiry_of_its_records(officer_a):
    course = Course.objects.create(name="Narcan", provider="County EMS", hours=2, delivery=Delivery.ONLINE)
    record = add_record(officer_a.officer, course, D(2025, 1, 31))
    assert record.expires_on is None
    course.renewal_months = 1
    course.save()
    record.refresh_from_db()
    assert record.expires_on == D(2025, 2, 28)


def test_the_catalogue_and_default_requirements_are_seeded_by_migration(db):
    # Runs before any transactional test (pytest-django orders those last), so this is the
    # migration's work, not the catalogue fixture's.
    names = set(Course.objects.values_list("name", flat=True))
    assert {
        "NASRO Basic SRO Course",
        "Crisis Intervention Team (CIT) Training",
        "Youth Mental Health First Aid",
    } <= names
    assert Course.objects.get(name="Youth Mental Health First Aid").renewal_months == 36
    assert Course.objects.get(name="Heartsaver CPR AED and First Aid").renewal_months == 24
    assert Course.objects.get(name="NASRO Basic SRO Course").hours == 40
    assert Requirement.objects.count() == 8
