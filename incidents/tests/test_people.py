"""People involved in an incident: students found among the school's students, never typed
twice; what each role sees of them."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from conftest import make_student
from incidents.models import Incident, IncidentPerson

from .test_incident_views import form_data

pytestmark = pytest.mark.django_db


def test_a_name_several_students_share_offers_them_to_choose_and_keeps_the_report(
    admin_a_client, school_a, weapons
):
    first = make_student(school_a, "1001", first="Alex", last="Rivera")
    make_student(school_a, "1002", first="Alex", last="Rivers")
    data = form_data(
        school_a, weapons, **{"people-0-student_lookup": "Alex Riv", "people-0-role": "offender"}
    )
    response = admin_a_client.post(reverse("incidents:create"), data)
    assert response.status_code == 200
    assert "2 students match “Alex Riv”: choose one." in response.text
    assert "Alex Rivera (1001)" in response.text and "Alex Rivers (1002)" in response.text
    assert "Student showed a folding knife" in response.text  # nothing typed is lost
    assert not Incident.objects.exists()

    data["people-0-student"] = str(first.pk)
    response = admin_a_client.post(reverse("incidents:create"), data)
    assert response.status_code == 302
    assert IncidentPerson.objects.get().student == first


def test_a_student_of_another_school_is_not_found(admin_a_client, school_a, school_b, weapons):
    make_student(school_b, "2001")
    data = form_data(school_a, weapons, **{"people-0-student_lookup": "2001", "people-0-role": "victim"})
    response = admin_a_client.post(reverse("incidents:create"), data)
    assert "No student of Alpha High School has that ID or name" in response.text
    assert not Incident.objects.exists()


def test_a_student_nobody_could_identify_is_recorded_with_the_reason(admin_a_client, school_a, weapons):
    data = form_data(
        school_a,
        weapons,
        **{
            "people-0-unidentified_reason": "Ran off before staff saw their face",
            "people-0-role": "offender",
            "people-0-grade": "9",
        },
    )
    assert admin_a_client.post(reverse("incidents:create"), data).status_code == 302
    person = IncidentPerson.objects.get()
    assert person.student is None and person.grade == "9"
    page = admin_a_client.get(person.incident.get_absolute_url()).text
    assert "Unidentified student (Ran off before staff saw their face)" in page


def test_staff_are_recorded_by_initials_without_student_fields(admin_a_client, school_a, weapons):
    data = form_data(
        school_a,
        weapons,
        **{"people-0-kind": "staff", "people-0-local_id_or_initials": "T.M.", "people-0-role": "victim"},
    )
    assert admin_a_client.post(reverse("incidents:create"), data).status_code == 302
    person = IncidentPerson.objects.get()
    assert (person.kind, person.local_id_or_initials, person.student) == ("staff", "T.M.", None)


def test_officers_see_the_local_id_and_administrators_the_name(
    admin_a, admin_a_client, officer_a_client, school_a, log_incident
):
    student = make_student(school_a, "3003", first="Casey", last="Nguyen")
    incident = log_incident(
        school=school_a,
        reported_by=admin_a,
        severity="high",
        people=[{"kind": "student", "student": student, "role": "offender"}],
    )
    admin_page = admin_a_client.get(incident.get_absolute_url()).text
    officer_page = officer_a_client.get(incident.get_absolute_url()).text
    assert "Casey Nguyen (3003)" in admin_page
    assert "Student 3003" in officer_page and "Casey" not in officer_page and "Nguyen" not in officer_page


def test_officers_search_students_by_id_only(officer_a_client, admin_a_client, school_a):
    make_student(school_a, "4004", first="Morgan", last="Lee")
    url = reverse("students:search")
    by_name = officer_a_client.post(url, {"school": school_a.pk, "q": "Morgan"}).json()
    by_id = officer_a_client.post(url, {"school": school_a.pk, "q": "400"}).json()
    assert by_name["results"] == []
    assert [r["label"] for r in by_id["results"]] == ["Student 4004"]
    assert [
        r["label"] for r in admin_a_client.post(url, {"school": school_a.pk, "q": "Morg"}).json()["results"]
    ] == ["Morgan Lee (4004)"]


def test_the_student_search_takes_what_is_typed_in_a_post_never_in_the_url(admin_a_client, school_a):
    """What is typed may be a name; a URL's query string ends up in access logs."""
    make_student(school_a, "4005", first="Morgan", last="Lee")
    url = reverse("students:search")
    assert admin_a_client.get(url, {"school": school_a.pk, "q": "Morgan"}).status_code == 405
    assert admin_a_client.post(url, {"school": school_a.pk, "q": "Morgan"}).json()["results"]


