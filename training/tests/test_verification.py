"""Coordinators verify or reject; nobody verifies their own record; an officer's change sends a
verified record back for verification."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from conftest import make_officer
from core.models import Notification
from training.models import RecordStatus

from .conftest import add_record, pdf_upload

DAY = datetime.date(2026, 3, 14)


@pytest.fixture
def pending(officer_a, cpr):
    return add_record(officer_a.officer, cpr, DAY, status=RecordStatus.PENDING, submitted_by=officer_a)


def test_coordinator_verifies_a_pending_record(coordinator, coordinator_client, pending):
    page = coordinator_client.get(pending.get_absolute_url())
    assert "Verify this record" in page.text
    response = coordinator_client.post(reverse("training:record_verify", args=[pending.pk]))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == RecordStatus.VERIFIED
    assert pending.verified_by == coordinator
    assert pending.verified_at is not None


def test_verifying_needs_a_post(coordinator_client, pending):
    assert coordinator_client.get(reverse("training:record_verify", args=[pending.pk])).status_code == 405
    pending.refresh_from_db()
    assert pending.status == RecordStatus.PENDING


def test_an_officer_cannot_verify_any_record(officer_a_client, pending):
    assert officer_a_client.post(reverse("training:record_verify", args=[pending.pk])).status_code == 403
    pending.refresh_from_db()
    assert pending.status == RecordStatus.PENDING


def test_a_coordinator_who_is_also_the_officer_cannot_verify_their_own_record(school_a, agency, cpr):
    from django.test import Client

    user = make_officer("dual", school_a, agency, "777")
    user.role = "coordinator"
    user.save()
    record = add_record(user.officer, cpr, DAY, status=RecordStatus.PENDING)
    client = Client()
    client.force_login(user)
    assert "another coordinator must" in client.get(record.get_absolute_url()).text
    assert client.post(reverse("training:record_verify", args=[record.pk])).status_code == 403
    record.refresh_from_db()
    assert record.status == RecordStatus.PENDING
    with pytest.raises(PermissionDenied):
        record.verify(by=user)


def test_reject_needs_a_reason_and_tells_the_officer(officer_a, coordinator_client, pending):
    url = reverse("training:record_reject", args=[pending.pk])
    response = coordinator_client.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert "Say why the record is rejected" in response.text
    pending.refresh_from_db()
    assert pending.status == RecordStatus.PENDING
    coordinator_client.post(url, {"reason": "The date on the card is 2025, not 2026."})
    pending.refresh_from_db()
    assert pending.status == RecordStatus.REJECTED
    assert pending.rejection_reason == "The date on the card is 2025, not 2026."
    note = Notification.objects.get(user=officer_a)
    assert "rejected" in note.title and note.url == pending.get_absolute_url()


def test_a_verified_record_cannot_be_verified_or_rejected_again(
    coordinator, coordinator_client, officer_a, cpr
):
    record = add_record(officer_a.officer, cpr, DAY, verifier=coordinator)
    response = coordinator_client.post(
        reverse("training:record_reject", args=[record.pk]), {"reason": "x"}, follow=True
    )
    assert "Only a record pending verification" in response.text
    record.refresh_from_db()
    assert record.status == RecordStatus.VERIFIED


def test_an_officers_edit_returns_a_verified_record_to_pending(officer_a, officer_a_client, cpr):
    record = add_record(officer_a.officer, cpr, DAY)
    response = officer_a_client.post(
        reverse("training:record_edit", args=[record.pk]),
        {"course": cpr.pk, "completed_on": "2026-03-15", "hours": "6", "provider": "AHA"},
        follow=True,
    )
    assert "goes back to a coordinator" in response.text
    record.refresh_from_db()
    assert record.status == RecordStatus.PENDING
    assert record.verified_by is None and record.verified_at is None
    assert record.completed_on == datetime.date(2026, 3, 15)
    assert record.expires_on == datetime.date(2028, 3, 15)


def test_a_rejected_record_corrected_by_the_officer_is_pending_again(officer_a, officer_a_client, cpr):
    record = add_record(officer_a.officer, cpr, DAY, status=RecordStatus.REJECTED)
    officer_a_client.post(
        reverse("training:record_edit", args=[record.pk]),
        {
            "course": cpr.pk,
            "completed_on": "2026-03-14",
            "hours": "6",
            "provider": "AHA",
            "certificate": pdf_upload(),
        },
    )
    record.refresh_from_db()
    assert record.status == RecordStatus.PENDING
    assert record.rejection_reason == ""
    assert record.certificate_type == "application/pdf"


def test_a_coordinators_correction_keeps_the_record_verified(coordinator_client, officer_a, cpr):
    record = add_record(officer_a.officer, cpr, DAY)
    coordinator_client.post(
        reverse("training:record_edit", args=[record.pk]),
        {"course": cpr.pk, "completed_on": "2026-03-14", "hours": "5.5", "provider": "AHA"},
    )
    record.refresh_from_db()
    assert record.status == RecordStatus.VERIFIED
    assert str(record.hours) == "5.5"


def test_coordinator_enters_a_record_for_an_officer_and_it_still_needs_verifying(
    coordinator_client, officer_b, cpr
):
    coordinator_client.post(
        reverse("training:record_create"),
        {
            "officer": officer_b.officer.pk,
            "course": cpr.pk,
            "completed_on": "2026-03-14",
            "certificate": pdf_upload(),
        },
    )
    record = officer_b.officer.training_records.get()
    assert record.status == RecordStatus.PENDING
