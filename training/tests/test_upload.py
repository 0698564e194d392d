"""Submitting a record with its certificate, and serving the certificate."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from training.demo import tiny_pdf
from training.models import RecordStatus, TrainingRecord

from .conftest import add_record, pdf_upload, png_upload

URL = reverse("training:record_create")


def form(course, certificate, **extra):
    return {
        "course": course.pk,
        "completed_on": "2026-03-14",
        "hours": "6",
        "provider": "",
        "certificate": certificate,
        **extra,
    }


def test_officer_submits_a_pdf_certificate_and_it_waits_for_verification(officer_a, officer_a_client, cpr):
    response = officer_a_client.post(URL, form(cpr, pdf_upload("My CPR card.pdf")))
    record = TrainingRecord.objects.get()
    assert response.status_code == 302 and response.url == record.get_absolute_url()
    assert record.officer == officer_a.officer
    assert record.submitted_by == officer_a
    assert record.status == RecordStatus.PENDING
    assert record.provider == cpr.provider  # left empty: the course's provider
    assert record.expires_on == datetime.date(2028, 3, 14)
    assert record.certificate_type == "application/pdf"
    path = Path(record.certificate.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT)) and path.read_bytes().startswith(b"%PDF-")
    assert "My CPR card" not in record.certificate.name  # random name
    page = officer_a_client.get(record.get_absolute_url())
    assert "Pending verification" in page.text


def test_a_photo_of_the_certificate_is_accepted(officer_a_client, cpr):
    officer_a_client.post(URL, form(cpr, png_upload("IMG_0042.PNG")))
    record = TrainingRecord.objects.get()
    assert record.certificate_type == "image/png"
    assert record.certificate.name.endswith(".png")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("notes.pdf", b"just some text, not a pdf", content_type="application/pdf"),
            "is not a PDF or a photo",
        ),
        (
            SimpleUploadedFile("virus.exe", b"MZ\x90\x00" * 50, content_type="application/octet-stream"),
            "is not a PDF or a photo",
        ),
        (
            SimpleUploadedFile("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, content_type="image/png"),
            "is not a PDF or a photo",
        ),
        (SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf"), "is empty"),
    ],
    ids=["text-named-pdf", "executable", "corrupt-png", "empty"],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_the_other_fields_are_kept(
    officer_a_client, cpr, upload, message
):
    response = officer_a_client.post(URL, form(cpr, upload, provider="Red Cross chapter 12"))
    assert response.status_code == 200
    assert not TrainingRecord.objects.exists()
    assert message in response.text
    assert "choose the certificate file again" in response.text
    assert 'value="Red Cross chapter 12"' in response.text
    assert 'value="2026-03-14"' in response.text
    assert f'<option value="{cpr.pk}" selected>' in response.text


def test_a_file_over_the_limit_is_refused(officer_a_client, cpr, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    big = SimpleUploadedFile("big.pdf", tiny_pdf() + b"0" * 1000, content_type="application/pdf")
    response = officer_a_client.post(URL, form(cpr, big))
    assert not TrainingRecord.objects.exists()
    assert "the limit is 1000" in response.text


def test_a_missing_certificate_is_refused(officer_a_client, cpr):
    response = officer_a_client.post(URL, form(cpr, ""))
    assert not TrainingRecord.objects.exists()
    assert "Choose the certificate file" in response.text


def test_a_good_file_with_another_field_wrong_asks_to_choose_the_file_again(officer_a_client, cpr):
    response = officer_a_client.post(URL, form(cpr, pdf_upload(), completed_on="2999-01-01"))
    assert not TrainingRecord.objects.exists()
    assert "cannot be in the future" in response.text
    assert "Please choose the certificate file again" in response.text


def test_the_same_course_on_the_same_day_is_refused(officer_a, officer_a_client, cpr):
    add_record(officer_a.officer, cpr, datetime.date(2026, 3, 14))
    response = officer_a_client.post(URL, form(cpr, pdf_upload()))
    assert response.status_code == 200
    assert TrainingRecord.objects.count() == 1
    assert "already a record of this course completed on that day" in response.text
    assert "Please choose the certificate file again" in response.text


def test_certificate_is_served_to_its_officer_and_coordinators_only(
    officer_a, officer_a_client, officer_b_client, admin_a_client, coordinator_client, client, cpr
):
    officer_a_client.post(URL, form(cpr, pdf_upload()))
    url = reverse("training:certificate", args=[TrainingRecord.objects.get().pk])
    own = officer_a_client.get(url)
    assert own.status_code == 200
    assert own["Content-Type"] == "application/pdf"
    assert b"".join(own.streaming_content).startswith(b"%PDF-")
    assert own["X-Content-Type-Options"] == "nosniff"
    assert coordinator_client.get(url).status_code == 200
    assert officer_b_client.get(url).status_code == 404
    assert admin_a_client.get(url).status_code == 403
    assert client.get(url).status_code == 302


def test_uploads_are_not_reachable_under_a_media_url(officer_a_client, cpr, client):
    officer_a_client.post(URL, form(cpr, pdf_upload()))
    name = TrainingRecord.objects.get().certificate.name
    assert officer_a_client.get(f"/media/{name}").status_code == 404


def test_an_image_certificate_is_served_sandboxed(officer_a_client, cpr):
    officer_a_client.post(URL, form(cpr, png_upload()))
    response = officer_a_client.get(reverse("training:certificate", args=[TrainingRecord.objects.get().pk]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_negative_hours_are_refused_in_words(officer_a_client, cpr):
    response = officer_a_client.post(URL, form(cpr, pdf_upload(), hours="-3"))
    assert not TrainingRecord.objects.exists()
    assert "Hours cannot be negative." in response.text
