"""The CRDC law-enforcement tables (module ARRS) by their definitions, on a hand-counted
fixture. School year 2025-26 in America/New_York; the district declares it collects
everything in 2025-26. Alpha High School (A) has summer school July 7 - August 8, 2025.

Every expected cell below was counted by hand from the people listed in `district`."""

import csv
import datetime
import io
import zoneinfo

import pytest
from django.urls import reverse

from drills.models import SummerSession
from incidents.models import CrdcCollection
from incidents.reports import crdc_law_enforcement
from schools.models import Level, School

pytestmark = pytest.mark.django_db
NY = zoneinfo.ZoneInfo("America/New_York")

# (case, expected cell, why)
CASES = [
    (
        "S100 (IDEA and 504) referred in October and February, and once in March of 2024-25",
        "A referral instances IDEA = 2; A referral IDEA Hispanic male = 1",
        "instances are one per student per incident; students once per school per measure; "
        "the year before is another report",
    ),
    (
        "S100 has IDEA and Section 504",
        "A referral instances 504 only = 1 (S200 alone)",
        "CRDC: Section 504 only excludes students with IDEA",
    ),
    (
        "S200 (504 only) referred and arrested (school-related) in one incident",
        "A referral 504-only female = 1, A arrest Black female = 1",
        "an arrest is also a referral; students without disabilities include 504 only",
    ),
    (
        "S300 arrested (school-related), referral left 'not collected'",
        "A referral White male = 1, A arrest instances without disabilities = 1",
        "every school-related arrest is a referral, whatever the referral field says",
    ),
    (
        "two different students with initials 'JD' (female and male)",
        "A referral Asian female = 1 and Asian male = 1",
        "initials cannot be matched: each initials-only person is a student of their own",
    ),
    ("S500 ungraded, English learner", "A referral two-or-more female = 1, EL female = 1", "ungraded counts"),
    ("S600 pre-K, S700 adult education, a staff member: referred", "not counted", "K-12 and ungraded only"),
    ("S800 referred on July 15, 2025 during A's summer school", "not counted", "regular school year only"),
    (
        "S900 referred June 30, 2026 23:30 New York time (July 1 03:30 UTC)",
        "A referral Black male = 1",
        "the year ends at midnight of June 30 in the district's time zone",
    ),
    ("S901 referred July 1, 2026 00:30 New York time", "not counted in 2025-26", "the next year"),
    ("S902 referred June 30, 2025 23:30 New York time", "not counted in 2025-26", "the year before"),
    ("S950 arrested, not school-related", "not counted", "the CRDC counts school-related arrests only"),
    ("Charlie Elementary: no incidents, year collected", "every cell 0, none blank", "declared collected"),
    ("2024-25 undeclared", "every cell blank", "0 versus blank is declared, never inferred"),
    (
        "2024-25: district A declares, district B does not",
        "Charlie (A) 0, Bravo (B) blank",
        "each LEA declares what it collects",
    ),
    ("B1 at Bravo referred", "district total referral Asian male = 2 (JD male + B1)", "sum of schools"),
]


def local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=NY)


def person(sid, grade="10", sex="M", race="white", *, idea=False, s504=False, el=False, **extra):
    return {
        "local_id_or_initials": sid,
        "role": "offender",
        "grade": grade,
        "sex": sex,
        "race_ethnicity": race,
        "idea_disability": idea,
        "section_504": s504,
        "english_learner": el,
        **extra,
    }


REFERRED = {"referred_to_law_enforcement": True}


@pytest.fixture
def school_c(db):
    return School.objects.create(name="Charlie Elementary", level=Level.ELEMENTARY, enrollment=300)


