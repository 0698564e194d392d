"""A coordinator's journey through the dashboard, in a browser, keyboard first."""

import csv

import pytest

from conftest import assert_accessible, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_filters_follows_a_tile_and_exports_csv(
    page, live_server, coordinator, officer_a, officer_b
):
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
    assert page.get_by_text("Bravo Middle School").first.is_visible()
    assert_accessible(page)

    # The table behind a chart opens from the keyboard.
    summary = page.locator("#tile-coverage summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("table", name="Primary SRO by school").is_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these figures (CSV)").click()
    download = download_info.value
    rows = list(csv.reader(open(download.path(), encoding="utf-8")))
    assert rows[1] == ["Tile", "Table", "Row", "Column", "Value"]
    assert any(r[2] == "Bravo Middle School" for r in rows)
    assert not any(r[2] == "Alpha High School" for r in rows)

    page.locator("#tile-coverage .card-footer a").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).is_visible()
    assert_accessible(page)


def test_bad_dates_are_explained_on_the_page(page, live_server, coordinator):
    browser_login(page, live_server, "coord")
    page.get_by_label("From", exact=True).fill("2026-09-30")
    page.get_by_label("To", exact=True).fill("2026-09-01")
    page.get_by_label("To", exact=True).press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("alert").filter(has_text="The end date is before the start date.").is_visible()
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
