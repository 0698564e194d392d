"""Adding the people involved after the report: the report form leaves them optional."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from conftest import make_student
from contacts.models import PoliceContact
from incidents.models import Arrest

pytestmark = pytest.mark.django_db


def people_data(*rows: dict[str, str]) -> dict[str, str]:
    data = {
        "people-TOTAL_FORMS": str(len(rows)),
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "30",
    }
    for i, row in enumerate(rows):
        data.update({f"people-{i}-kind": "student", **{f"people-{i}-{k}": v for k, v in row.items()}})
    return data


@pytest.fixture
def incident(admin_a, school_a, log_incident):
    return log_incident(school=school_a, reported_by=admin_a)


def test_administrator_adds_a_referred_student_and_a_staff_witness(admin_a_client, school_a, incident):
    make_student(school_a, "204518")
    page = admin_a_client.get(reverse("incidents:people", args=[incident.pk]))
    assert page.status_code == 200
    assert "Add another person" in page.text
    response = admin_a_client.post(
        reverse("incidents:people", args=[incident.pk]),
        people_data(
            {"student_lookup": "204518", "role": "offender", "referred_to_law_enforcement": "true",
             "arrest": "school_related"},
            {"kind": "staff", "local_id_or_initials": "JD", "role": "witness"},
        ),
    )  # fmt: skip
    assert response.status_code == 302
    assert response.url == incident.get_absolute_url()
    incident.refresh_from_db()
    assert incident.people.count() == 2
    offender = incident.people.get(role="offender")
    # The student's details come from the record as on the incident's day.
    assert (offender.student.local_id, offender.grade, offender.sex) == ("204518", "10", "M")
    # The reports (CRDC) read these flags and the police contact from the person.
    assert incident.referred_to_law_enforcement is True
    assert incident.school_related_arrest is True
    assert offender.arrest == Arrest.SCHOOL_RELATED
    assert PoliceContact.objects.filter(person=offender).exists()
    detail = admin_a_client.get(incident.get_absolute_url())
    assert "2 people added to the incident." in detail.text
    assert "People involved: 0 recorded → 2 recorded" in detail.text
    assert "204518" in detail.text


def test_a_mistake_keeps_what_was_typed_and_adds_nobody(admin_a_client, school_a, incident):
    make_student(school_a, "204518")
    response = admin_a_client.post(
        reverse("incidents:people", args=[incident.pk]),
        people_data(
            {"student_lookup": "204518", "role": "offender"},
            {"student_lookup": "999999", "role": "victim"},
        ),
    )
    assert response.status_code == 200
    assert "No student of Alpha High School" in response.text
    assert 'value="204518"' in response.text
    assert incident.people.count() == 0


def test_an_empty_form_adds_nobody_and_says_so(admin_a_client, incident):
    response = admin_a_client.post(
        reverse("incidents:people", args=[incident.pk]), people_data({"role": ""}), follow=True
    )
    assert response.status_code == 200
    assert "Nothing was added" in response.text
    assert incident.people.count() == 0


def test_only_who_may_correct_the_incident_adds_people(
    admin_b_client, officer_a_client, coordinator_client, incident
):
    url = reverse("incidents:people", args=[incident.pk])
    assert admin_b_client.get(url).status_code == 404
    assert officer_a_client.get(url).status_code == 403
    assert (
        officer_a_client.post(
            url, people_data({"kind": "staff", "local_id_or_initials": "JD", "role": "witness"})
        ).status_code
        == 403
    )
    assert coordinator_client.get(url).status_code == 200
    assert incident.people.count() == 0


def test_opening_the_page_is_an_audited_access(admin_a, admin_a_client, incident):
    admin_a_client.get(reverse("incidents:people", args=[incident.pk]))
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_pk=str(incident.pk), actor=admin_a
    ).exists()


def test_the_report_form_offers_one_blank_person_and_a_way_to_add_more(admin_a_client):
    page = admin_a_client.get(reverse("incidents:create"))
    assert 'name="people-TOTAL_FORMS" value="1"' in page.text
    assert "people-0-role" in page.text and "people-1-role" not in page.text
    assert "Add another person" in page.text


def test_retention_follows_the_youngest_person_added(admin_a_client, incident):
    before = incident.retention_until
    admin_a_client.post(
        reverse("incidents:people", args=[incident.pk]),
        people_data({"kind": "visitor", "local_id_or_initials": "KL", "role": "victim", "age": "6"}),
    )
    incident.refresh_from_db()
    occurred = timezone.localdate(incident.occurred_at)
    assert incident.retention_until == datetime.date(occurred.year + 21, occurred.month, occurred.day)
    assert incident.retention_until != before
