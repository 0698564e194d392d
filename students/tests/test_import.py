"""The OneRoster import (students.services.import_roster): validation, idempotency, changes,
full and partial imports, both versions' headers, the race roll-up and the statuses reaching
incidents' people."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from students.models import Enrollment, RaceEthnicity, RosterImport, Student, StudentStatus

from .roster_files import TODAY, roster, run, student

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_day")]


def test_first_import_creates_students_with_their_school_grade_and_demographics(district_a, schools):
    result = run(district_a, roster([student(1), student(2, org="org-b", grade="KG")]))
    assert result.applied and result.errors == []
    assert result.counts == {"new": 2, "changed": 0, "unchanged": 0, "inactivated": 0, "errors": 0}
    assert result.version == "1.1"
    one = Student.objects.get(sourced_id="stu-1")
    assert (one.local_id, one.first_name, one.last_name, one.grade) == ("100001", "Given1", "Family1", "9")
    assert one.grades == {"2026": "9"}
    assert (one.sex, one.race_ethnicity, one.date_of_birth) == ("F", "white", datetime.date(2010, 3, 4))
    assert list(Enrollment.objects.filter(student=one).values_list("school", "begin_date", "end_date")) == [
        (schools[0].pk, TODAY, None)
    ]
    assert Student.objects.get(sourced_id="stu-2").grade == "K"
    assert not Student.objects.filter(sourced_id="t-1").exists()  # the teacher


def test_the_same_set_twice_changes_nothing(district_a, schools):
    files = roster([student(n) for n in range(5)], programs=[{"sourcedId": "stu-1", "program": "idea"}])
    run(district_a, files)
    before = list(Student.objects.values("pk", "updated_at"))
    again = run(district_a, files)
    assert again.counts == {"new": 0, "changed": 0, "unchanged": 5, "inactivated": 0, "errors": 0}
    assert list(Student.objects.values("pk", "updated_at")) == before
    assert Enrollment.objects.count() == 5 and StudentStatus.objects.count() == 1


def test_changed_rows_are_updated_and_counted(district_a, schools):
    run(district_a, roster([student(1), student(2), student(3)]))
    files = roster([student(1, familyName="Renamed"), student(2, sex="other"), student(3)])
    dry = run(district_a, files, dry_run=True)
    assert dry.counts == {"new": 0, "changed": 2, "unchanged": 1, "inactivated": 0, "errors": 0}
    assert Student.objects.get(sourced_id="stu-1").last_name == "Family1"  # a dry run writes nothing
    result = run(district_a, files)
    assert result.counts["changed"] == 2
    assert Student.objects.get(sourced_id="stu-1").last_name == "Renamed"
    assert Student.objects.get(sourced_id="stu-2").sex == "X"


def test_a_change_of_school_ends_one_enrolment_and_starts_another(district_a, schools):
    run(district_a, roster([student(1)]))
    with time_machine.travel(datetime.datetime(2026, 11, 2, 12, tzinfo=datetime.UTC), tick=False):
        result = run(district_a, roster([student(1, org="org-b")]))
    assert result.counts["changed"] == 1
    periods = list(Enrollment.objects.order_by("begin_date").values_list("school", "begin_date", "end_date"))
    assert periods == [
        (schools[0].pk, TODAY, datetime.date(2026, 11, 1)),
        (schools[1].pk, datetime.date(2026, 11, 2), None),
    ]


def test_enrollments_csv_gives_the_school_periods(district_a, schools):
    rows = [
        {"sourcedId": "e1", "classSourcedId": "c1", "schoolSourcedId": "org-a", "userSourcedId": "stu-1",
         "role": "student", "beginDate": "2026-09-02", "endDate": "2027-06-25"},
        {"sourcedId": "e2", "classSourcedId": "c2", "schoolSourcedId": "org-a", "userSourcedId": "stu-1",
         "role": "student", "beginDate": "2026-09-01", "endDate": "2027-01-20"},
        {"sourcedId": "e3", "classSourcedId": "c2", "schoolSourcedId": "org-a", "userSourcedId": "t-1",
         "role": "teacher", "beginDate": "2026-09-01"},
    ]  # fmt: skip
    run(district_a, roster([student(1)], enrollments=rows))
    assert list(Enrollment.objects.values_list("school", "begin_date", "end_date")) == [
        (schools[0].pk, datetime.date(2026, 9, 1), datetime.date(2027, 6, 25))
    ]
    assert run(district_a, roster([student(1)], enrollments=rows)).counts["unchanged"] == 1


def test_students_missing_from_a_full_import_are_marked_inactive_and_kept(district_a, schools):
    run(district_a, roster([student(1), student(2)]))
    result = run(district_a, roster([student(1)]))
    assert result.counts == {"new": 0, "changed": 0, "unchanged": 1, "inactivated": 1, "errors": 0}
    gone = Student.objects.get(sourced_id="stu-2")
    assert gone.active is False
    assert gone.enrollments.get().end_date == TODAY  # enrolled today, left today
    assert run(district_a, roster([student(1)])).counts["inactivated"] == 0  # already inactive
    back = run(district_a, roster([student(1), student(2)]))
    assert back.counts["changed"] == 1 and Student.objects.get(sourced_id="stu-2").active


def test_a_partial_import_leaves_the_other_students_alone(district_a, schools):
    run(district_a, roster([student(1), student(2)]))
    result = run(district_a, roster([student(2, givenName="Changed"), student(3)]), full=False)
    assert result.counts == {"new": 1, "changed": 1, "unchanged": 0, "inactivated": 0, "errors": 0}
    assert Student.objects.get(sourced_id="stu-1").active
    assert Student.objects.count() == 3


def test_tobedeleted_status_inactivates_in_a_partial_import(district_a, schools):
    run(district_a, roster([student(1), student(2)]))
    result = run(district_a, roster([student(1, status="tobedeleted")]), full=False)
    assert result.counts["inactivated"] == 1
    assert not Student.objects.get(sourced_id="stu-1").active
    assert Student.objects.get(sourced_id="stu-2").active


def test_oneroster_12_headers_and_roles(district_a, schools):
    files = roster([student(1), student(2, org="org-b", beginDate="2026-09-03")], version="1.2")
    assert "role" not in files["users.csv"].decode().splitlines()[0].split(",")
    result = run(district_a, files)
    assert result.version == "1.2" and result.counts["new"] == 2, result.errors
    two = Student.objects.get(sourced_id="stu-2")
    assert list(two.enrollments.values_list("school", "begin_date", "end_date")) == [
        (schools[1].pk, datetime.date(2026, 9, 3), None)
    ]
    assert run(district_a, files).counts["unchanged"] == 2


def test_a_12_set_without_roles_is_refused(district_a, schools):
    files = roster([student(1)], version="1.2", manifest=False)  # a manifest would list roles.csv
    del files["roles.csv"]
    result = run(district_a, files)
    assert result.errors == [
        {
            "file": "roles.csv",
            "line": 0,
            "reason": "a OneRoster 1.2 set (users.csv without “role”) needs roles.csv",
        }
    ]


BAD_ROWS = [
    # (what, a student's fields, the file, the reason)
    ("unknown school org", {"org": "org-x"}, "users.csv", "unknown org “org-x”: not in orgs.csv"),
    (
        "bad birth date",
        {"birthDate": "2010-13-01"},
        "demographics.csv",
        "birthDate “2010-13-01” is not a date",
    ),
    ("unknown grade", {"grades": "14"}, "users.csv", "unknown grade “14”"),
    ("bad flag", {"asian": "yes"}, "demographics.csv", "asian “yes” is not true or false"),
    ("bad sex", {"sex": "M"}, "demographics.csv", "sex “M” is not male, female, other or unspecified"),
    ("empty name", {"familyName": ""}, "users.csv", "empty familyName"),
    ("line break in a name", {"givenName": "A\nB"}, "users.csv", "givenName holds a line break"),
    ("bad status", {"status": "gone"}, "users.csv", "status “gone” is not active or tobedeleted"),
    ("bad modified", {"dateLastModified": "yesterday"}, "users.csv", "dateLastModified “yesterday”"),
]


@pytest.mark.parametrize("what, fields, file, reason", BAD_ROWS, ids=[r[0] for r in BAD_ROWS])
def test_a_bad_row_is_listed_and_nothing_is_imported(district_a, schools, what, fields, file, reason):
    result = run(district_a, roster([student(1), student(2, **fields)]))
    assert not result.applied and result.counts["errors"] == 1
    [error] = result.errors
    assert error["file"] == file and error["line"] == 3 and error["reason"].startswith(reason), error
    assert not Student.objects.exists() and not Enrollment.objects.exists()
    assert RosterImport.objects.get() == result


def test_duplicates_and_a_school_without_our_identifier_are_listed(district_a, schools):
    files = roster(
        [student(1), student(2, sourcedId="stu-1"), student(3, identifier="100001"), student(4, org="org-c")],
        orgs=(("org-a", "A-100"), ("org-b", "B-200"), ("org-c", "C-300")),
        demographics=False,
    )
    result = run(district_a, files)
    assert [(e["file"], e["line"], e["reason"]) for e in result.errors] == [
        ("users.csv", 3, "duplicate sourcedId “stu-1” (also on line 2)"),
        ("users.csv", 4, "duplicate identifier “100001” (also on line 2)"),
        (
            "users.csv",
            5,
            "unknown school org “org-c” (identifier “C-300”): no school of this district has that "
            "SIS identifier",
        ),
    ]
    assert not Student.objects.exists()


def test_a_missing_required_column_is_listed(district_a, schools):
    files = roster([student(1)])
    files["users.csv"] = files["users.csv"].replace(b"familyName", b"lastName", 1)
    result = run(district_a, files)
    assert {"file": "users.csv", "line": 1, "reason": "missing required column “familyName”"} in result.errors
    assert not Student.objects.exists()


def test_a_local_id_held_by_a_student_left_out_is_refused_but_a_swap_is_fine(district_a, schools):
    run(district_a, roster([student(1), student(2)]))
    clash = run(district_a, roster([student(3, identifier="100001")]), full=False)
    assert clash.errors[0]["reason"].startswith("identifier “100001” is the local ID of another student")
    swap = run(district_a, roster([student(1, identifier="100002"), student(2, identifier="100001")]))
    assert swap.applied and swap.counts["changed"] == 2
    assert Student.objects.get(sourced_id="stu-1").local_id == "100002"


RACES = [
    # (flags, Hispanic, expected roll-up, why)
    ({"white": "true"}, "false", RaceEthnicity.WHITE, "one race"),
    ({"white": "true", "asian": "true"}, "false", RaceEthnicity.TWO_OR_MORE, "two races reported"),
    (
        {"white": "false", "demographicRaceTwoOrMoreRaces": "true"},
        "",
        RaceEthnicity.TWO_OR_MORE,
        "the flag alone",
    ),
    (
        {"blackOrAfricanAmerican": "true", "white": "true"},
        "true",
        RaceEthnicity.HISPANIC,
        "Hispanic comes first",
    ),
    ({"white": ""}, "", "", "nothing reported"),
]


@pytest.mark.parametrize("flags, hispanic, expected, why", RACES, ids=[r[3] for r in RACES])
def test_race_roll_up(district_a, schools, flags, hispanic, expected, why):
    run(district_a, roster([student(1, **flags, hispanicOrLatinoEthnicity=hispanic)]))
    assert Student.objects.get().race_ethnicity == expected


def test_programs_with_dates_reach_the_incident_people_on_their_dates(district_a, schools, admin_a):
    from incidents.defaults import install_defaults
    from incidents.models import Incident, IncidentCategory, IncidentPerson, PersonRole, Threshold

    install_defaults(IncidentCategory, Threshold)
    run(district_a, roster([student(1)]))
    pupil = Student.objects.get()

    def person_on(day):
        incident = Incident.objects.create(
            school=schools[0],
            reported_by=admin_a,
            occurred_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10))),
            location="hallway",
            category=IncidentCategory.objects.first(),
            description="x",
            table_level=1,
            level=1,
        )
        return IncidentPerson.objects.create(incident=incident, student=pupil, role=PersonRole.OFFENDER)

    before, after = person_on(datetime.date(2026, 9, 10)), person_on(datetime.date(2026, 10, 1))
    programs = [
        {"sourcedId": "stu-1", "program": "504", "startDate": "2026-09-20", "stateId": "NY123"},
        {"sourcedId": "stu-1", "program": "el", "startDate": "2025-09-01", "endDate": "2026-09-15"},
    ]
    result = run(district_a, roster([student(1, white="false", asian="true")], programs=programs))
    assert result.counts["changed"] == 1
    before.refresh_from_db()
    after.refresh_from_db()
    assert (before.section_504, before.english_learner, before.race_ethnicity) == (False, True, "asian")
    assert (after.section_504, after.english_learner, after.grade) == (True, False, "9")
    assert Student.objects.get().state_id == "NY123"


def _queries(district, n, start):
    files = roster(
        [student(start + i, org="org-a" if i % 2 else "org-b") for i in range(n)],
        programs=[{"sourcedId": f"stu-{start + i}", "program": "idea"} for i in range(0, n, 3)],
    )
    with CaptureQueriesContext(connection) as first:
        run(district, files)
    changed = files | roster(
        [student(start + i, org="org-b" if i % 2 else "org-a", grade="10") for i in range(n)], manifest=False
    )
    with CaptureQueriesContext(connection) as second:
        result = run(district, changed)
    assert result.counts["changed"] == n
    return len(first), len(second)


def test_the_number_of_queries_does_not_grow_with_the_students(district_a, schools):
    from schools.models import District, Level, School

    other = District.objects.create(name="Other district")
    School.objects.create(name="O1", level=Level.HIGH, district=other, sis_identifier="A-100")
    School.objects.create(name="O2", level=Level.HIGH, district=other, sis_identifier="B-200")
    # SQLite takes at most 999 parameters a statement, so Django cuts its batches at about 60
    # students (15 columns); PostgreSQL's are BATCH (1,000) rows.
    n = 50 if connection.vendor == "postgresql" else 20
    assert _queries(district_a, n, 0) == _queries(other, 3 * n, 1000)
