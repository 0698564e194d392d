"""Turning on two-factor authentication and signing in with it, in a browser: accessible pages,
nothing blocked by the Content Security Policy."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from conftest import assert_accessible, browser_login, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_csp(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return violations


def test_user_turns_on_two_factor_and_signs_in_with_a_code(page, live_server, admin_a):
    violations = watch_csp(page)
    browser_login(page, live_server, "admin_a")
    page.get_by_role("button", name=str(admin_a)).click()
    page.get_by_role("link", name="Two-factor authentication").click()
    assert_accessible(page)
    page.get_by_role("link", name="Set up two-factor authentication").click()
    assert_accessible(page)
    page.get_by_role("button", name="Next").click()

    qr = page.get_by_role("img", name="QR code to add SRO Program Manager to your authenticator app")
    qr.wait_for()
    # The QR code is an image served by the app (no inline data), and it loads under the CSP.
    wait_until(page, "img => img.complete && img.naturalWidth > 0", qr.element_handle())
    assert_accessible(page)
    key = b32decode(page.locator("code").inner_text().strip())
    page.get_by_label("Token").fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    page.get_by_role("heading", name="Two-factor authentication is on").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Create backup codes").click()
    page.get_by_role("button", name="Create new backup codes").click()
    assert page.locator("ul.font-monospace li").count() == 10
    assert_accessible(page)

    page.get_by_role("button", name=str(admin_a)).click()
    page.get_by_role("button", name="Sign out").click()
    browser_login(page, live_server, "admin_a")
    assert page.get_by_role("heading", name="Authentication code").is_visible()
    assert_accessible(page)
    page.get_by_label("Token").fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Verify").click()
    page.get_by_role("link", name="Schools", exact=True).wait_for()  # the page the click leads to

    page.goto(f"{live_server.url}/accounts/two-factor/disable/")
    assert_accessible(page)
    page.get_by_label("Yes, I am sure").check()
    page.get_by_role("button", name="Turn off two-factor authentication").click()
    page.wait_for_load_state()
    assert not admin_a.totpdevice_set.exists()
    assert violations == []
