"""Word files attached to incidents and MOU documents go through core.uploads: a clear
message, the rest of the form kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.tests.test_uploads import docx, upload
from core.uploads import DOCX
from incidents.models import Attachment
from incidents.tests.test_incident_views import form_data
from officers.models import Agency


@pytest.fixture
def conduct_incident(admin_a, school_a, log_incident):
    return log_incident(school=school_a, reported_by=admin_a, category="conduct")


def test_logging_an_incident_with_a_macro_document_keeps_the_form_and_says_why(
    admin_a_client, school_a, weapons
):
    data = form_data(school_a, weapons)
    data["attachment"] = upload(docx({"word/vbaProject.bin": b"macro"}))
    response = admin_a_client.post(reverse("incidents:create"), data)
    assert response.status_code == 200
    assert "contains macros or other program code" in response.text
    assert data["description"] in response.text
    assert not Attachment.objects.exists()


def test_attaching_a_zip_bomb_to_an_incident_is_refused(admin_a_client, conduct_incident, settings):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 1024 * 1024
    url = reverse("incidents:attachment_upload", args=[conduct_incident.pk])
    bomb = docx({"word/media/padding.xml": b"\0" * (4 * 1024 * 1024)})
    response = admin_a_client.post(url, {"file": upload(bomb)}, follow=True)
    assert "zip bomb" in response.text
    assert not Attachment.objects.exists()
    admin_a_client.post(url, {"file": upload(docx())})
    assert Attachment.objects.get().content_type == DOCX


def test_an_mou_document_gets_the_same_checks(coordinator_client, district_a):
    from officers.models import Agreement

    agency = Agency.objects.create(name="County Sheriff's Office", kind="sheriff")
    data = {
        "district": district_a.pk,
        "effective_on": "2026-08-01",
        "review_on": "2027-06-30",
        "cost_terms": "Shared 50/50",
        "document": SimpleUploadedFile("mou.pdf", b"", "application/pdf"),
    }
    url = reverse("officers:agreement_create", args=[agency.pk])
    response = coordinator_client.post(url, data)
    assert "is empty" in response.text
    data["document"] = SimpleUploadedFile("mou.docx", docx(), DOCX)
    response = coordinator_client.post(url, data)
    assert "Upload the agreement as a PDF file." in response.text
    assert "Shared 50/50" in response.text
    assert not Agreement.objects.exists()


def test_every_upload_form_uses_the_one_validator():
    # Each app's upload checks call core.uploads; none opens files on its own.
    import inspect

    from incidents import forms as incident_forms
    from officers import forms as officer_forms
    from students import forms as student_forms
    from surveys import forms as survey_forms
    from training import forms as training_forms

    for module in (incident_forms, officer_forms, student_forms, survey_forms, training_forms):
        source = inspect.getsource(module)
        assert "validate_upload(" in source, module.__name__
        assert "Image.open" not in source and "%PDF" not in source, module.__name__
