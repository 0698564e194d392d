"""The CRDC tables read students from their records: statuses on the incident's date, the
grade of that school year, one student whatever was typed. School year 2025-26, New York,
declared collected. Every expected cell was counted by hand from the students below."""

import datetime
import zoneinfo

import pytest

from conftest import make_student
from incidents.models import CrdcCollection
from incidents.reports import crdc_law_enforcement
from students.models import StudentStatus
from students.services import sync_involvements

pytestmark = pytest.mark.django_db
NY = zoneinfo.ZoneInfo("America/New_York")
D = datetime.date

# (case, expected cell, why)
CASES = [
    (
        "R1 has an IEP (IDEA) from 1 Sep to 31 Dec 2025; referred 1 Oct 2025 and 2 Feb 2026",
        "instances IDEA = 1 and without disabilities = 1; students IDEA Hispanic male = 1",
        "each instance is split by the status on its date; the student is counted once",
    ),
    (
        "R2 has IDEA and a 504 plan, both current; referred",
        "instances IDEA +1, 504-only 0; students IDEA White female = 1, 504-only column 0",
        "CRDC: Section 504 only excludes students with IDEA",
    ),
    (
        "R3 is an English learner from 1 Mar 2026; referred 15 Jan 2026",
        "students without disabilities Black female = 1; EL female = 0",
        "EL status is the one on the incident's date",
    ),
    (
        "R4 referred in two incidents (one student record)",
        "instances without disabilities +2; students Asian male = 1",
        "one student record, however the ID was typed",
    ),
    (
        "R5 and R6, two different students both named 'J. D.'",
        "students without disabilities Asian female = 2",
        "two records are two students, whatever their initials",
    ),
    (
        "R7 was in grade 12 in 2025-26, in adult education now",
        "students without disabilities White male = 1",
        "the grade of the incident's school year (K-12 counts; adult education would not)",
    ),
]


def at(*args):
    return datetime.datetime(*args, tzinfo=NY)


@pytest.fixture
def report(school_a, admin_a, log_incident):
    CrdcCollection.objects.create(school_year=2025)
    r1 = make_student(
        school_a, "R1", sex="M", race="hispanic", statuses=[("idea", D(2025, 9, 1), D(2025, 12, 31))]
    )
    r2 = make_student(
        school_a,
        "R2",
        sex="F",
        race="white",
        statuses=[("idea", D(2020, 1, 1), None), ("504", D(2021, 1, 1), None)],
    )
    r3 = make_student(school_a, "R3", sex="F", race="black", statuses=[("el", D(2026, 3, 1), None)])
    r4 = make_student(school_a, "R4", sex="M", race="asian")
    r5 = make_student(school_a, "R5", first="J.", last="D.", sex="F", race="asian")
    r6 = make_student(school_a, "R6", first="J.", last="D.", sex="F", race="asian")
    r7 = make_student(school_a, "R7", sex="M", race="white", grade="AE", grades={"2025": "12", "2026": "AE"})

    def referred(student, when):
        log_incident(
            school=school_a,
            reported_by=admin_a,
            occurred_at=when,
            people=[
                {
                    "kind": "student",
                    "student": student,
                    "role": "offender",
                    "referred_to_law_enforcement": True,
                }
            ],
        )

    referred(r1, at(2025, 10, 1, 10))
    referred(r1, at(2026, 2, 2, 10))
    referred(r2, at(2025, 11, 3, 9))
    referred(r3, at(2026, 1, 15, 9))
    referred(r4, at(2025, 11, 10, 9))
    referred(r4, at(2025, 12, 10, 9))
    referred(r5, at(2026, 4, 1, 9))
    referred(r6, at(2026, 4, 2, 9))
    referred(r7, at(2026, 5, 5, 9))
    return lambda: crdc_law_enforcement(schools=[school_a], year=2025)["rows"][0]["measures"]["referral"]


def test_instances_follow_each_incidents_status(report):
    cells = report()
    # R1 IDEA (Oct) + R2 IDEA; R1 (Feb), R3, R4 x2, R5, R6, R7 without disabilities.
    assert cells["instances"] == {"idea": 2, "none": 7, "s504": 0}
    assert cells["students"] == 7


def test_students_are_counted_once_by_their_record(report):
    idea, without = report()["tables"]["idea"], report()["tables"]["without"]
    assert idea["hispanic_M"] == 1 and idea["white_F"] == 1 and idea["total_M"] + idea["total_F"] == 2
    assert without["black_F"] == 1 and without["el_F"] == 0
    assert without["asian_M"] == 1  # R4, referred twice
    assert without["asian_F"] == 2  # R5 and R6, both "J. D."
    assert without["white_M"] == 1  # R7, grade 12 that year
    assert without["s504_F"] == 0  # R2's 504 plan does not count: R2 has IDEA


def test_a_status_recorded_later_in_the_sis_reaches_the_report(report):
    r3 = StudentStatus.objects.get(student__local_id="R3").student
    StudentStatus.objects.create(student=r3, program="el", start_date=D(2025, 9, 1), end_date=D(2026, 2, 28))
    sync_involvements([r3.pk])
    assert report()["tables"]["without"]["el_F"] == 1
