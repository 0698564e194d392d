"""The import as a district's data manager breaks it: re-imports after the SIS changed a
student, students who leave or move, demographics by the OneRoster vocabulary, malformed
files, two districts with the same sourcedIds, and what an error may say. Every set is built
here as the SIS would write it (students.tests.roster_files)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from incidents.models import CrdcCollection, IncidentPerson, ThreatAssessment
from incidents.reports import crdc_law_enforcement
from students.models import Enrollment, RaceEthnicity, RosterImport, Student

from .roster_files import DEMOGRAPHICS, TODAY, roster, run, student

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_day")]
NY = zoneinfo.ZoneInfo("America/New_York")


def refer(log_incident, *, school, by, pupil, when):
    return log_incident(
        school=school,
        reported_by=by,
        occurred_at=when,
        people=[
            {"kind": "student", "student": pupil, "role": "offender", "referred_to_law_enforcement": True}
        ],
    )


# --- 1. Re-imports ------------------------------------------------------------------------------


def test_the_sis_changing_everything_but_the_sourced_id_updates_the_same_record(
    district_a, schools, admin_a, log_incident
):
    run(district_a, roster([student(1)]))
    pupil = Student.objects.get()
    incident = refer(log_incident, school=schools[0], by=admin_a, pupil=pupil, when=timezone.now())
    threat = ThreatAssessment.objects.create(
        school=schools[0],
        student=pupil.local_id,
        student_record=pupil,
        reported_on=TODAY,
        threat="x",
        created_by=admin_a,
    )
    changed = student(
        1,
        identifier="NEW-77",
        givenName="Other",
        familyName="Name",
        grades="10",
        org="org-b",
        sex="male",
        white="false",
        blackOrAfricanAmerican="true",
        birthDate="2009-01-02",
    )
    with time_machine.travel(datetime.datetime(2026, 11, 2, 12, tzinfo=datetime.UTC), tick=False):
        result = run(district_a, roster([changed]))
    assert result.counts == {"new": 0, "changed": 1, "unchanged": 0, "inactivated": 0, "errors": 0}
    same = Student.objects.get()
    assert same.pk == pupil.pk
    assert (same.local_id, same.first_name, same.last_name, same.grade, same.sex, same.race_ethnicity) == (
        "NEW-77",
        "Other",
        "Name",
        "10",
        "M",
        "black",
    )
    assert same.date_of_birth == datetime.date(2009, 1, 2)
    # Its history follows the record, not the ID typed then.
    person = IncidentPerson.objects.get(incident=incident)
    assert person.student_id == pupil.pk and person.identifier == "NEW-77"
    assert (person.sex, person.race_ethnicity, person.grade) == ("M", "black", "10")
    assert same.police_contacts.get().person == person
    assert same.threat_assessments.get() == threat
    assert list(same.enrollments.order_by("begin_date").values_list("school", "end_date")) == [
        (schools[0].pk, datetime.date(2026, 11, 1)),
        (schools[1].pk, None),
    ]


def test_after_two_students_swap_local_ids_the_threat_list_shows_each_ones_new_id(
    district_a, schools, admin_a, admin_a_client
):
    from django.urls import reverse

    run(district_a, roster([student(1), student(2)]))
    one = Student.objects.get(sourced_id="stu-1")
    ThreatAssessment.objects.create(
        school=schools[0],
        student=one.local_id,
        student_record=one,
        reported_on=TODAY,
        threat="x",
        created_by=admin_a,
    )
    assert '<td data-label="Student">100001</td>' in admin_a_client.get(reverse("incidents:threat_list")).text
    run(district_a, roster([student(1, identifier="100002"), student(2, identifier="100001")]))
    page = admin_a_client.get(reverse("incidents:threat_list")).text
    # 100001 is now the other student's ID: the row must not point at them.
    assert (
        '<td data-label="Student">100002</td>' in page and '<td data-label="Student">100001</td>' not in page
    )


def test_a_student_is_matched_by_sourced_id_never_by_local_id_or_name(district_a, schools):
    run(district_a, roster([student(1)]))
    # The SIS re-keyed the student: same local ID and name, new sourcedId. It is a new student,
    # and the local ID is still held by the old record, so the set is refused, not merged.
    result = run(district_a, roster([student(1, sourcedId="stu-1-new")]), full=False)
    assert result.errors[0]["reason"].startswith("identifier “100001” is the local ID of another student")
    assert Student.objects.get().sourced_id == "stu-1"


# --- 2. Students who leave ----------------------------------------------------------------------


def test_a_student_who_left_is_kept_and_still_counted_in_the_past_years_report(
    district_a, schools, admin_a, log_incident
):
    CrdcCollection.objects.create(school_year=2025, district=district_a)
    with time_machine.travel(datetime.datetime(2025, 9, 1, 12, tzinfo=datetime.UTC), tick=False):
        run(district_a, roster([student(1, grades="11"), student(2)]))
    pupil = Student.objects.get(sourced_id="stu-1")
    refer(
        log_incident,
        school=schools[0],
        by=admin_a,
        pupil=pupil,
        when=datetime.datetime(2026, 3, 2, 10, tzinfo=NY),
    )

    def referrals():
        return crdc_law_enforcement(schools=[schools[0]], year=2025)["rows"][0]["measures"]["referral"]

    before = referrals()
    assert before["students"] == 1 and before["tables"]["without"]["white_F"] == 1
    # This year: left in the summer (missing from the full export), then marked tobedeleted.
    result = run(district_a, roster([student(2)]))
    assert result.counts["inactivated"] == 1 and Student.objects.filter(pk=pupil.pk, active=False).exists()
    assert run(district_a, roster([student(1, status="tobedeleted"), student(2)])).applied
    assert referrals() == before
    person = IncidentPerson.objects.get(student=pupil)
    assert person.grade == "11"  # the grade of 2025-26, not the current year's


def test_a_leavers_programs_stay_when_the_programs_file_no_longer_lists_them(
    district_a, schools, admin_a, log_incident
):
    """The SIS's program export lists its current students; a student marked tobedeleted is
    not in it. Their IEP of last year must still make last year's referral an IDEA one."""
    CrdcCollection.objects.create(school_year=2025, district=district_a)
    programs = [{"sourcedId": "stu-1", "program": "idea", "startDate": "2024-09-01"}]
    with time_machine.travel(datetime.datetime(2025, 9, 1, 12, tzinfo=datetime.UTC), tick=False):
        run(district_a, roster([student(1), student(2)], programs=programs))
    pupil = Student.objects.get(sourced_id="stu-1")
    refer(
        log_incident,
        school=schools[0],
        by=admin_a,
        pupil=pupil,
        when=datetime.datetime(2026, 3, 2, 10, tzinfo=NY),
    )

    def idea_instances():
        return crdc_law_enforcement(schools=[schools[0]], year=2025)["rows"][0]["measures"]["referral"][
            "instances"
        ]

    assert idea_instances()["idea"] == 1
    result = run(district_a, roster([student(1, status="tobedeleted"), student(2)], programs=[]))
    assert result.counts["inactivated"] == 1
    assert list(pupil.statuses.values_list("program", "start_date", "end_date")) == [
        ("idea", datetime.date(2024, 9, 1), None)
    ]
    assert idea_instances()["idea"] == 1
    # Rows the file does give for a leaver are still applied (a correction).
    ended = [{"sourcedId": "stu-1", "program": "idea", "startDate": "2024-09-01", "endDate": "2026-06-30"}]
    run(district_a, roster([student(1, status="tobedeleted"), student(2)], programs=ended))
    assert pupil.statuses.get().end_date == datetime.date(2026, 6, 30)


