"""Signing in, as a person does it in a browser."""

import pytest

from conftest import assert_accessible, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_is_accessible_and_signs_in(page, live_server, admin_a):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    browser_login(page, live_server, "admin_a")
    assert page.get_by_role("link", name="Schools", exact=True).is_visible()
    assert_accessible(page)


def test_wrong_password_keeps_the_username_and_says_what_is_wrong(page, live_server, admin_a):
    browser_login(page, live_server, "admin_a", "not-the-password")
    assert page.title().startswith("Error: ")
    summary = page.locator("[data-error-summary]")
    assert summary.get_by_text("Please enter a correct username and password").is_visible()
    assert page.get_by_label("Username").input_value() == "admin_a"
    assert_accessible(page)


def test_locked_account_says_so(page, live_server, admin_a):
    for _ in range(5):
        browser_login(page, live_server, "admin_a", "not-the-password")
    browser_login(page, live_server, "admin_a")
    assert page.get_by_role("heading", name="Account locked").is_visible()
    assert_accessible(page)


def test_phone_width_navigation_collapses_into_a_menu(browser, live_server, admin_a):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    browser_login(page, live_server, "admin_a")
    toggle = page.get_by_role("button", name="Toggle navigation")
    assert toggle.is_visible()
    toggle.click()
    page.get_by_role("link", name="Schools", exact=True).wait_for(state="visible")
    context.close()
