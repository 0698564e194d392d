"""An officer adds a certificate from a phone; a coordinator reviews compliance."""

import datetime

import pytest
from django.urls import reverse

from conftest import PHONE, assert_accessible, browser_login
from training.demo import tiny_pdf
from training.models import RecordStatus, TrainingRecord

from .conftest import add_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CPR = "Heartsaver CPR AED and First Aid"


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def fill_form(page, *, provider: str):
    page.get_by_label("Course").select_option(label=CPR)
    page.get_by_label("Completion date").fill("2026-03-14")
    page.get_by_label("Provider").fill(provider)


def test_officer_uploads_a_certificate_from_a_phone_and_sees_it_pending(
    phone, live_server, officer_a, catalogue
):
    page = phone
    browser_login(page, live_server, "officer_a")
    page.get_by_role("button", name="Toggle navigation").click()
    page.get_by_role("link", name="Training", exact=True).click()
    page.get_by_role("heading", name="My training").wait_for()  # the page the click leads to
    assert_accessible(page)
    left = page.url
    page.get_by_role("link", name="Add a certificate").first.click()
    page.wait_for_url(lambda url: url != left)  # axe reads the form's page, not the one being left
    assert_accessible(page)
    fill_form(page, provider="American Heart Association, Albany")
    page.get_by_label("Certificate").set_input_files(
        files=[{"name": "cpr-card.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf("CPR")}]
    )
    page.get_by_role("button", name="Submit for verification").click()
    page.get_by_text("Pending verification").first.wait_for()  # the page the click leads to
    assert page.get_by_text("A coordinator will verify it").is_visible()
    assert_accessible(page)
    record = TrainingRecord.objects.get()
    assert record.status == RecordStatus.PENDING and record.certificate_type == "application/pdf"


def test_a_wrong_type_file_is_refused_and_the_other_fields_are_kept(phone, live_server, officer_a, catalogue):
    page = phone
    browser_login(page, live_server, "officer_a")
    page.goto(live_server.url + reverse("training:record_create"))
    fill_form(page, provider="Red Cross chapter 12")
    page.get_by_label("Certificate").set_input_files(
        files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"I did the course, honest."}]
    )
    page.get_by_role("button", name="Submit for verification").click()
    page.get_by_role("alert").filter(
        has_text="choose the certificate file again"
    ).wait_for()  # the page the click leads to
    summary = page.locator("[data-error-summary]")
    assert summary.evaluate("element => element === document.activeElement")
    refusal = "“notes.txt” is not a PDF or a photo"
    assert summary.get_by_role("link", name=f"Certificate (PDF or photo): {refusal}").is_visible()
    assert page.locator("#id_certificate_error").get_by_text(refusal).is_visible()
    assert page.get_by_label("Provider").input_value() == "Red Cross chapter 12"
    assert page.get_by_label("Completion date").input_value() == "2026-03-14"
    assert page.get_by_label("Course").evaluate("el => el.options[el.selectedIndex].text") == CPR
    assert_accessible(page)
    assert not TrainingRecord.objects.exists()


def test_coordinator_sees_the_matrix_and_verifies_a_record(page, live_server, coordinator, officer_a, cpr):
    add_record(officer_a.officer, cpr, datetime.date(2026, 3, 14), status=RecordStatus.PENDING)
    browser_login(page, live_server, "coord")
    page.goto(live_server.url + reverse("training:home"))
    assert page.get_by_role("heading", name="Training compliance").is_visible()
    assert page.get_by_text("Out of compliance (1)").is_visible()
    assert_accessible(page)
    page.goto(live_server.url + reverse("training:record_list"))
    assert_accessible(page)
    left = page.url
    page.get_by_role("link", name=CPR).click()
    page.wait_for_url(lambda url: url != left)
    assert_accessible(page)
    page.get_by_role("button", name="Verify").click()
    page.get_by_text("Verified: ").wait_for()  # the page the click leads to
    page.goto(live_server.url + reverse("training:requirement_list"))
    assert_accessible(page)
    page.goto(live_server.url + reverse("training:hours"))
    assert_accessible(page)
    page.goto(live_server.url + reverse("training:course_create"))
    page.get_by_role("button", name="Save course").click()
    page.get_by_text("This field is required").first.wait_for()  # the page the click leads to
    assert_accessible(page)


def test_a_file_over_the_limit_is_stopped_before_it_is_sent(
    phone, live_server, officer_a, catalogue, settings
):
    settings.MAX_UPLOAD_BYTES = 2000
    page = phone
    browser_login(page, live_server, "officer_a")
    page.goto(live_server.url + reverse("training:record_create"))
    fill_form(page, provider="AHA")
    page.get_by_label("Certificate").set_input_files(
        files=[{"name": "huge.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf() + b"0" * 5000}]
    )
    assert page.get_by_text("the limit is").is_visible()
    page.get_by_role("button", name="Submit for verification").click()
    assert page.get_by_label("Provider").input_value() == "AHA"  # still the same page, nothing sent
    assert not TrainingRecord.objects.exists()
    assert_accessible(page)
