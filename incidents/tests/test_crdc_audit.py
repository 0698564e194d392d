"""An auditor's hand count of the CRDC law-enforcement tables (module ARRS), scenario by
scenario, against the definitions the README quotes:

- "Number of instances of referrals to a law enforcement agency or official for all students
  in grades K-12 (or the ungraded equivalent)" (ARRS-1);
- "All arrests are referrals. But not all referrals lead to arrests." (Center for Public
  Integrity's summary of the CRDC);
- "The data reported should be based on the entire 2021-22 regular school year, not including
  intersession or summer."

School year 2025-26 in America/New_York; both LEAs declare they collect everything. Alpha
High School (A) and Charlie High School (C) are in district A; no summer school is recorded.
Every expected figure below was counted by hand from the people in `audit`, before the
report was run."""

import csv
import datetime
import io
import re
import zoneinfo

import pytest
from django.urls import reverse

from conftest import make_student
from incidents.models import CrdcCollection
from incidents.reports import crdc_by_lea, crdc_columns, crdc_law_enforcement
from incidents.services import correct_incident
from schools.models import Level, School

pytestmark = pytest.mark.django_db
NY = zoneinfo.ZoneInfo("America/New_York")
D = datetime.date

# (case, hand count, why)
CASES = [
    ("A1 referred in two incidents", "2 instances, 1 student (White male)", "instances per incident"),
    (
        "A2 (IDEA) referred and arrested (school-related) in one incident",
        "referral: IDEA instance 1, IDEA Black female 1; arrest: the same",
        "every arrest is a referral; one instance of each per incident",
    ),
    (
        "A3 (Section 504 and EL) referred",
        "504-only instance 1; without-disabilities Asian male, 504-only male, EL male",
        "students without disabilities include Section 504 only",
    ),
    (
        "A4 (IDEA and 504) referred",
        "IDEA instance 1; IDEA Hispanic female; no 504-only",
        "504 only excludes IDEA",
    ),
    (
        "A5 (nonbinary, two or more races, EL) arrested, referral left 'not collected'",
        "referral and arrest: Two or more races nonbinary 1, EL nonbinary 1",
        "a school-related arrest is a referral whatever the referral field says",
    ),
    (
        "A6 referred 30 June 2026 23:45 New York (1 July 03:45 UTC)",
        "counted (Black male)",
        "year ends local midnight",
    ),
    ("A7 referred 1 July 2026 00:15 New York", "not counted", "next year"),
    ("A8 referred 30 June 2025 23:59 New York", "not counted", "year before"),
    (
        "A9 referred 1 July 2025 00:01 New York, no summer school",
        "counted (White female)",
        "README: nothing left out",
    ),
    (
        "A10 arrested (school-related) off campus at 21:30 on a Saturday",
        "counted in both measures (White male)",
        "the reporter says the arrest is school-related; no location condition is quoted",
    ),
    (
        "A11 arrested not school-related, referral recorded",
        "referral counted, arrest not",
        "a referral all the same",
    ),
    (
        "A12 arrested not school-related, no referral",
        "not counted",
        "CRDC counts school-related arrests only",
    ),
    ("A13 (pre-K) and a staff member referred", "not counted", "K-12 and ungraded only"),
    ("A14 referred 20 June 2026, date corrected to 2 July 2026", "not counted in 2025-26", "as corrected"),
    ("A15 referred at A, school corrected to C", "counted at C only", "as corrected"),
    (
        "A16 IEP ended 31 December 2025, referred 3 February 2026",
        "without disabilities (White male)",
        "status on the day",
    ),
    (
        "A17 referred at A in October and at C in March",
        "1 student at A and 1 at C; district total 2",
        "students counted once per school; the LEA total is the sum of its schools (README)",
    ),
    ("'U77' and 'u 77' typed (no record), two incidents", "1 student, 2 instances", "same typed ID"),
    ("'AB' typed twice (no record), two incidents", "2 students", "initials cannot be matched"),
    ("A18 listed twice in one incident", "1 instance, 1 student", "one per student per incident"),
    (
        "unidentified student, grade 10",
        "1 student, sex and race not recorded",
        "counted apart from race x sex",
    ),
    (
        "unidentified student, grade unknown",
        "not counted (the grade filter); ambiguous, see the final report",
        "K-12 is unknown for them",
    ),
]


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=NY)