def test_tobedeleted_in_a_12_partial_import_marks_the_student_inactive(district_a, schools):
    """A OneRoster 1.2 SIS marks a leaver's user and role rows tobedeleted together."""
    run(district_a, roster([student(1), student(2)], version="1.2"))
    files = roster([student(1, status="tobedeleted")], version="1.2")
    files["roles.csv"] = files["roles.csv"].replace(b"role-stu-1,,", b"role-stu-1,tobedeleted,", 1)
    result = run(district_a, files, full=False)
    assert result.errors == [] and result.counts["inactivated"] == 1, result.counts
    assert not Student.objects.get(sourced_id="stu-1").active
    assert Enrollment.objects.get(student__sourced_id="stu-1").end_date == TODAY


def test_an_enrolment_the_sis_ended_ends_here_and_the_student_stays(district_a, schools):
    rows = [
        {"sourcedId": "e1", "classSourcedId": "c1", "schoolSourcedId": "org-a", "userSourcedId": "stu-1",
         "role": "student", "beginDate": "2026-09-01", "endDate": ""},
    ]  # fmt: skip
    run(district_a, roster([student(1)], enrollments=rows))
    rows[0]["endDate"] = "2026-09-30"
    result = run(district_a, roster([student(1)], enrollments=rows))
    assert result.counts["changed"] == 1
    pupil = Student.objects.get()
    assert pupil.active
    assert list(pupil.enrollments.values_list("begin_date", "end_date")) == [
        (datetime.date(2026, 9, 1), datetime.date(2026, 9, 30))
    ]
    assert not Student.objects.enrolled_at(schools[0]).exists()
    assert Student.objects.enrolled_at(schools[0], datetime.date(2026, 9, 15)).get() == pupil


