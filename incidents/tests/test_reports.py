"""The CRDC page keeps its tables until the data under them changes (see test_crdc.py and
test_ssec.py for the figures themselves)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from drills.models import SummerSession
from incidents.models import CrdcCollection


def declare_every_lea(year):
    from schools.models import District

    for district in District.objects.all():
        CrdcCollection.objects.create(district=district, school_year=year)


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
    declare_every_lea(2025)
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
    declare_every_lea(2025)
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


def test_crdc_report_is_per_lea_each_coordinator_sees_their_own(
    coordinator_client,
    coordinator_a_client,
    coordinator_b_client,
    admin_a,
    admin_b,
    school_a,
    school_b,
    log_incident,
):
    declare_every_lea(2025)
    for school, admin, sid in ((school_a, admin_a, "A1"), (school_b, admin_b, "B1")):
        log_incident(
            school=school,
            reported_by=admin,
            category="bomb_threat",
            occurred_at=datetime.datetime(2026, 4, 20, 14, tzinfo=UTC),
            people=[referred(sid)],
        )
    url = reverse("incidents:crdc_report")
    page = coordinator_client.get(url, {"year": 2025})
    # The program coordinator: every LEA, each under its own heading with its NCES LEA ID.
    assert f"{school_b.district.name} <span" in page.text and "LEA 3600002" in page.text
    assert f"{school_a.district.name} <span" in page.text
    only_b = coordinator_client.get(url, {"year": 2025, "district": school_b.district_id})
    assert "Bravo Middle School" in only_b.text and "Alpha High School" not in only_b.text
    mine = coordinator_a_client.get(url, {"year": 2025})
    assert "Alpha High School" in mine.text and "Bravo Middle School" not in mine.text
    # A district coordinator's district is their scope: naming another changes nothing.
    also_mine = coordinator_a_client.get(url, {"year": 2025, "district": school_b.district_id})
    assert "Bravo Middle School" not in also_mine.text
    csv_b = coordinator_b_client.get(url, {"year": 2025, "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(csv_b.streaming_content).decode())))
    assert rows[0][:3] == ["LEA", "NCES LEA ID", "School"]
    assert [r[:3] for r in rows[1:]] == [
        [school_b.district.name, "3600002", "Bravo Middle School"],
        [school_b.district.name, "3600002", "District total"],
    ]
    assert rows[1][3] == "1"  # B1, referred
    # Another district's school's CSV is not found for a district coordinator.
    other = coordinator_b_client.get(url, {"year": 2025, "format": "csv", "school": school_a.pk})
    assert other.status_code == 404
