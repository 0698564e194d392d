"""A single incident as a PDF drawn on the server: the page's record, for those who may see it."""

import io

from auditlog.models import LogEntry
from django.urls import reverse
from pypdf import PdfReader


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _incident(log_incident, school, admin):
    return log_incident(
        school=school,
        reported_by=admin,
        description="A folding knife was shown to classmates by the lockers.",
        people=[{"kind": "student", "local_id_or_initials": "S-20417", "role": "offender", "grade": "10"}],
    )


def test_pdf_holds_the_incident_its_people_and_who_was_alerted(
    admin_a, admin_a_client, officer_a, school_a, log_incident
):
    incident = _incident(log_incident, school_a, admin_a)
    response = admin_a_client.get(reverse("incidents:pdf", args=[incident.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="incident-{incident.pk}.pdf"'
    text = pdf_text(response)
    assert "Weapons possession" in text
    assert school_a.name in text
    assert "A folding knife was shown to classmates" in text
    assert "S-20417" in text
    assert str(officer_a.officer) in text  # who was alerted, as on the page
    assert "Timeline" in text
    # The page's controls are not part of the record.
    assert "Change status" not in text
    assert "updates by itself" not in text


def test_page_links_to_its_pdf(admin_a, admin_a_client, school_a, log_incident):
    incident = _incident(log_incident, school_a, admin_a)
    body = admin_a_client.get(incident.get_absolute_url()).content.decode()
    assert f'href="{reverse("incidents:pdf", args=[incident.pk])}" download' in body


def test_pdf_is_an_audited_access(admin_a, admin_a_client, school_a, log_incident):
    incident = _incident(log_incident, school_a, admin_a)
    admin_a_client.get(reverse("incidents:pdf", args=[incident.pk]))
    entries = LogEntry.objects.get_for_object(incident).filter(action=LogEntry.Action.ACCESS, actor=admin_a)
    assert entries.count() == 1


def test_nobody_outside_the_incidents_school_gets_its_pdf(
    admin_a, admin_b_client, officer_b_client, school_a, log_incident
):
    incident = _incident(log_incident, school_a, admin_a)
    url = reverse("incidents:pdf", args=[incident.pk])
    assert admin_b_client.get(url).status_code == 404
    assert officer_b_client.get(url).status_code == 404
    assert not LogEntry.objects.get_for_object(incident).filter(action=LogEntry.Action.ACCESS).exists()


def test_officer_gets_no_pdf_of_an_incident_below_the_sro_level(
    admin_a, officer_a_client, school_a, log_incident
):
    # Same rule as the page: officers see incidents from "SRO informed" up only.
    incident = log_incident(school=school_a, reported_by=admin_a, category="conduct", severity="minor")
    assert officer_a_client.get(incident.get_absolute_url()).status_code == 404
    assert officer_a_client.get(reverse("incidents:pdf", args=[incident.pk])).status_code == 404
