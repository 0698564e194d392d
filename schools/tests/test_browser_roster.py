"""Coordinators' roster pages, as a person sees them: accessible, coverage at a glance."""

import pytest

from conftest import assert_accessible, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/schools/",
    "/schools/new/",
    "/schools/assignments/",
    "/schools/assignments/new/",
    "/officers/",
    "/officers/new/",
    "/officers/agencies/",
    "/officers/agencies/new/",
    "/officers/notes/",
]


def test_coordinator_roster_pages_are_accessible(page, live_server, coordinator, officer_a, school_b):
    officer = officer_a.officer
    browser_login(page, live_server, "coord")
    extra = [
        f"/officers/agencies/{officer.agency_id}/",
        f"/officers/{officer.pk}/deactivate/",
        f"/officers/{officer.pk}/week/",
        f"/schools/{school_b.pk}/delete/",
    ]
    for path in PAGES + extra:
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    page.goto(f"{live_server.url}/schools/{school_b.pk}/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/officers/{officer_a.officer.pk}/")
    assert_accessible(page)


def test_coverage_shows_uncovered_schools_and_an_overlap_error_is_explained(
    page, live_server, coordinator, officer_a, school_b
):
    browser_login(page, live_server, "coord")
    page.get_by_role("link", name="Coverage", exact=True).click()
    page.wait_for_load_state()
    assert "1 without a primary SRO" in page.locator("#coverage-summary").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Assign an officer to Bravo Middle School").click()
    page.wait_for_load_state()
    page.get_by_label("Officer").select_option(label=str(officer_a.officer))
    page.get_by_label("Start date").fill("2026-09-01")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "already has a primary assignment at Alpha High School" in page.locator("main form").inner_text()
    assert_accessible(page)