def record(student, **extra):
    return {"kind": "student", "student": student, "role": "offender", **extra}


def typed(sid, grade, sex, race, **extra):
    return {
        "local_id_or_initials": sid,
        "role": "offender",
        "grade": grade,
        "sex": sex,
        "race_ethnicity": race,
        **extra,
    }


REFERRED = {"referred_to_law_enforcement": True}
ARRESTED = {"arrest": "school_related"}


@pytest.fixture
def school_c(district_a):
    return School.objects.create(
        name="Charlie High School", level=Level.HIGH, enrollment=700, district=district_a
    )


@pytest.fixture
def audit(school_a, school_b, school_c, admin_a, log_incident):
    CrdcCollection.objects.create(district=school_a.district, school_year=2025)
    CrdcCollection.objects.create(district=school_b.district, school_year=2025)

    def log(when, *people, school=school_a, **extra):
        return log_incident(
            school=school, reported_by=admin_a, occurred_at=when, people=list(people), **extra
        )

    def student(sid, sex, race, statuses=(), grade="10"):
        return make_student(school_a, sid, sex=sex, race=race, statuses=statuses, grade=grade)

    long_ago = D(2020, 1, 1)
    a1 = student("A1", "M", "white")
    log(at(2025, 10, 6, 10), record(a1, **REFERRED))
    log(at(2025, 11, 10, 10), record(a1, **REFERRED))
    a2 = student("A2", "F", "black", [("idea", long_ago, None)])
    log(at(2025, 10, 7, 10), record(a2, **REFERRED, **ARRESTED))
    a3 = student("A3", "M", "asian", [("504", long_ago, None), ("el", long_ago, None)])
    log(at(2025, 11, 3, 10), record(a3, **REFERRED))
    a4 = student("A4", "F", "hispanic", [("idea", long_ago, None), ("504", long_ago, None)])
    log(at(2025, 12, 1, 10), record(a4, **REFERRED))
    a5 = student("A5", "X", "two_or_more", [("el", long_ago, None)])
    log(at(2026, 1, 12, 10), record(a5, **ARRESTED))
    log(at(2026, 6, 30, 23, 45), record(student("A6", "M", "black"), **REFERRED))
    log(at(2026, 7, 1, 0, 15), record(student("A7", "M", "black"), **REFERRED))
    log(at(2025, 6, 30, 23, 59), record(student("A8", "F", "white"), **REFERRED))
    log(at(2025, 7, 1, 0, 1), record(student("A9", "F", "white"), **REFERRED))
    log(at(2025, 11, 15, 21, 30), record(student("A10", "M", "white"), **ARRESTED), location="off_campus")
    log(at(2025, 11, 17, 10), record(student("A11", "F", "asian"), arrest="other", **REFERRED))
    log(at(2025, 11, 18, 10), record(student("A12", "F", "asian"), arrest="other"))
    log(
        at(2025, 11, 19, 10),
        record(student("A13", "M", "white", grade="PK"), **REFERRED),
        {"kind": "staff", "local_id_or_initials": "T9", "role": "victim", **REFERRED},
    )
    moved_year = log(at(2026, 6, 20, 10), record(student("A14", "M", "white"), **REFERRED))
    correct_incident(
        incident=moved_year, by=admin_a, changes={"occurred_at": at(2026, 7, 2, 10)}, reason="wrong date"
    )
    moved_school = log(at(2026, 2, 2, 10), record(student("A15", "M", "hispanic"), **REFERRED))
    correct_incident(incident=moved_school, by=admin_a, changes={"school": school_c}, reason="wrong school")
    a16 = student("A16", "M", "white", [("idea", long_ago, D(2025, 12, 31))])
    log(at(2026, 2, 3, 10), record(a16, **REFERRED))
    a17 = student("A17", "F", "black")
    log(at(2025, 10, 20, 10), record(a17, **REFERRED))
    log(at(2026, 3, 2, 10), record(a17, **REFERRED), school=school_c)
    log(at(2025, 10, 8, 10), typed("U77", "9", "M", "american_indian", **REFERRED))
    log(at(2025, 10, 9, 10), typed("u 77", "9", "M", "american_indian", **REFERRED))
    log(at(2025, 10, 10, 10), typed("AB", "8", "F", "pacific_islander", **REFERRED))
    log(at(2025, 10, 13, 10), typed("AB", "8", "F", "pacific_islander", **REFERRED))
    a18 = student("A18", "M", "pacific_islander")
    log(at(2025, 10, 14, 10), record(a18, **REFERRED), record(a18, **REFERRED))
    log(
        at(2025, 10, 15, 10),
        {"kind": "student", "unidentified_reason": "ran off", "grade": "10", "role": "offender", **REFERRED},
        {"kind": "student", "unidentified_reason": "ran off", "grade": "", "role": "offender", **REFERRED},
    )
    return [school_a, school_b, school_c]