@pytest.fixture
def district(admin_a, admin_b, school_a, school_b, school_c, log_incident):
    # Each LEA declares what it collects: both collect everything in 2025-26.
    CrdcCollection.objects.create(district=school_a.district, school_year=2025)
    CrdcCollection.objects.create(district=school_b.district, school_year=2025)
    SummerSession.objects.create(
        school=school_a,
        school_year=2025,
        start_date=datetime.date(2025, 7, 7),
        end_date=datetime.date(2025, 8, 8),
    )

    def at_a(when, *people):
        log_incident(school=school_a, reported_by=admin_a, occurred_at=when, people=list(people))

    s100 = person("S100", "10", "M", "hispanic", idea=True, s504=True, **REFERRED)
    at_a(
        local(2025, 10, 1, 10),
        s100,
        person("S200", "9", "F", "black", s504=True, arrest="school_related", **REFERRED),
        {"kind": "staff", "local_id_or_initials": "T1", "role": "victim", **REFERRED},
    )
    at_a(local(2026, 2, 1, 10), dict(s100, local_id_or_initials="s100 "))  # the same student
    at_a(local(2025, 3, 1, 10), s100)  # 2024-25
    at_a(local(2025, 11, 3, 9), person("S300", "11", "M", "white", arrest="school_related"))
    at_a(local(2025, 11, 4, 9), person("JD", "12", "F", "asian", **REFERRED))
    at_a(local(2025, 11, 5, 9), person("JD", "12", "M", "asian", **REFERRED))
    at_a(local(2025, 12, 1, 9), person("S500", "UG", "F", "two_or_more", el=True, **REFERRED))
    at_a(local(2025, 12, 2, 9), person("S600", "PK", **REFERRED), person("S700", "AE", **REFERRED))
    at_a(local(2025, 7, 15, 10), person("S800", **REFERRED))
    at_a(local(2026, 6, 30, 23, 30), person("S900", "10", "M", "black", **REFERRED))
    at_a(local(2026, 7, 1, 0, 30), person("S901", **REFERRED))
    at_a(local(2025, 6, 30, 23, 30), person("S902", **REFERRED))
    at_a(local(2026, 1, 20, 9), person("S950", arrest="other"))
    log_incident(
        school=school_b,
        reported_by=admin_b,
        occurred_at=local(2026, 4, 20, 10),
        people=[person("B1", "7", "M", "asian", **REFERRED)],
    )
    return [school_a, school_b, school_c]


def test_referral_instances_are_one_per_student_per_incident_by_disability(district):
    report = crdc_law_enforcement(schools=district, year=2025)
    alpha = report["rows"][0]["measures"]
    # IDEA: S100 twice; 504 only: S200 (S100 has IDEA); none: S300, JD, JD, S500, S900.
    assert alpha["referral"]["instances"] == {"idea": 2, "s504": 1, "none": 5}
    assert alpha["referral"]["students"] == 7
    # Arrests: S200 (504 only) and S300; S950's arrest was not school-related.
    assert alpha["arrest"]["instances"] == {"idea": 0, "s504": 1, "none": 1}
    assert alpha["arrest"]["students"] == 2


def test_students_are_counted_once_split_into_without_disabilities_and_idea(district):
    alpha = crdc_law_enforcement(schools=district, year=2025)["rows"][0]["measures"]
    without = alpha["referral"]["tables"]["without"]
    assert without["black_F"] == 1  # S200, 504 only
    assert without["white_M"] == 1  # S300: arrested, referral not recorded
    assert (without["asian_F"], without["asian_M"]) == (1, 1)  # two different "JD"
    assert without["two_or_more_F"] == 1  # S500, ungraded
    assert without["black_M"] == 1  # S900, June 30 at 23:30
    assert (without["total_F"], without["total_M"], without["total_X"]) == (3, 3, 0)
    assert (without["el_F"], without["s504_F"], without["s504_M"]) == (1, 1, 0)
    assert without["hispanic_M"] == 0  # S100 has IDEA: in the other table
    idea = alpha["referral"]["tables"]["idea"]
    assert (idea["hispanic_M"], idea["total_M"], idea["total_F"]) == (1, 1, 0)
    assert "s504_M" not in idea
    arrest = alpha["arrest"]["tables"]
    assert (arrest["without"]["black_F"], arrest["without"]["white_M"], arrest["without"]["s504_F"]) == (
        1,
        1,
        1,
    )
    assert arrest["idea"]["total_M"] == 0


def test_a_school_with_no_incidents_in_a_collected_year_reports_zero(district):
    charlie = crdc_law_enforcement(schools=district, year=2025)["rows"][2]["measures"]
    assert charlie["referral"]["students"] == 0
    assert charlie["referral"]["instances"] == {"idea": 0, "s504": 0, "none": 0}
    assert set(charlie["arrest"]["tables"]["idea"].values()) == {0}
    assert set(charlie["referral"]["tables"]["without"].values()) == {0}


def test_an_undeclared_year_is_blank_and_a_declaration_decides_zero_or_blank(district, school_a):
    before = crdc_law_enforcement(schools=[school_a], year=2024)["rows"][0]["measures"]
    assert before["referral"]["students"] is None
    assert set(before["referral"]["tables"]["idea"].values()) == {None}
    CrdcCollection.objects.create(district=school_a.district, school_year=2024, english_learner=False)
    declared = crdc_law_enforcement(schools=[school_a], year=2024)["rows"][0]["measures"]
    assert declared["referral"]["tables"]["idea"]["hispanic_M"] == 1  # S100 in March 2025
    assert declared["referral"]["tables"]["idea"]["white_F"] == 0
    assert declared["referral"]["tables"]["idea"]["el_M"] is None  # EL not collected that year


def test_district_total_sums_the_schools(district):
    total = crdc_law_enforcement(schools=district, year=2025)["total"]
    assert total["referral"]["students"] == 8  # 7 at Alpha + B1
    assert total["referral"]["tables"]["without"]["asian_M"] == 2  # JD (male) + B1
    assert total["arrest"]["students"] == 2


