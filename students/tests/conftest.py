import datetime

import pytest
import time_machine

from incidents.tests.conftest import categories, log_incident  # noqa: F401

from .roster_files import TODAY


@pytest.fixture
def import_day():
    """The import tests run on TODAY (noon UTC)."""
    noon = datetime.datetime.combine(TODAY, datetime.time(12), tzinfo=datetime.UTC)
    with time_machine.travel(noon, tick=False):
        yield


@pytest.fixture
def schools(district_a, school_a):
    """School A (SIS org A-100) and a second school of district A (B-200)."""
    from schools.models import Level, School

    school_a.sis_identifier = "A-100"
    school_a.save()
    other = School.objects.create(
        name="Alpha Middle School", level=Level.MIDDLE, district=district_a, sis_identifier="B-200"
    )
    return school_a, other
