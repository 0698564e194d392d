"""CRDC law-enforcement tables and the NY SSEC summary, against hand-counted fixtures."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from incidents.reports import crdc_law_enforcement, ssec_summary

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def student(sid, grade, sex, race, idea, s504, el, referred=None, arrest=None, role="offender"):
    return {
        "local_id_or_initials": sid,
        "role": role,
        "grade": grade,
        "sex": sex,
        "race_ethnicity": race,
        "idea_disability": idea,
        "section_504": s504,
        "english_learner": el,
        "referred_to_law_enforcement": referred,
        "school_related_arrest": arrest,
    }


@pytest.fixture
def year_2025(admin_a, admin_b, school_a, school_b, log_incident):
    """School year 2025-26 at school A (everything collected) and B (only sex and race)."""
    log_incident(
        school=school_a,
        reported_by=admin_a,
        category="weapons",
        weapon_type="knife",
        occurred_at=datetime.datetime(2025, 10, 1, 14, tzinfo=UTC),
        people=[
            student("S1", "10", "M", "hispanic", True, False, False, referred=True, arrest=True),
            student("S2", "9", "F", "black", False, True, True, referred=True, arrest=False),
            student("S3", "9", "M", "white", False, False, False, role="witness"),
            student("PK1", "PK", "M", "hispanic", False, False, False, referred=True),  # not K-12
            {
                "kind": "staff",
                "local_id_or_initials": "T1",
                "role": "victim",
                "referred_to_law_enforcement": True,
            },
        ],
    )
    log_incident(
        school=school_a,
        reported_by=admin_a,
        category="assault_injury",
        occurred_at=datetime.datetime(2026, 2, 1, 14, tzinfo=UTC),
        people=[
            student(
                "s1 ", "10", "M", "hispanic", True, False, False, referred=True
            ),  # S1 again: counted once
            student("S4", "11", "F", "black", False, False, True, referred=True, arrest=True),
        ],
    )
    # Before the school year: not counted.
    log_incident(
        school=school_a,
        reported_by=admin_a,
        category="weapons",
        occurred_at=datetime.datetime(2025, 6, 15, 14, tzinfo=UTC),
        people=[student("S5", "12", "M", "white", False, False, False, referred=True, arrest=True)],
    )
    log_incident(
        school=school_a,
        reported_by=admin_a,
        category="conduct",
        occurred_at=datetime.datetime(2026, 3, 1, 14, tzinfo=UTC),
        people=[student("S6", "9", "F", "asian", False, False, False)],
    )
    log_incident(
        school=school_b,
        reported_by=admin_b,
        category="bomb_threat",
        occurred_at=datetime.datetime(2026, 4, 20, 14, tzinfo=UTC),
        people=[student("B1", "7", "M", "asian", None, None, None, referred=True)],
    )


def test_crdc_counts_incidents_and_students_with_the_splits(year_2025, school_a, school_b):
    a, b = crdc_law_enforcement(schools=[school_a, school_b], year=2025)
    assert a["incidents"] == {"referred": 2, "arrested": 2}
    assert a["population"] == 5  # S1, S2, S3, S4, S6
    referred = a["students"]["referred"]
    assert referred["total"] == 3  # S1 (twice, once counted), S2, S4; not PK1, not staff, not S5
    assert referred["hispanic_M"] == 1
    assert referred["black_F"] == 2
    assert referred["white_M"] == 0  # collected, none: zero, not blank
    assert (referred["total_M"], referred["total_F"], referred["total_X"]) == (1, 2, 0)
    assert (referred["idea_M"], referred["idea_F"]) == (1, 0)
    assert (referred["s504_M"], referred["s504_F"]) == (0, 1)
    assert (referred["el_M"], referred["el_F"]) == (0, 2)
    arrested = a["students"]["arrested"]
    assert arrested["total"] == 2
    assert (arrested["hispanic_M"], arrested["black_F"]) == (1, 1)
    assert (arrested["idea_M"], arrested["el_F"], arrested["s504_F"]) == (1, 1, 0)


def test_crdc_leaves_blank_what_the_school_did_not_collect(year_2025, school_b):
    (b,) = crdc_law_enforcement(schools=[school_b], year=2025)
    assert b["incidents"] == {"referred": 1, "arrested": 0}
    referred = b["students"]["referred"]
    assert referred["asian_M"] == 1 and referred["white_F"] == 0
    assert referred["idea_M"] is None and referred["s504_M"] is None and referred["el_F"] is None
    assert b["students"]["arrested"]["total"] == 0


def test_crdc_csv_per_school_writes_blank_and_zero_differently(year_2025, coordinator_client, school_b):
    response = coordinator_client.get(
        reverse("incidents:crdc_report"), {"year": 2025, "format": "csv", "school": school_b.pk}
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header = rows[0]
    students_referred = next(r for r in rows if r[3] == "Students" and r[4] == "Referred to law enforcement")
    cell = dict(zip(header, students_referred, strict=True))
    assert (cell["LEA"], cell["NCES LEA ID"]) == (school_b.district.name, "3600002")
    assert cell["School"] == "Bravo Middle School"
    assert cell["Total"] == "1"
    assert cell["Asian, Male"] == "1"
    assert cell["White, Female"] == "0"
    assert cell["IDEA, Male"] == ""
    assert {r[2] for r in rows[1:]} == {"Bravo Middle School"}


def test_crdc_report_is_per_lea_each_coordinator_sees_their_own(
    year_2025, coordinator_client, coordinator_a_client, coordinator_b_client, school_a, school_b
):
    page = coordinator_client.get(reverse("incidents:crdc_report"), {"year": 2025})
    # The program coordinator: every LEA, each under its own heading with its NCES LEA ID.
    assert f"{school_b.district.name} <span" in page.text and "LEA 3600002" in page.text
    assert f"{school_a.district.name} <span" in page.text
    only_b = coordinator_client.get(
        reverse("incidents:crdc_report"), {"year": 2025, "district": school_b.district_id}
    )
    assert "Bravo Middle School" in only_b.text and "Alpha High School" not in only_b.text
    mine = coordinator_a_client.get(reverse("incidents:crdc_report"), {"year": 2025})
    assert "Alpha High School" in mine.text and "Bravo Middle School" not in mine.text
    # A district coordinator's district is their scope: naming another changes nothing.
    also_mine = coordinator_a_client.get(
        reverse("incidents:crdc_report"), {"year": 2025, "district": school_b.district_id}
    )
    assert "Bravo Middle School" not in also_mine.text
    csv_b = coordinator_b_client.get(reverse("incidents:crdc_report"), {"year": 2025, "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(csv_b.streaming_content).decode())))
    assert {(r[0], r[2]) for r in rows[1:]} == {(school_b.district.name, "Bravo Middle School")}
    referred = next(r for r in rows if r[3] == "Incidents" and r[4] == "Referred to law enforcement")
    assert referred[5] == "1"  # B1's bomb threat, by hand
    # Another district's school's CSV is not found for a district coordinator.
    other = coordinator_b_client.get(
        reverse("incidents:crdc_report"), {"year": 2025, "format": "csv", "school": school_a.pk}
    )
    assert other.status_code == 404


def test_crdc_page_shows_each_school(year_2025, coordinator_client):
    page = coordinator_client.get(reverse("incidents:crdc_report"), {"year": 2025})
    assert page.status_code == 200
    assert "Alpha High School" in page.text and "Bravo Middle School" in page.text


def test_ssec_summary_counts_by_category_and_school(year_2025, school_a, school_b, categories):
    summary = ssec_summary(schools=[school_a, school_b], year=2025)
    names = [c.code for c in summary["categories"]]
    assert "conduct" not in names
    row_a = dict(zip(names, summary["rows"][0]["cells"], strict=True))
    assert row_a["weapons"] == (1, 1)  # one in the year, with a weapon
    assert row_a["assault_injury"] == (1, 0)
    assert summary["rows"][0]["total"] == 2
    row_b = dict(zip(names, summary["rows"][1]["cells"], strict=True))
    assert row_b["bomb_threat"] == (1, 0)
    assert summary["total"] == 3


def test_ssec_csv(year_2025, coordinator_client):
    response = coordinator_client.get(reverse("incidents:ssec_report"), {"year": 2025, "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "School" and rows[0][-1] == "Total"
    assert rows[1][0] == "Alpha High School" and rows[1][-1] == "2"
    assert rows[-1][0] == "All schools" and rows[-1][-1] == "3"
    assert coordinator_client.get(reverse("incidents:ssec_report"), {"year": 2025}).status_code == 200


def test_crdc_page_is_kept_until_an_incident_changes_then_shows_the_change(
    year_2025,
    coordinator_client,
    admin_b,
    school_b,
    log_incident,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    url = reverse("incidents:crdc_report")
    bravo = coordinator_client.get(url, {"year": 2025}).text.split("Bravo", 1)[1]
    assert "K-12 students involved: 1</p>" in bravo
    with django_assert_max_num_queries(9):  # kept: no query of incidents or people
        coordinator_client.get(url, {"year": 2025})

    with django_capture_on_commit_callbacks(execute=True):  # the change commits
        log_incident(
            school=school_b,
            reported_by=admin_b,
            category="bomb_threat",
            occurred_at=datetime.datetime(2026, 5, 4, 14, tzinfo=UTC),
            people=[student("B2", "8", "F", "white", None, None, None, referred=True, arrest=True)],
        )
    bravo = coordinator_client.get(url, {"year": 2025}).text.split("Bravo", 1)[1]
    assert "with an arrest: 1 · K-12 students involved: 2</p>" in bravo
