import datetime

import pytest
from django.utils import timezone

from incidents.tests.conftest import categories, conduct, log_incident, weapons  # noqa: F401

# Inside the 2025-26 school year, after the default roster day (October 1).
DAY = datetime.date(2025, 11, 12)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def make_student(db):
    """A student of the school's district, enrolled there since August 2025."""
    from students.models import Enrollment, Student, StudentStatus

    counter = iter(range(1, 100000))

    def _make(school, *, sex="M", race="white", programs=(), local_id=None, grade="10"):
        n = next(counter)
        student = Student.objects.create(
            district=school.district,
            sourced_id=f"src-{school.pk}-{n}",
            local_id=local_id or f"{school.pk}{n:05d}",
            first_name=f"First{n}",
            last_name=f"Last{n}",
            grade=grade,
            sex=sex,
            race_ethnicity=race,
        )
        Enrollment.objects.create(student=student, school=school, begin_date=datetime.date(2025, 8, 1))
        for program in programs:
            StudentStatus.objects.create(
                student=student, program=program, start_date=datetime.date(2024, 1, 1)
            )
        return student

    return _make


@pytest.fixture
def contact(db):
    """A contact recorded through the service (not a referral or arrest)."""
    from contacts.services import record_contact

    def _contact(*, school, student, kind="questioning", by, when=None, **details):
        return record_contact(
            by=by, school=school, student=student, kind=kind, occurred_at=when or at(DAY), **details
        )

    return _contact
