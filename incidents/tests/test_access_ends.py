"""An officer's access to incidents (students' details) ends the moment they are
deactivated, not at midnight."""

from django.test import Client
from django.urls import reverse


def test_a_deactivated_officer_sees_no_incident_of_their_school_the_same_day(
    log_incident, admin_a, officer_a, school_a, coordinator_client
):
    incident = log_incident(school=school_a, reported_by=admin_a, severity="high")
    client = Client()
    client.force_login(officer_a)
    assert client.get(reverse("incidents:detail", args=[incident.pk])).status_code == 200

    coordinator_client.post(reverse("officers:deactivate", args=[officer_a.officer.pk]))

    officer_a.refresh_from_db()
    client = Client()
    client.force_login(officer_a)  # even a session made by other means gets nothing
    assert client.get(reverse("incidents:detail", args=[incident.pk])).status_code in (302, 404)
    assert not officer_a.schools_in_scope().exists()
