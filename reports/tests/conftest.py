"""Fixtures for the dashboard tests: a district of any size, built in bulk."""

import datetime

import pytest

from accounts.models import Role, User
from officers.models import Agency, Officer
from schools.models import Assignment, Level, School


def grow_district(n: int, *, prefix: str = "Extra", agency: Agency | None = None, admin=None) -> None:
    """Adds n schools, each with an officer (who can sign in) as its primary SRO; `admin`
    (a school administrator) administers every new school."""
    agency = agency or Agency.objects.get_or_create(name=f"{prefix} County Sheriff")[0]
    schools = School.objects.bulk_create(
        [School(name=f"{prefix} School {i}", level=Level.MIDDLE, enrollment=300) for i in range(n)]
    )
    users = User.objects.bulk_create(
        [User(username=f"{prefix.lower()}-officer-{i}", role=Role.OFFICER) for i in range(n)]
    )
    officers = Officer.objects.bulk_create(
        [
            Officer(user=u, agency=agency, first_name="Pat", last_name=f"{prefix}{i}", badge_number=str(i))
            for i, u in enumerate(users)
        ]
    )
    Assignment.objects.bulk_create(
        [
            Assignment(officer=o, school=s, start_date=datetime.date(2020, 8, 1))
            for o, s in zip(officers, schools, strict=True)
        ]
    )
    if admin is not None:
        admin.administered_schools.add(*schools)


@pytest.fixture
def district():
    return grow_district