def test_the_report_of_a_schools_queryset_is_that_schools_only(district, school_b):
    report = crdc_law_enforcement(schools=School.objects.filter(pk=school_b.pk), year=2025)
    assert [r["school"] for r in report["rows"]] == [school_b]
    assert report["total"]["referral"]["students"] == 1


def test_csv_has_a_row_per_school_and_the_district_total_with_blank_and_zero(district, coordinator_client):
    response = coordinator_client.get(reverse("incidents:crdc_report"), {"year": 2025, "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    # Per LEA (district A: Alpha and Charlie; district B: Bravo), each with its total.
    assert [r[2] for r in rows[1:]] == [
        "Alpha High School",
        "Charlie Elementary",
        "District total",
        "Bravo Middle School",
        "District total",
    ]
    header = rows[0]
    alpha = dict(zip(header, rows[1], strict=True))
    charlie = dict(zip(header, rows[2], strict=True))
    total = dict(zip(header, rows[3], strict=True))
    without = "Referrals to law enforcement: Students without disabilities (includes Section 504 only)"
    assert alpha[f"{without}: Black or African American, Female"] == "1"
    assert alpha["Referrals to law enforcement: instances, Students with disabilities (IDEA)"] == "2"
    assert charlie[f"{without}: Asian, Male"] == "0"
    assert total[f"{without}: Asian, Male"] == "1"  # JD (male); B1 is in district B's total
    total_b = dict(zip(header, rows[5], strict=True))
    assert total_b[f"{without}: Asian, Male"] == "1"  # B1
    undeclared = coordinator_client.get(reverse("incidents:crdc_report"), {"year": 2024, "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(undeclared.streaming_content).decode())))
    assert set(rows[1][3:]) == {""}


def test_each_lea_declares_what_it_collects(district, school_a, school_b, school_c):
    CrdcCollection.objects.create(district=school_a.district, school_year=2024)
    rows = crdc_law_enforcement(schools=district, year=2024)["rows"]
    charlie, bravo = rows[2]["measures"], rows[1]["measures"]
    assert charlie["referral"]["students"] == 0  # district A collects: 0
    assert bravo["referral"]["students"] is None  # district B declared nothing: blank
    assert set(bravo["referral"]["tables"]["without"].values()) == {None}


def test_coordinator_declares_what_the_district_collects_and_the_page_follows(
    district, school_a, school_b, coordinator_client, coordinator_b_client, admin_a_client
):
    url = reverse("incidents:crdc_collection", args=[school_a.district_id]) + "?year=2024"
    assert admin_a_client.post(url, {"referrals": "on"}).status_code == 403
    assert coordinator_b_client.post(url, {"referrals": "on"}).status_code == 404
    page = coordinator_client.get(reverse("incidents:crdc_report"), {"year": 2024})
    assert f"{school_a.district.name}</strong>: <span" in page.text
    assert "nobody has declared what it collects, so its cells are blank." in page.text
    response = coordinator_client.post(
        url, {"referrals": "on", "arrests": "on", "race_sex": "on", "disability": "on"}
    )
    assert response.status_code == 302
    declared = CrdcCollection.objects.get(school_year=2024)
    assert declared.district == school_a.district
    assert (declared.referrals, declared.english_learner) == (True, False)
    page = coordinator_client.get(reverse("incidents:crdc_report"), {"year": 2024})
    assert (
        f"Change what {school_a.district.name} collects" in page.text and "English learners no" in page.text
    )
    assert f"Declare what {school_b.district.name} collects" in page.text


def test_report_query_count_does_not_grow_with_incidents(
    district, school_a, admin_a, log_incident, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        crdc_law_enforcement(schools=School.objects.all(), year=2025)
    for n in range(30):
        log_incident(
            school=school_a,
            reported_by=admin_a,
            occurred_at=local(2026, 3, 2, 10) + datetime.timedelta(hours=n),
            people=[person(f"X{n}", **REFERRED), person(f"Y{n}", arrest="school_related")],
        )
    with django_assert_num_queries(len(before.captured_queries)):
        report = crdc_law_enforcement(schools=School.objects.all(), year=2025)
    assert report["rows"][0]["measures"]["referral"]["students"] == 7 + 60


def test_person_form_records_an_arrest_that_is_not_school_related(admin_a_client, school_a, categories):
    from conftest import make_student
    from incidents.models import IncidentPerson

    from .test_incident_views import form_data

    make_student(school_a, "S77")
    data = form_data(
        school_a,
        categories["weapons"],
        **{
            "people-0-student_lookup": "S77",
            "people-0-role": "offender",
            "people-0-arrest": "other",
        },
    )
    response = admin_a_client.post(reverse("incidents:create"), data)
    assert response.status_code == 302, response.text
    assert IncidentPerson.objects.get(student__local_id="S77").arrest == "other"