# --- 3. A move mid-year -------------------------------------------------------------------------


def test_past_incidents_stay_at_the_school_where_they_happened_after_a_move(
    district_a, schools, admin_a, log_incident
):
    CrdcCollection.objects.create(school_year=2026, district=district_a)
    run(district_a, roster([student(1)]))
    pupil = Student.objects.get()
    refer(log_incident, school=schools[0], by=admin_a, pupil=pupil, when=timezone.now())
    with time_machine.travel(datetime.datetime(2027, 1, 4, 12, tzinfo=datetime.UTC), tick=False):
        run(district_a, roster([student(1, org="org-b")]))
    rows = {r["school"].pk: r for r in crdc_law_enforcement(schools=schools, year=2026)["rows"]}
    assert rows[schools[0].pk]["measures"]["referral"]["students"] == 1
    assert rows[schools[1].pk]["measures"]["referral"]["students"] == 0


# --- 4. Demographics ----------------------------------------------------------------------------

RACES = [
    # (flags, expected, why)
    ({"white": "TRUE"}, RaceEthnicity.WHITE, "true in capitals"),
    ({"white": "True", "asian": "true"}, RaceEthnicity.TWO_OR_MORE, "two races, the two-or-more flag false"),
    (
        {"white": "true", "asian": "true", "demographicRaceTwoOrMoreRaces": "false"},
        RaceEthnicity.TWO_OR_MORE,
        "the flag says false but two races are true",
    ),
    ({"white": "false", "hispanicOrLatinoEthnicity": "TRUE"}, RaceEthnicity.HISPANIC, "Hispanic, no race"),
    ({"white": "", "hispanicOrLatinoEthnicity": ""}, "", "all blank: not recorded"),
    ({"white": "false", "hispanicOrLatinoEthnicity": "false"}, "", "all false: not recorded"),
]


@pytest.mark.parametrize("flags, expected, why", RACES, ids=[r[2] for r in RACES])
def test_race_columns_by_the_spec(district_a, schools, flags, expected, why):
    assert run(district_a, roster([student(1, **flags)])).applied
    assert Student.objects.get().race_ethnicity == expected


@pytest.mark.parametrize(
    "value, expected",
    [("male", "M"), ("female", "F"), ("other", "X"), ("unspecified", ""), ("", ""), ("Female", "F")],
)
def test_the_specs_sex_values(district_a, schools, value, expected):
    """OneRoster's sex is optional: a student without one is "not recorded" (counted in the
    CRDC's students (all) column), not a reason to refuse the district's import; its values
    are read in any case, as the race flags are."""
    result = run(district_a, roster([student(1, sex=value)]))
    assert result.applied, result.errors
    assert Student.objects.get().sex == expected


@pytest.mark.parametrize("sex", ["unspecified", ""])
def test_a_student_without_a_recorded_sex_is_counted_in_students_all_not_in_a_cell(
    district_a, schools, admin_a, log_incident, sex
):
    CrdcCollection.objects.create(school_year=2026, district=district_a)
    run(district_a, roster([student(1, sex=sex)]))
    refer(log_incident, school=schools[0], by=admin_a, pupil=Student.objects.get(), when=timezone.now())
    cells = crdc_law_enforcement(schools=[schools[0]], year=2026)["rows"][0]["measures"]["referral"]
    assert (cells["students"], cells["unrecorded"]) == (1, 1)
    assert not any(cells["tables"]["without"].values())


