"""A referral or an arrest on an incident's person is a police contact: one record, so the
CRDC figures and the contact figures agree."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from contacts.models import ContactKind, PoliceContact
from contacts.selectors import equity_report, law_enforcement_counts
from contacts.services import record_contact, sync_person_contacts
from incidents.models import CrdcCollection, IncidentPerson
from incidents.reports import crdc_law_enforcement, school_year_bounds
from schools.models import School

from .conftest import DAY, at


def person(student, role="offender", **extra):
    return {
        "kind": "student",
        "student": student,
        "local_id_or_initials": student.local_id,
        "role": role,
        "grade": student.grade,
        "sex": student.sex,
        "race_ethnicity": student.race_ethnicity,
        **extra,
    }


def test_logging_a_referral_and_an_arrest_makes_their_contacts(log_incident, school_a, admin_a, make_student):
    s1, s2, s3 = make_student(school_a), make_student(school_a), make_student(school_a)
    incident = log_incident(
        school=school_a,
        reported_by=admin_a,
        occurred_at=at(DAY),
        people=[
            person(s1, referred_to_law_enforcement=True, arrest="none"),
            person(s2, referred_to_law_enforcement=True, arrest="school_related"),
            person(s3, role="witness"),
        ],
    )
    contacts = {c.student: c for c in PoliceContact.objects.filter(incident=incident)}
    assert set(contacts) == {s1, s2}
    assert contacts[s1].kind == ContactKind.REFERRAL_LAW_ENFORCEMENT
    assert contacts[s2].kind == ContactKind.ARREST_SCHOOL_RELATED
    assert contacts[s2].person.incident == incident and contacts[s2].occurred_at == incident.occurred_at
    assert contacts[s2].needs_parent_notice


def test_a_referral_taken_back_on_the_person_removes_its_contact(
    log_incident, school_a, admin_a, make_student
):
    student = make_student(school_a)
    incident = log_incident(
        school=school_a, reported_by=admin_a, people=[person(student, referred_to_law_enforcement=True)]
    )
    one = incident.people.get()
    one.referred_to_law_enforcement = False
    one.save()
    assert sync_person_contacts([one.pk]) == 1
    assert not PoliceContact.objects.exists()


def test_recording_an_arrest_as_a_contact_writes_it_on_the_incident_person(
    log_incident, school_a, admin_a, officer_a, make_student
):
    student = make_student(school_a)
    incident = log_incident(school=school_a, reported_by=admin_a, people=[person(student)])
    contact = record_contact(
        by=officer_a,
        school=school_a,
        kind=ContactKind.ARREST_SCHOOL_RELATED,
        student=student,
        incident=incident,
        occurred_at=incident.occurred_at + datetime.timedelta(minutes=20),
        officer=officer_a.officer,
        initiated_by="school",
        basis="Knife in backpack",
    )
    one = incident.people.get()
    assert one.arrest == "school_related" and one.referred_to_law_enforcement is True
    assert contact.person == one and PoliceContact.objects.count() == 1
    incident.refresh_from_db()
    assert incident.school_related_arrest and incident.referred_to_law_enforcement


def test_an_arrest_needs_the_student_among_the_incidents_people(
    log_incident, school_a, admin_a, make_student
):
    student, other = make_student(school_a), make_student(school_a)
    incident = log_incident(school=school_a, reported_by=admin_a, people=[person(other)])
    with pytest.raises(ValidationError) as raised:
        record_contact(
            by=admin_a,
            school=school_a,
            kind=ContactKind.ARREST_OTHER,
            student=student,
            incident=incident,
            occurred_at=incident.occurred_at,
        )
    assert "incident" in raised.value.message_dict
    with pytest.raises(ValidationError):
        record_contact(
            by=admin_a,
            school=school_a,
            kind=ContactKind.REFERRAL_LAW_ENFORCEMENT,
            student=student,
            occurred_at=at(DAY),
        )
    assert not PoliceContact.objects.exists()


def test_linking_an_unlinked_person_moves_its_contact_to_the_student(
    log_incident, school_a, admin_a, make_student
):
    from students.services import link_person

    incident = log_incident(
        school=school_a,
        reported_by=admin_a,
        people=[
            {
                "kind": "student",
                "local_id_or_initials": "J.T.",
                "role": "offender",
                "referred_to_law_enforcement": True,
            }
        ],
    )
    contact = PoliceContact.objects.get()
    assert contact.student is None and "not linked" in contact.unidentified_reason
    student = make_student(school_a)
    link_person(person=incident.people.get(), student=student, by=admin_a)
    contact.refresh_from_db()
    assert contact.student == student and contact.unidentified_reason == ""


def test_crdc_referral_and_arrest_figures_agree_with_the_contact_figures(
    log_incident, school_a, school_b, admin_a, admin_b, officer_a, make_student
):
    students_a = [make_student(school_a) for _ in range(4)]
    student_b = make_student(school_b)
    # A student referred on two incidents, one arrested (school-related), one arrested for
    # something else with a referral, one arrested for something else without one, a witness.
    first = log_incident(
        school=school_a,
        reported_by=admin_a,
        occurred_at=at(DAY),
        people=[
            person(students_a[0], referred_to_law_enforcement=True),
            person(students_a[1], arrest="school_related"),
            person(students_a[3], role="witness"),
        ],
    )
    log_incident(
        school=school_a,
        reported_by=admin_a,
        occurred_at=at(DAY + datetime.timedelta(days=3)),
        people=[
            person(students_a[0], referred_to_law_enforcement=True),
            person(students_a[2], referred_to_law_enforcement=True, arrest="other"),
        ],
    )
    second_b = log_incident(
        school=school_b, reported_by=admin_b, occurred_at=at(DAY), people=[person(student_b)]
    )
    # The officer records a school-related arrest at school B through the contact form.
    record_contact(
        by=admin_b,
        school=school_b,
        kind=ContactKind.ARREST_SCHOOL_RELATED,
        student=student_b,
        incident=second_b,
        occurred_at=second_b.occurred_at,
    )
    # And one arrest not school-related with no referral recorded: no CRDC referral.
    IncidentPerson.objects.filter(incident=first, student=students_a[3]).update(arrest="other")
    sync_person_contacts(first.people.values_list("pk", flat=True))

    for lea in {school_a.district, school_b.district}:  # each LEA collects both measures
        CrdcCollection.objects.create(district=lea, school_year=2025)
    crdc = crdc_law_enforcement(schools=[school_a, school_b], year=2025)
    contacts = law_enforcement_counts(
        schools=[school_a, school_b], start=school_year_bounds(2025)[0], end=school_year_bounds(2025)[1]
    )
    for row in crdc["rows"]:
        mine = contacts[row["school"].pk]
        for measure in ("referral", "arrest"):
            cells = row["measures"][measure]
            assert cells["students"] == mine[f"{measure}_students"], (row["school"], measure)
            assert sum(v or 0 for v in cells["instances"].values()) == mine[measure], (row["school"], measure)
    assert contacts[school_a.pk] == {"referral": 4, "arrest": 1, "referral_students": 3, "arrest_students": 1}
    assert contacts[school_b.pk] == {"referral": 1, "arrest": 1, "referral_students": 1, "arrest_students": 1}
    # The equity report's referrals are the same rule: 4 contacts of 3 students at school A.
    referral = equity_report(
        schools=School.objects.filter(pk=school_a.pk),
        year=2025,
        roster_on=datetime.date(2025, 10, 1),
        measures=["referral"],
    ).measures[0]
    assert (referral.contacts, referral.students, referral.off_roster) == (4, 3, 0)


def test_a_corrected_school_or_date_moves_the_referral_and_arrest_contacts_with_the_incident(
    log_incident, school_a, admin_a, make_student
):
    """The CRDC counts a referral where and when its incident now is (the school and the school
    year of the corrected incident); its contact, which the equity report counts, must agree.
    A referral and an arrest logged at A on 20 June 2026, then corrected: first to the other
    school of the district, then to 2 July 2026 (2026-27). The arrest's contact time, corrected
    by the officer to two hours after the incident, keeps those two hours."""
    from incidents.services import correct_incident

    school_c = School.objects.create(name="Charlie High School", level="high", district=school_a.district)
    referred, arrested = make_student(school_a), make_student(school_a)
    incident = log_incident(
        school=school_a,
        reported_by=admin_a,
        occurred_at=at(datetime.date(2026, 6, 20)),
        people=[
            person(referred, referred_to_law_enforcement=True),
            person(arrested, arrest="school_related"),
        ],
    )
    arrest = PoliceContact.objects.get(student=arrested)
    arrest.occurred_at += datetime.timedelta(hours=2)
    arrest.save(update_fields=["occurred_at"])
    CrdcCollection.objects.create(district=school_a.district, school_year=2025)
    CrdcCollection.objects.create(district=school_a.district, school_year=2026)

    def agree(year):
        start, end = school_year_bounds(year)
        counts = law_enforcement_counts(schools=[school_a, school_c], start=start, end=end)
        for row in crdc_law_enforcement(schools=[school_a, school_c], year=year)["rows"]:
            mine = counts.get(row["school"].pk, {"referral": 0, "referral_students": 0})
            assert row["measures"]["referral"]["students"] == mine["referral_students"], (year, row["school"])
        return {school.name: counts.get(school.pk, {}).get("referral", 0) for school in (school_a, school_c)}

    correct_incident(incident=incident, by=admin_a, changes={"school": school_c}, reason="wrong school")
    assert agree(2025) == {"Alpha High School": 0, "Charlie High School": 2}
    correct_incident(
        incident=incident,
        by=admin_a,
        changes={"occurred_at": at(datetime.date(2026, 7, 2))},
        reason="wrong day",
    )
    assert agree(2025) == {"Alpha High School": 0, "Charlie High School": 0}
    assert agree(2026) == {"Alpha High School": 0, "Charlie High School": 2}
    times = dict(PoliceContact.objects.values_list("student_id", "occurred_at"))
    assert times[referred.pk] == at(datetime.date(2026, 7, 2))
    assert times[arrested.pk] == at(datetime.date(2026, 7, 2), hour=12)
    assert set(PoliceContact.objects.values_list("school_id", flat=True)) == {school_c.pk}
