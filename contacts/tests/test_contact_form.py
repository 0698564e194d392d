"""The contact form takes its incident by number, suggesting the latest few: a choice list of
every recent incident in scope was 15,000 options (1.5 MB) for a coordinator."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contacts.models import PoliceContact
from contacts.selectors import recent_incidents
from contacts.services import record_contact


def _suggested(page: str) -> str:
    return page.split('<datalist id="recent-incidents">')[1].split("</datalist>")[0]


def _post(client, school, **extra):
    return client.post(
        reverse("contacts:create"),
        {
            "school": school.pk,
            "student_id": "",
            "unidentified_reason": "Ran off",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "kind": "search",
            "initiated_by": "school",
            "basis": "Report of a knife",
            "officer": "",
            **extra,
        },
    )


def test_a_contact_takes_its_incident_by_number(admin_a_client, admin_a, school_a, log_incident):
    incident = log_incident(school=school_a, reported_by=admin_a)
    response = _post(admin_a_client, school_a, incident=f" #{incident.pk} ")
    contact = PoliceContact.objects.get()
    assert response.status_code == 302 and contact.incident == incident


def test_an_incident_the_user_may_not_see_is_a_form_error(
    admin_a_client, school_a, school_b, admin_b, log_incident
):
    elsewhere = log_incident(school=school_b, reported_by=admin_b)
    for typed in [str(elsewhere.pk), "not a number"]:
        response = _post(admin_a_client, school_a, incident=typed)
        assert "No incident with that number at your schools." in response.content.decode()
    assert not PoliceContact.objects.exists()


def test_editing_keeps_an_incident_older_than_the_suggestions(
    admin_a_client, admin_a, officer_a, school_a, log_incident
):
    old = log_incident(
        school=school_a, reported_by=admin_a, occurred_at=timezone.now() - datetime.timedelta(days=400)
    )
    contact = record_contact(
        by=officer_a,
        school=school_a,
        student=None,
        unidentified_reason="Ran off",
        kind="search",
        incident=old,
        occurred_at=old.occurred_at,
    )
    page = admin_a_client.get(reverse("contacts:edit", args=[contact.pk])).content.decode()
    assert f'name="incident" value="{old.pk}"' in page
    assert "<option" not in _suggested(page)  # suggested: the last 90 days only


def test_the_suggestions_are_the_latest_incidents_the_user_may_see(
    admin_a, admin_b, school_a, school_b, log_incident
):
    now = timezone.now()
    mine = [
        log_incident(school=school_a, reported_by=admin_a, occurred_at=now - datetime.timedelta(days=d))
        for d in (1, 2, 3, 120)
    ]
    log_incident(school=school_b, reported_by=admin_b, occurred_at=now)
    assert [pk for pk, _ in recent_incidents(admin_a, limit=2)] == [mine[0].pk, mine[1].pk]
    assert [pk for pk, _ in recent_incidents(admin_a)] == [i.pk for i in mine[:3]]


def test_the_form_makes_as_many_queries_for_three_times_the_incidents(
    coordinator_client, admin_a, school_a, log_incident
):
    def add(n):
        for i in range(n):
            log_incident(
                school=school_a, reported_by=admin_a, occurred_at=timezone.now() - datetime.timedelta(days=i)
            )

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            page = coordinator_client.get(reverse("contacts:create")).content.decode()
        return len(ctx.captured_queries), _suggested(page).count("<option")

    add(2)
    before = queries()
    add(4)
    assert before[1] == 2 and queries() == (before[0], 6)


def test_a_referral_contact_is_edited_with_its_incident_number_locked(
    admin_a_client, admin_a, school_a, log_incident, make_student
):
    from .test_person_contacts import person

    student = make_student(school_a)
    incident = log_incident(
        school=school_a,
        reported_by=admin_a,
        people=[person(student, referred_to_law_enforcement=True, arrest="none")],
    )
    contact = PoliceContact.objects.get(incident=incident)
    url = reverse("contacts:edit", args=[contact.pk])
    page = admin_a_client.get(url).content.decode()
    field = re.search(r'<input[^>]*name="incident"[^>]*>', page).group(0)
    assert f'value="{incident.pk}"' in field and "disabled" in field
    occurred = timezone.localtime(contact.occurred_at).strftime("%Y-%m-%dT%H:%M")
    response = admin_a_client.post(
        url,
        # A locked field's posted value is ignored: the incident stays the person's.
        {
            "occurred_at": occurred,
            "initiated_by": "school",
            "outcome": "Released to a parent",
            "incident": str(incident.pk + 1000),
        },
    )
    contact.refresh_from_db()
    assert response.status_code == 302 and (contact.incident, contact.outcome) == (
        incident,
        "Released to a parent",
    )