@pytest.mark.parametrize("value", ["03/04/2010", "2010-3-4", "20100304", "2010-02-30"])
def test_a_birth_date_in_another_format_is_refused_with_its_line(district_a, schools, value):
    result = run(district_a, roster([student(1), student(2, birthDate=value)]))
    assert result.errors == [
        {"file": "demographics.csv", "line": 3, "reason": f"birthDate “{value}” is not a date (YYYY-MM-DD)"}
    ]
    assert not Student.objects.exists()


# --- 5. Malformed files -------------------------------------------------------------------------


def test_a_bom_crlf_and_quoted_commas_and_line_breaks_are_read(district_a, schools):
    files = roster([student(1, familyName="O'Neil, Jr."), student(2)])
    files = {name: b"\xef\xbb\xbf" + data for name, data in files.items()}
    assert b"\r\n" in files["users.csv"] and b'"O\'Neil, Jr."' in files["users.csv"]
    # A line break inside a quoted field the import does not store (an org's name).
    files["orgs.csv"] = files["orgs.csv"].replace(b"School A-100", b'"School\r\nA-100"', 1)
    result = run(district_a, files)
    assert result.applied and result.counts["new"] == 2, result.errors
    assert Student.objects.get(sourced_id="stu-1").last_name == "O'Neil, Jr."


def test_a_row_after_a_quoted_line_break_is_reported_at_its_own_line(district_a, schools):
    files = roster([student(1, givenName="A\nB"), student(2, grades="14")])
    result = run(district_a, files)
    # users.csv: header (1), stu-1 spans lines 2-3, stu-2 starts on line 4.
    assert [(e["line"], e["reason"].split(" ")[0]) for e in result.errors] == [
        (2, "givenName"),
        (4, "unknown"),
    ]


def test_an_empty_users_file_is_an_error_not_a_district_without_students(district_a, schools):
    run(district_a, roster([student(1), student(2)]))
    files = roster([student(1)])
    files["users.csv"] = b""
    result = run(district_a, files)
    assert result.errors == [{"file": "users.csv", "line": 1, "reason": "the file is empty (no header line)"}]
    assert Student.objects.filter(active=True).count() == 2


def test_a_full_import_of_a_users_file_without_students_is_refused(district_a, schools):
    """A header-only users.csv (an export that failed half-way) would mark every student of the
    district inactive and end every enrolment."""
    run(district_a, roster([student(1), student(2)]))
    result = run(district_a, roster([]))
    assert not result.applied
    assert result.errors == [
        {
            "file": "users.csv",
            "line": 0,
            "reason": "no students in users.csv: a full import would mark every student of the district "
            "inactive. Check the export, or import it as a partial import.",
        }
    ]
    assert Student.objects.filter(active=True).count() == 2
    assert run(district_a, roster([]), full=False).applied  # a partial import of nothing changes nothing


def test_an_org_missing_from_orgs_csv_and_a_misaligned_row_are_reported(district_a, schools):
    files = roster([student(1), student(2, org="org-gone")])
    files["demographics.csv"] += b"stu-1,,,2010-01-01\r\n"
    result = run(district_a, files)
    assert [(e["file"], e["line"], e["reason"]) for e in result.errors] == [
        ("demographics.csv", 4, f"4 values where the header has {len(DEMOGRAPHICS)} columns"),
        ("users.csv", 3, "unknown org “org-gone”: not in orgs.csv"),
    ]


@pytest.mark.parametrize("delta", ["users", "roles"])
def test_a_full_import_refuses_a_delta_file_that_says_who_the_students_are(district_a, schools, delta):
    run(district_a, roster([student(1), student(2)], version="1.2"))
    files = roster([student(1)], version="1.2")
    files["manifest.csv"] = files["manifest.csv"].replace(
        f"file.{delta},bulk".encode(), f"file.{delta},delta".encode()
    )
    result = run(district_a, files)
    assert not result.applied
    assert [e["reason"] for e in result.errors] == [
        f"{delta}.csv is a delta file: import it as a partial import"
    ]
    assert Student.objects.filter(active=True).count() == 2
    assert run(district_a, files, full=False).applied


