"""Every new page, in a real browser, passes axe (WCAG 2.1 A/AA)."""

import datetime

import pytest
from django.utils import timezone

from conftest import PHONE, assert_accessible, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_records_a_contact_on_a_phone_and_every_page_passes_axe(
    browser, page, live_server, coordinator, admin_a, officer_a, school_a, make_student, categories
):
    from contacts.services import record_contact, record_program_change

    student = make_student(school_a, local_id="204518", race="black")
    record_contact(
        by=officer_a,
        school=school_a,
        student=student,
        kind="use_of_force",
        force_type="restraint",
        occurred_at=timezone.now() - datetime.timedelta(hours=2),
    )
    change = record_program_change(
        by=coordinator,
        district=school_a.district,
        kind="pilot",
        effective_on=timezone.localdate() - datetime.timedelta(days=60),
        schools=[school_a],
    )

    phone = browser.new_context(viewport=PHONE).new_page()
    browser_login(phone, live_server, "officer_a")
    phone.goto(f"{live_server.url}/contacts/new/")
    assert_accessible(phone)
    # Saved with nothing filled in: the errors take the focus, each field says its own.
    phone.get_by_role("button", name="Save contact").click()
    summary = phone.locator("[data-error-summary]")
    summary.wait_for()
    assert summary.evaluate("element => element === document.activeElement")
    # One announcement, the summary's, which says what was not saved before what to fix.
    assert phone.get_by_role("alert").count() == 1
    assert summary.get_by_role("heading").inner_text().startswith("The contact was not saved. Please fix")
    assert phone.get_by_label("Student's local ID").get_attribute("aria-invalid") == "true"
    assert_accessible(phone)
    summary.get_by_role("link").first.click()
    assert phone.evaluate("document.activeElement.tagName") in {"SELECT", "INPUT", "TEXTAREA"}
    phone.get_by_label("Student's local ID").fill("204518")
    phone.get_by_label("Kind").select_option("questioning")
    phone.get_by_label("Initiated by").select_option("school")
    phone.get_by_label("Basis").fill("Asked about a fight")
    phone.get_by_role("button", name="Save contact").click()
    phone.get_by_role("heading", name="Questioning or interview").wait_for()
    assert_accessible(phone)
    phone.goto(f"{live_server.url}/contacts/")
    assert_accessible(phone)

    browser_login(page, live_server, "coord")
    for path in [
        "/contacts/equity/",
        "/contacts/equity/publish/",
        "/contacts/changes/",
        change.get_absolute_url(),
        student.get_absolute_url(),
        "/reports/dashboard/",
    ]:
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
