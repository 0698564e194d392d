"""In a browser: single sign-on against a real OpenID Connect provider on loopback, and the
pages this work changed, each checked with axe."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from accounts.tests.oidc_provider import Provider
from accounts.tests.test_two_factor import code_for, totp_device
from conftest import assert_accessible, browser_login, make_user, sign_in
from core.models import Notification
from surveys.models import Audience, Response, Survey, SurveyLink
from surveys.services import program_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(settings):
    with Provider() as running:
        for name, value in running.settings().items():
            setattr(settings, name, value)
        yield running


def sign_in_at_the_provider(page, live_server, email: str, *, mfa: bool = False) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Sign in with Loopback District ID").click()
    page.get_by_role("heading", name="Loopback District ID").wait_for()
    page.get_by_label("Email").fill(email)
    if mfa:
        page.get_by_label("Used a security key").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def test_an_officer_signs_in_with_single_sign_on(page, live_server, provider, officer_a):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    sign_in_at_the_provider(page, live_server, officer_a.email)
    assert page.url.startswith(f"{live_server.url}/reports/")
    assert page.get_by_role("link", name="My notes").first.is_visible()
    assert provider.sign_ins == 1


def test_a_coordinator_without_mfa_at_the_provider_enters_a_code(
    page, live_server, provider, settings, coordinator
):
    settings.REQUIRE_2FA_FOR_COORDINATORS = True
    device = totp_device(coordinator)
    sign_in_at_the_provider(page, live_server, coordinator.email)
    page.get_by_role("heading", name="Authentication code").wait_for()
    assert "/accounts/verify/" in page.url
    assert_accessible(page)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Verify").click()
    page.locator("[data-error-summary]").wait_for()
    # The field says what was wrong (its accessible description), not only a red border.
    assert "Invalid token" in page.get_by_label("Code").evaluate(
        "field => field.getAttribute('aria-describedby').split(' ')"
        ".map(id => document.getElementById(id).textContent).join(' ')"
    )
    assert page.get_by_label("Code").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code's throttle (tested in test_two_factor)
    device.throttling_failure_timestamp = None
    device.save()
    page.get_by_label("Code").fill(code_for(device))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(f"{live_server.url}/reports/**")


def test_a_coordinator_with_mfa_at_the_provider_goes_straight_in(
    page, live_server, provider, settings, coordinator
):
    settings.REQUIRE_2FA_FOR_COORDINATORS = True
    totp_device(coordinator)
    sign_in_at_the_provider(page, live_server, coordinator.email, mfa=True)
    assert page.url.startswith(f"{live_server.url}/reports/")


def test_an_unknown_email_is_told_why_it_was_not_signed_in(page, live_server, provider, admin_a):
    sign_in_at_the_provider(page, live_server, "stranger@example.org")
    assert page.get_by_role("heading", name="Single sign-on did not sign you in").is_visible()
    assert_accessible(page)


def test_the_changed_coordinator_pages_are_accessible(page, live_server, coordinator, officer_a, school_a):
    dormant = make_user("dormant", "school_admin")
    type(dormant).objects.filter(pk=dormant.pk).update(
        last_login=timezone.now() - datetime.timedelta(days=120)
    )
    today = timezone.localdate()
    template = program_template()
    survey = Survey.objects.create(
        template=template,
        title="Program feedback",
        audiences=[Audience.STAFF, Audience.PARENT],
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=10),
        launched_at=timezone.now(),
        created_by=coordinator,
    )
    survey.schools.set([school_a])
    SurveyLink.objects.create(survey=survey, school=school_a, audience=Audience.STAFF, answers=2)
    questions = list(template.questions.all())
    for audience, text in [
        ("staff", "Good year"),
        ("staff", "Good year"),
        ("staff", "Good year"),
        ("parent", "Mine"),
    ]:
        Response.objects.create(
            survey=survey,
            school=school_a,
            audience=audience,
            submitted_on=today,
            answers={str(q.pk): 4 for q in questions[:5]} | {str(questions[5].pk): text},
        )
    browser_login(page, live_server, "coord")
    for path in [
        "/accounts/review/",
        f"/officers/{officer_a.officer.pk}/deactivate/",
        f"/surveys/{survey.pk}/results/",
        f"/surveys/{survey.pk}/results/?audience=parent",
        f"/drills/schools/{school_a.pk}/",
    ]:
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    page.goto(f"{live_server.url}/accounts/review/")
    page.get_by_role("button", name="Deactivate dormant").click()
    page.get_by_text(
        "dormant is deactivated and signed out everywhere"
    ).wait_for()  # the page the click leads to
    assert_accessible(page)
    page.goto(f"{live_server.url}/officers/{officer_a.officer.pk}/deactivate/")
    page.get_by_role("button", name="Deactivate").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Reactivate").click()
    page.wait_for_load_state()
    assert_accessible(page)


def test_the_changed_officer_pages_are_accessible(page, live_server, officer_a, school_a):
    Notification.objects.create(user=officer_a, title="Drill tomorrow", url="/drills/")
    browser_login(page, live_server, "officer_a")
    page.goto(f"{live_server.url}/drills/")
    page.get_by_role("button", name="Create my calendar address").click()
    page.wait_for_load_state()
    assert page.get_by_label(
        "Subscribe in your calendar app with this address (keep it private):"
    ).is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/notifications/")
    assert_accessible(page)
    page.get_by_role("button", name="Open Drill tomorrow").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/drills/"


def test_the_audit_trail_deliveries_and_locked_accounts_are_accessible(
    page, live_server, coordinator, admin_a
):
    for _ in range(5):  # locks admin_a, and leaves sign-in entries in the trail
        sign_in(Client(), "admin_a", "wrong-password")
    browser_login(page, live_server, "coord")
    for path in ["/audit/", "/deliveries/", "/deliveries/?show=failed", "/accounts/locked/"]:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)
