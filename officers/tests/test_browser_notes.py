"""An officer on a phone files activity notes and sees their week."""

import datetime

import pytest
from django.utils import timezone

from conftest import PHONE, assert_accessible, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def _file_note(page, category: str, minutes: str, narrative: str, follow_up_by: str = "") -> None:
    page.get_by_role("link", name="New note").click()
    page.wait_for_load_state()
    page.get_by_label("Duty category").select_option(label=category)
    page.get_by_label("Minutes spent").fill(minutes)
    page.get_by_label("Narrative").fill(narrative)
    if follow_up_by:
        assert not page.get_by_label("Follow up by").is_visible()  # shown only when needed
        page.get_by_label("Needs follow-up").check()
        page.get_by_label("Follow up by").fill(follow_up_by)
    page.get_by_role("button", name="Save note", exact=True).click()
    page.wait_for_load_state()


def test_officer_files_three_notes_on_a_phone_and_sees_the_weeks_hours(phone, live_server, officer_a):
    page = phone
    browser_login(page, live_server, "officer_a")
    page.get_by_role("button", name="Toggle navigation").click()
    page.get_by_role("link", name="My notes", exact=True).click()
    page.get_by_role("heading", name="My week").wait_for()  # the page the click leads to
    assert_accessible(page)

    page.get_by_role("link", name="New note").click()
    page.wait_for_load_state()
    assert page.get_by_label("Date").input_value() == timezone.localdate().isoformat()
    assert page.get_by_label("School").locator("option:checked").inner_text() == "Alpha High School"
    assert page.get_by_text("No student names are needed").is_visible()
    assert_accessible(page)
    page.go_back()

    _file_note(page, "Patrol / high-visibility presence", "30", "Arrival duty at the main doors.")
    assert page.get_by_text("Note saved").is_visible()
    _file_note(page, "Consult with administrators or counselors", "45", "Weekly meeting with the principal.")
    due = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    _file_note(page, "Mediation and anti-bullying", "45", "Mediated a lunchroom dispute.", follow_up_by=due)

    summary = page.locator("#week-total")
    assert summary.inner_text().startswith("2.0 hours in 3 notes")
    hours = page.get_by_role("table", name="Hours by duty category")
    assert "Patrol / high-visibility presence" in hours.inner_text()
    assert (
        "Schools visited: Alpha High School (3)"
        in page.get_by_role("region", name="Week summary").inner_text()
    )
    followups = page.get_by_role("region", name="Follow-ups due")
    assert "Mediation and anti-bullying at Alpha High School" in followups.inner_text()
    assert_accessible(page)

    followups.get_by_role("button", name="Mark done").click()
    page.get_by_text("No follow-ups due.").wait_for()  # the page the click leads to
    assert page.get_by_text("marked done").is_visible()

    page.get_by_role("link", name="Mediation and anti-bullying").click()
    page.get_by_text("Mediated a lunchroom dispute.").wait_for()  # the page the click leads to
    assert_accessible(page)


def test_a_note_with_mistakes_keeps_what_was_typed_and_says_what_to_fix(phone, live_server, officer_a):
    page = phone
    browser_login(page, live_server, "officer_a")
    page.goto(f"{live_server.url}/officers/notes/new/")
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    page.get_by_label("Date").fill(future)
    page.get_by_label("Duty category").select_option(label="Investigation")
    page.get_by_label("Narrative").fill("Looked into a locker theft.")
    page.get_by_role("button", name="Save note", exact=True).click()
    page.wait_for_load_state()

    alert = page.get_by_role("alert")
    assert "Please fix 2 problems" in alert.inner_text()
    assert "Enter the minutes spent" in alert.inner_text()
    assert "The date cannot be in the future." in alert.inner_text()
    assert page.get_by_label("Narrative").input_value() == "Looked into a locker theft."
    assert page.get_by_label("Date").input_value() == future
    assert page.get_by_label("Duty category").locator("option:checked").inner_text() == "Investigation"
    assert_accessible(page)

    # Fixing the mistakes files the note.
    page.get_by_label("Date").fill(timezone.localdate().isoformat())
    page.get_by_label("Minutes spent").fill("40")
    page.get_by_role("button", name="Save note", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("#week-total").inner_text().startswith("0.7 hours in 1 note")
    assert_accessible(page)