def _rows(schools):
    report = crdc_law_enforcement(schools=schools, year=2025)
    return {row["school"].name: row["measures"] for row in report["rows"]}


def test_referral_instances_by_disability_group(audit):
    """ARRS-1: "Number of instances of referrals ... for all students in grades K-12 (or the
    ungraded equivalent)"; one per student per incident (README). Hand count at A: IDEA A2,
    A4; 504 only A3; none A1 x2, A5, A6, A9, A10, A11, A16, A17, U77 x2, AB x2, A18 once, the
    unidentified grade-10 student = 15."""
    alpha = _rows(audit)["Alpha High School"]["referral"]
    assert alpha["instances"] == {"idea": 2, "s504": 1, "none": 15}


def test_referral_students_once_per_school_by_race_sex_and_status(audit):
    """Students counted once per school per measure; students without disabilities include
    Section 504 only (ARRS-2/3 as the README lays them out). Hand count at A: 16 students:
    A1 A2 A3 A4 A5 A6 A9 A10 A11 A16 A17 U77 AB AB A18 and the unidentified one."""
    alpha = _rows(audit)["Alpha High School"]["referral"]
    assert alpha["students"] == 16
    assert alpha["unrecorded"] == 1  # the unidentified student: no sex or race
    without = alpha["tables"]["without"]
    expected = {
        "white_M": 3,  # A1 (twice), A10, A16 (IEP ended before)
        "asian_M": 1,  # A3
        "two_or_more_X": 1,  # A5
        "black_M": 1,  # A6
        "white_F": 1,  # A9
        "asian_F": 1,  # A11
        "black_F": 1,  # A17
        "american_indian_M": 1,  # U77 / "u 77"
        "pacific_islander_F": 2,  # two different "AB"
        "pacific_islander_M": 1,  # A18
        "total_M": 7,
        "total_F": 5,
        "total_X": 1,
        "el_M": 1,  # A3
        "el_X": 1,  # A5
        "s504_M": 1,  # A3
    }
    assert {k: v for k, v in without.items() if v} == expected
    idea = alpha["tables"]["idea"]
    assert {k: v for k, v in idea.items() if v} == {"black_F": 1, "hispanic_F": 1, "total_F": 2}


