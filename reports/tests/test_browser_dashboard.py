"""A coordinator's journey through the dashboard, in a browser, keyboard first."""

import csv
import datetime

import pytest
from django.utils import timezone

from conftest import assert_accessible, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _incident_at(school, by):
    from incidents.models import Incident, IncidentCategory

    category, _ = IncidentCategory.objects.get_or_create(
        code="weapons", defaults={"name": "Weapons possession", "is_ssec": True}
    )
    return Incident.objects.create(
        school=school,
        reported_by=by,
        occurred_at=timezone.now() - datetime.timedelta(days=3),
        location="hallway",
        category=category,
        description="A knife found in a locker.",
        table_level=3,
        level=3,
    )


def test_coordinator_filters_follows_a_tile_and_exports_csv(
    page, live_server, coordinator, officer_a, officer_b
):
    _incident_at(officer_b.officer.assignments.get().school, coordinator)
    browser_login(page, live_server, "coord")
    assert page.get_by_role("heading", name="Dashboard", exact=True).is_visible()
    assert page.locator("canvas[data-chart]").first.is_visible()
    assert_accessible(page)

    # Keyboard only: choose the school, tab to the button, press Enter.
    school = page.get_by_label("School", exact=True)
    school.focus()
    school.select_option(label="Bravo Middle School")
    page.keyboard.press("Tab")  # agency
    page.keyboard.press("Tab")  # Apply filters
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "school=" in page.url
    assert page.get_by_text("The district, school year").is_visible()
    assert page.get_by_text("1 incident; most often Weapons possession (1).").is_visible()
    assert_accessible(page)

    # The table behind a chart opens from the keyboard.
    summary = page.locator("#tile-coverage summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("table", name="Primary SRO by school").is_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these figures (CSV)").click()
    rows = list(csv.reader(open(download_info.value.path(), encoding="utf-8")))
    assert rows[1] == ["Tile", "Table", "Row", "Column", "Value"]
    assert any(r[2] == "Bravo Middle School" for r in rows)
    assert not any(r[2] == "Alpha High School" for r in rows)

    # The tile's link opens the incident list with the same filters, and it exports them.
    page.locator("#tile-by-month .card-footer a").click()
    page.wait_for_load_state()
    assert "/incidents/" in page.url and "school=" in page.url
    assert page.get_by_role("heading", level=1).is_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    exported = list(csv.reader(open(download_info.value.path(), encoding="utf-8")))
    assert len(exported) == 2  # the header and the one incident at Bravo
    assert any("Bravo Middle School" in cell for cell in exported[1])


def test_bad_dates_are_explained_on_the_page(page, live_server, coordinator):
    browser_login(page, live_server, "coord")
    page.get_by_label("From", exact=True).fill("2026-09-30")
    page.get_by_label("To", exact=True).fill("2026-09-01")
    page.get_by_label("To", exact=True).press("Enter")
    page.wait_for_load_state()
    summary = page.get_by_role("alert").filter(has_text="The end date is before the start date.")
    assert summary.is_visible() and "The filters were not applied" in summary.inner_text()
    assert_accessible(page)


def test_officer_dashboard_and_monthly_report_are_accessible(page, live_server, officer_a, coordinator):
    browser_login(page, live_server, "officer_a")
    assert page.get_by_role("heading", name="My dashboard").is_visible()
    assert_accessible(page)
    page.context.clear_cookies()
    browser_login(page, live_server, "coord")
    page.goto(f"{live_server.url}/reports/monthly/")
    assert page.get_by_role("heading", name="SRO program report").is_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Show month").is_visible()


def test_administrators_home_and_the_list_of_reports_are_accessible(
    page, live_server, admin_a, school_a, coordinator
):
    _incident_at(school_a, admin_a)
    browser_login(page, live_server, "admin_a")  # an administrator lands on My schools
    page.get_by_role("heading", level=1).wait_for()
    assert page.url.endswith("/reports/my-schools/")
    assert_accessible(page)
    page.context.clear_cookies()
    browser_login(page, live_server, "coord")
    page.goto(f"{live_server.url}/reports/all/")
    assert_accessible(page)
