"""The CRDC page keeps its tables until the data under them changes (see test_crdc.py and
test_ssec.py for the figures themselves)."""

import datetime

import pytest
from django.urls import reverse

from drills.models import SummerSession
from incidents.models import CrdcCollection

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def referred(sid, grade="8", sex="F", race="white"):
    return {
        "local_id_or_initials": sid,
        "role": "offender",
        "grade": grade,
        "sex": sex,
        "race_ethnicity": race,
        "idea_disability": False,
        "section_504": False,
        "english_learner": False,
        "referred_to_law_enforcement": True,
    }


def bravo_cell(page_text: str) -> str:
    """The Bravo row of the first table (referral instances): its first cell, all students."""
    row = page_text.split('<th scope="row">Bravo Middle School</th>', 1)[1]
    return row.split("<td>", 2)[1].split("</td>", 1)[0]


def test_crdc_page_is_kept_until_an_incident_changes_then_shows_the_change(
    coordinator_client,
    admin_b,
    school_a,
    school_b,
    log_incident,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    CrdcCollection.objects.create(school_year=2025)
    url = reverse("incidents:crdc_report")
    log_incident(
        school=school_b,
        reported_by=admin_b,
        category="bomb_threat",
        occurred_at=datetime.datetime(2026, 4, 20, 14, tzinfo=UTC),
        people=[referred("B1")],
    )
    assert bravo_cell(coordinator_client.get(url, {"year": 2025}).text) == "1"
    with django_assert_max_num_queries(10):  # kept: no query of incidents or people
        coordinator_client.get(url, {"year": 2025})

    with django_capture_on_commit_callbacks(execute=True):  # the change commits
        log_incident(
            school=school_b,
            reported_by=admin_b,
            category="bomb_threat",
            occurred_at=datetime.datetime(2026, 5, 4, 14, tzinfo=UTC),
            people=[referred("B2")],
        )
    assert bravo_cell(coordinator_client.get(url, {"year": 2025}).text) == "2"


def test_crdc_page_shows_a_new_summer_session_on_the_next_request(
    coordinator_client, admin_b, school_b, log_incident, django_capture_on_commit_callbacks
):
    CrdcCollection.objects.create(school_year=2025)
    log_incident(
        school=school_b,
        reported_by=admin_b,
        category="bomb_threat",
        occurred_at=datetime.datetime(2025, 7, 20, 14, tzinfo=UTC),
        people=[referred("B1")],
    )
    url = reverse("incidents:crdc_report")
    assert bravo_cell(coordinator_client.get(url, {"year": 2025}).text) == "1"
    with django_capture_on_commit_callbacks(execute=True):
        SummerSession.objects.create(
            school=school_b,
            school_year=2025,
            start_date=datetime.date(2025, 7, 7),
            end_date=datetime.date(2025, 8, 8),
        )
    assert bravo_cell(coordinator_client.get(url, {"year": 2025}).text) == "0"  # summer school: out