def test_arrests_are_school_related_ones_wherever_they_happened(audit):
    """ "All arrests are referrals" and the arrests table counts school-related arrests only
    (README). Hand count at A: A2 (IDEA), A5 and A10 (off campus, late evening); A11 and A12
    were arrests not school-related."""
    arrest = _rows(audit)["Alpha High School"]["arrest"]
    assert arrest["instances"] == {"idea": 1, "s504": 0, "none": 2}
    assert arrest["students"] == 3
    assert {k: v for k, v in arrest["tables"]["without"].items() if v} == {
        "two_or_more_X": 1,
        "white_M": 1,
        "total_X": 1,
        "total_M": 1,
        "el_X": 1,
    }
    assert {k: v for k, v in arrest["tables"]["idea"].items() if v} == {"black_F": 1, "total_F": 1}


def test_corrections_and_a_change_of_school_count_where_the_incident_now_is(audit):
    """A15's incident was corrected to Charlie; A17 was referred at both schools. Hand count at
    C: 2 students, 2 instances without disabilities; district A's total: 16 + 2 = 18 students
    (the sum of its schools, README "District total"); A14's incident moved to 2026-27."""
    rows = _rows(audit)
    charlie = rows["Charlie High School"]["referral"]
    assert (charlie["students"], charlie["instances"]["none"]) == (2, 2)
    assert {k: v for k, v in charlie["tables"]["without"].items() if v and not k.startswith("total")} == {
        "hispanic_M": 1,
        "black_F": 1,
    }
    lea = next(lea for lea in crdc_by_lea(schools=audit, year=2025) if lea["district"] == audit[0].district)
    assert lea["report"]["total"]["referral"]["students"] == 18
    next_year = crdc_law_enforcement(schools=[audit[0]], year=2026)["rows"][0]["measures"]["referral"]
    assert next_year["students"] is None  # 2026-27 undeclared: blank, A7 and A14 not shown as 0
    CrdcCollection.objects.create(district=audit[0].district, school_year=2026)
    next_year = crdc_law_enforcement(schools=[audit[0]], year=2026)["rows"][0]["measures"]["referral"]
    assert next_year["students"] == 2  # A7 (1 July 00:15) and A14 (corrected to 2 July)


def test_a_district_that_did_not_declare_is_blank_even_where_it_had_referrals(
    audit, school_b, log_incident, admin_b
):
    """'Do not report a "0" for data not collected. Leave a field blank if the LEA does not
    collect data for that field' — Bravo's LEA declared 2025 but not 2024."""
    log_incident(
        school=school_b,
        reported_by=admin_b,
        occurred_at=at(2025, 3, 3, 10),
        people=[typed("B5", "7", "M", "white", **REFERRED)],
    )
    bravo = crdc_law_enforcement(schools=[school_b], year=2024)["rows"][0]["measures"]["referral"]
    assert bravo["students"] is None
    assert set(bravo["instances"].values()) == {None}


def test_the_csv_says_what_the_page_says(audit, coordinator_client):
    """Every cell of every table of the page (each LEA's schools and its "District total") is
    the CSV's cell, blank for blank and 0 for 0."""
    url = reverse("incidents:crdc_report")
    page = coordinator_client.get(url, {"year": 2025}).text
    on_page = []
    for section in page.split("<h2")[1:]:
        lines: dict[str, list[str]] = {}
        for name, cells in re.findall(r'<tr><th scope="row">([^<]+)</th>((?:<td>[^<]*</td>)*)</tr>', section):
            lines.setdefault(name, []).extend(re.findall(r"<td>([^<]*)</td>", cells))
        on_page += [[name, *cells] for name, cells in lines.items()]
    response = coordinator_client.get(url, {"year": 2025, "format": "csv"})
    in_csv = [row[2:] for row in csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))][1:]
    assert [row[0] for row in in_csv] == [
        "Alpha High School",
        "Charlie High School",
        "District total",
        "Bravo Middle School",
        "District total",
    ]
    assert on_page == in_csv
    alpha = dict(zip([label for _, label in crdc_columns()], in_csv[0][1:], strict=True))
    assert alpha["Referrals to law enforcement: students (all)"] == "16"