def test_search_finds_nothing_at_a_school_outside_the_users_scope(admin_b_client, school_a):
    make_student(school_a, "5005", first="Riley", last="Kim")
    response = admin_b_client.post(reverse("students:search"), {"school": school_a.pk, "q": "Riley"})
    assert response.json() == {"results": []}


@pytest.mark.parametrize("students", [5, 15])
def test_search_query_count_does_not_grow_with_students(
    admin_a_client, school_a, students, django_assert_max_num_queries
):
    for n in range(students):
        make_student(school_a, f"6{n:03d}", first="Sam", last=f"Ortiz{n}")
    with django_assert_max_num_queries(12):
        results = admin_a_client.post(reverse("students:search"), {"school": school_a.pk, "q": "Sam"}).json()
    assert len(results["results"]) == students


def test_a_coordinator_links_people_logged_before_student_records(
    coordinator_a_client, admin_a, school_a, log_incident
):
    student = make_student(school_a, "7007", statuses=[("idea", datetime.date(2020, 1, 1), None)])
    incident = log_incident(
        school=school_a,
        reported_by=admin_a,
        people=[
            {"local_id_or_initials": "7007", "role": "offender", "grade": "10"},
            {"local_id_or_initials": "JT", "role": "witness"},
        ],
    )
    page = coordinator_a_client.get(reverse("students:unlinked")).text
    assert "Link all 1 to the suggested students" in page
    assert "Suggested: Jordan Smith (7007)" in page

    response = coordinator_a_client.post(reverse("students:link_suggested"))
    assert response.status_code == 302
    linked = incident.people.get(local_id_or_initials="7007")
    assert linked.student == student and linked.idea_disability is True
    entry = LogEntry.objects.get_for_object(linked).get(action=LogEntry.Action.UPDATE)
    assert "student" in entry.changes_dict  # the link is in the audit trail

    witness = incident.people.get(local_id_or_initials="JT")
    response = coordinator_a_client.post(reverse("students:link", args=[witness.pk]), {"student": "nope"})
    assert IncidentPerson.objects.get(pk=witness.pk).student is None
    assert "has the local ID “nope”" in coordinator_a_client.get(response.url).text
    coordinator_a_client.post(reverse("students:link", args=[witness.pk]), {"student": "7007"})
    assert IncidentPerson.objects.get(pk=witness.pk).student == student


def test_a_threat_report_names_the_student_record_and_officers_see_the_id(
    admin_a_client, officer_a_client, school_a
):
    from incidents.models import ThreatAssessment

    student = make_student(school_a, "9009", first="Drew", last="Parker")
    make_student(school_a, "9010", first="Drew", last="Palmer")
    data = {
        "school": school_a.pk,
        "student": "Drew Pa",
        "reported_on": datetime.date.today().isoformat(),
        "threat": "Said he would bring a gun to the dance.",
        "weapon_involved": "on",
    }
    response = admin_a_client.post(reverse("incidents:threat_create"), data)
    assert "2 students match: Drew Palmer (9010); Drew Parker (9009). Type the one you mean." in response.text
    assert not ThreatAssessment.objects.exists()

    data["student"] = "Drew Parker (9009)"
    response = admin_a_client.post(reverse("incidents:threat_create"), data)
    threat = ThreatAssessment.objects.get()
    assert (threat.student_record, threat.student) == (student, "9009")
    assert "Threat by Drew Parker (9009)" in admin_a_client.get(response.url).text
    ThreatAssessment.objects.filter(pk=threat.pk).update(classification="serious")  # officers see these
    officer_page = officer_a_client.get(response.url).text
    assert "Threat by Student 9009" in officer_page and "Parker" not in officer_page
