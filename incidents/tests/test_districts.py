"""Incidents across districts: each district coordinator sees and is alerted about their
district's; an officer assigned to schools of two districts sees both."""

import datetime

from django.urls import reverse

from incidents.models import AlertKind, Incident
from schools.models import Assignment


def test_district_coordinators_see_their_districts_incidents_and_the_program_picks(
    admin_a, admin_b, school_a, school_b, coordinator, coordinator_a, coordinator_b, log_incident, client
):
    at_a = log_incident(school=school_a, reported_by=admin_a)
    at_b = log_incident(school=school_b, reported_by=admin_b)
    assert list(Incident.objects.visible_to(coordinator_a)) == [at_a]
    assert list(Incident.objects.visible_to(coordinator_b)) == [at_b]
    assert set(Incident.objects.visible_to(coordinator)) == {at_a, at_b}
    client.force_login(coordinator_b)
    assert client.get(reverse("incidents:detail", args=[at_a.pk])).status_code == 404
    export = b"".join(client.get(reverse("incidents:export")).streaming_content).decode()
    assert "Bravo Middle School" in export and "Alpha High School" not in export
    client.force_login(coordinator)
    picked = b"".join(
        client.get(reverse("incidents:export"), {"district": school_a.district_id}).streaming_content
    ).decode()
    assert "Alpha High School" in picked and "Bravo Middle School" not in picked


def test_a_responds_level_incident_alerts_its_districts_coordinator_not_the_other(
    admin_a, school_a, officer_a, coordinator, coordinator_a, coordinator_b, log_incident
):
    incident = log_incident(school=school_a, reported_by=admin_a, category="weapons", severity="moderate")
    told = incident.alerts.filter(kind=AlertKind.COORDINATOR).values_list("recipient__username", flat=True)
    assert sorted(told) == ["coord", "coord_a"]


def test_an_officer_assigned_in_two_districts_sees_incidents_at_both(
    admin_a, admin_b, school_a, school_b, officer_a, log_incident
):
    Assignment.objects.create(
        officer=officer_a.officer, school=school_b, start_date=datetime.date(2020, 8, 1), kind="secondary"
    )
    at_a = log_incident(school=school_a, reported_by=admin_a)
    at_b = log_incident(school=school_b, reported_by=admin_b)
    assert set(Incident.objects.visible_to(officer_a)) == {at_a, at_b}