def test_a_file_the_manifest_says_is_absent_is_not_imported_silently(district_a, schools):
    """The command reads every CSV of the directory: a demographics.csv left there from an
    earlier export, which this export's manifest says is absent, must not be imported."""
    run(district_a, roster([student(1)]))
    files = roster([student(1, sex="male")])
    files["manifest.csv"] = files["manifest.csv"].replace(
        b"file.demographics,bulk", b"file.demographics,absent"
    )
    result = run(district_a, files)
    assert [(e["file"], e["reason"]) for e in result.errors] == [
        (
            "manifest.csv",
            "demographics.csv is in the set but manifest.csv says it is absent: remove the file (left "
            "from an earlier export?) or correct the manifest",
        )
    ]
    assert Student.objects.get().sex == "F"


def test_a_file_the_manifest_lists_must_be_in_the_set(district_a, schools):
    files = roster([student(1)])
    del files["demographics.csv"]
    result = run(district_a, files)
    assert [(e["file"], e["reason"]) for e in result.errors] == [
        ("manifest.csv", "manifest.csv lists demographics.csv (bulk) but the set does not have it")
    ]
    assert not Student.objects.exists()


def test_an_enrolment_row_for_a_student_refused_elsewhere_is_not_reported_twice(district_a, schools):
    rows = [
        {"sourcedId": "e1", "classSourcedId": "c1", "schoolSourcedId": "org-a", "userSourcedId": "stu-2",
         "role": "student", "beginDate": "2026-09-01"},
    ]  # fmt: skip
    result = run(district_a, roster([student(1), student(2, grades="14")], enrollments=rows))
    assert [(e["file"], e["line"]) for e in result.errors] == [("users.csv", 3)]


# --- 6. Scope -----------------------------------------------------------------------------------


def test_an_import_for_one_district_never_touches_the_same_sourced_ids_of_another(
    district_a, district_b, schools
):
    from schools.models import Level, School

    School.objects.create(name="B High", level=Level.HIGH, district=district_b, sis_identifier="A-100")
    run(district_b, roster([student(1), student(2)], orgs=(("org-a", "A-100"),)))
    theirs = {
        s.sourced_id: (s.pk, s.first_name, s.active) for s in Student.objects.filter(district=district_b)
    }
    result = run(district_a, roster([student(1, givenName="Mine")]))
    assert result.counts == {"new": 1, "changed": 0, "unchanged": 0, "inactivated": 0, "errors": 0}
    assert {
        s.sourced_id: (s.pk, s.first_name, s.active) for s in Student.objects.filter(district=district_b)
    } == theirs
    mine = Student.objects.get(district=district_a)
    assert mine.first_name == "Mine" and mine.enrollments.get().school == schools[0]


def test_an_import_is_in_the_audit_trail_with_who_ran_it(coordinator_a, district_a, schools):
    from auditlog.models import LogEntry

    record = run(district_a, roster([student(1)]), by=coordinator_a)
    assert record.started_by == coordinator_a
    entry = LogEntry.objects.get_for_object(RosterImport.objects.get()).get()
    assert entry.changes_dict["counts"]  # who, when and the counts


# --- 7. Names -----------------------------------------------------------------------------------


def test_no_student_name_reaches_a_log_an_error_or_the_commands_output(
    district_a, schools, caplog, tmp_path, capsys
):
    import logging

    from django.core.management import CommandError, call_command

    caplog.set_level(logging.DEBUG)
    names = ["Quillon", "Zephyrine", "Marlowe", "Ottoline"]
    good = [student(1, givenName=names[0], familyName=names[1], middleName="Q")]
    bad = [
        student(2, givenName=names[2] + "\nX", familyName=names[3] * 30),
        student(3, givenName=names[2], familyName=names[3], grades="14", sex="M"),
    ]
    assert run(district_a, roster(good)).applied
    refused = run(district_a, roster(bad))
    assert refused.counts["errors"] == 4
    for name, data in roster(bad).items():
        (tmp_path / name).write_bytes(data)
    with pytest.raises(CommandError):
        call_command("import_oneroster", str(tmp_path))
    said = caplog.text + str(refused.errors) + "".join(capsys.readouterr())
    assert "users.csv, line 2: givenName holds a line break" in said
    assert not [name for name in names if name in said]
