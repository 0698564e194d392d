"""Correcting a logged incident: the table applies again, raising alerts the SRO, lowering
needs a reason, every change is kept with its old and new values."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from core.models import Delivery, Notification
from incidents.models import AlertKind, InterventionLevel

from .test_incident_views import form_data

pytestmark = pytest.mark.django_db


def correction(incident, **changes):
    data = form_data(incident.school, incident.category)
    data.update(
        {
            "occurred_at": timezone.localtime(incident.occurred_at).strftime("%Y-%m-%dT%H:%M"),
            "location": incident.location,
            "severity": incident.severity,
            "description": incident.description,
            "weapon_type": incident.weapon_type,
            "injuries": incident.injuries,
            "reason": "",
        }
    )
    data.update(changes)
    return data


def test_correcting_a_code_of_conduct_report_to_a_weapon_alerts_the_sro(
    admin_a_client, admin_a, school_a, officer_a, categories, log_incident, django_capture_on_commit_callbacks
):
    incident = log_incident(school=school_a, reported_by=admin_a, category="conduct", severity="moderate")
    assert incident.level == InterventionLevel.SCHOOL and not incident.alerts.exists()
    data = correction(incident, category=categories["weapons"].pk, reason="It was a knife, not a dispute.")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_a_client.post(reverse("incidents:edit", args=[incident.pk]), data)
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.level == InterventionLevel.IMMEDIATE
    assert incident.alerts.filter(kind=AlertKind.OFFICER, recipient=officer_a).exists()
    assert Notification.objects.filter(user=officer_a, url=incident.get_absolute_url()).count() == 1
    assert Delivery.objects.filter(channel="email", address="officer_a@police.example.gov").exists()
    correction_row = incident.corrections.get()
    assert correction_row.changes["Category"][1] == "Weapons possession"
    assert correction_row.reason == "It was a knife, not a dispute."
    page = admin_a_client.get(incident.get_absolute_url()).text
    assert "Corrected: Category:" in page
    assert LogEntry.objects.get_for_object(incident).filter(action=LogEntry.Action.UPDATE).exists()


def test_lowering_the_level_needs_a_reason_and_keeps_what_was_typed(
    admin_a_client, admin_a, school_a, officer_a, categories, log_incident
):
    incident = log_incident(school=school_a, reported_by=admin_a)
    data = correction(incident, category=categories["conduct"].pk, description="A shoving match, corrected.")
    page = admin_a_client.post(reverse("incidents:edit", args=[incident.pk]), data)
    assert page.status_code == 200
    assert "Say why the intervention level is lowered." in page.text
    assert "A shoving match, corrected." in page.text
    assert page.text.count("<title>Error: ") == 1
    incident.refresh_from_db()
    assert incident.level == InterventionLevel.IMMEDIATE
    data["reason"] = "Wrong category chosen: no weapon was involved."
    assert admin_a_client.post(reverse("incidents:edit", args=[incident.pk]), data).status_code == 302
    incident.refresh_from_db()
    assert incident.level == InterventionLevel.SCHOOL


def test_raising_a_level_realerts_an_sro_alerted_at_a_lower_one(
    admin_a_client, admin_a, school_a, officer_a, categories, log_incident, django_capture_on_commit_callbacks
):
    incident = log_incident(school=school_a, reported_by=admin_a, category="drugs", severity="moderate")
    assert incident.level == InterventionLevel.INFORMED
    data = correction(
        incident, level_override=str(InterventionLevel.IMMEDIATE), override_reason="He has a gun."
    )
    with django_capture_on_commit_callbacks(execute=True):
        admin_a_client.post(reverse("incidents:edit", args=[incident.pk]), data)
    alert = incident.alerts.get(kind=AlertKind.OFFICER)
    assert alert.level == InterventionLevel.IMMEDIATE
    titles = list(Notification.objects.filter(user=officer_a).values_list("title", flat=True))
    assert len(titles) == 2 and any(t.startswith("Raised to Immediate") for t in titles)


def test_officers_and_other_schools_cannot_correct(
    officer_a_client, admin_b_client, admin_a, school_a, log_incident
):
    incident = log_incident(school=school_a, reported_by=admin_a)
    assert officer_a_client.get(reverse("incidents:edit", args=[incident.pk])).status_code == 403
    assert admin_b_client.get(reverse("incidents:edit", args=[incident.pk])).status_code == 404


def test_the_alert_status_json_says_who_was_alerted_and_what_happens_next(
    admin_a_client, admin_a, school_a, officer_a, log_incident
):
    officer = officer_a.officer
    officer.phone = "555-0134"
    officer.save()
    incident = log_incident(school=school_a, reported_by=admin_a)
    data = admin_a_client.get(reverse("incidents:alerts_json", args=[incident.pk])).json()
    officer_row = next(a for a in data["alerts"] if a["role"] == "Assigned SRO")
    assert officer_row["phone"] == "555-0134"
    assert [d["channel"] for d in officer_row["deliveries"]] == ["In the app", "Email"]
    assert officer_row["acknowledged"] == ""
    assert data["next_step"].startswith("If nobody has acknowledged by ")
    # No student data in it.
    assert "local_id" not in str(data)


def test_an_officer_acknowledges_several_alerts_at_once(
    officer_a_client, admin_a, school_a, officer_a, log_incident
):
    first = log_incident(school=school_a, reported_by=admin_a)
    second = log_incident(school=school_a, reported_by=admin_a)
    pending = officer_a_client.get(reverse("incidents:my_alerts_json")).json()["alerts"]
    assert len(pending) == 2
    ids = [str(a.pk) for a in (first.alerts.get(kind="officer"), second.alerts.get(kind="officer"))]
    response = officer_a_client.post(reverse("incidents:alerts_acknowledge"), {"alert": ids})
    assert response.status_code == 302
    assert officer_a_client.get(reverse("incidents:my_alerts_json")).json()["alerts"] == []
