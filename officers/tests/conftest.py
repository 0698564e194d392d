import datetime

import pytest

from conftest import make_officer


@pytest.fixture
def make_note():
    """Create an activity note; `officer` is a user with an officer record or an Officer."""
    from officers.models import ActivityNote, DutyCategory

    def make(officer, school, *, day=None, **extra):
        record = getattr(officer, "officer", officer)
        values = {
            "category": DutyCategory.PATROL,
            "minutes": 30,
            "narrative": "Walked the halls at lunch.",
            "date": day or datetime.date(2026, 11, 23),
        }
        values.update(extra)
        return ActivityNote.objects.create(officer=record, school=school, **values)

    return make


@pytest.fixture
def sergeant(school_b, agency, officer_a):
    """An officer (assigned to school B) who supervises officer A."""
    user = make_officer("sergeant", school_b, agency, "900")
    officer_a.officer.supervisor = user.officer
    officer_a.officer.save()
    return user


@pytest.fixture
def sergeant_client(sergeant):
    from django.test import Client

    client = Client()
    client.force_login(sergeant)
    return client
