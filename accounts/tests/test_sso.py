"""Single sign-on (OpenID Connect) against a real provider on loopback: verified email to
an existing, active account only; issuer and audience checked; the coordinators' two-factor
rule met by the provider's MFA or asked for in the app; every sign-in audited with its method.
(The same flow in a browser: tests/test_browser_sso.py.)"""

from urllib.parse import parse_qs, urlparse

import pytest
import requests
from auditlog.models import LogEntry
from django.contrib.auth import get_user
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tests.oidc_provider import Provider
from accounts.tests.test_two_factor import code_for, totp_device
from conftest import make_user


@pytest.fixture
def provider(settings):
    with Provider() as running:
        for name, value in running.settings().items():
            setattr(settings, name, value)
        yield running


def sso_sign_in(client, provider, email: str, *, mfa: bool = False, next_url: str = ""):
    """Start at the app, sign in at the provider, come back with the code; the final response."""
    start = client.get(reverse("accounts:sso_start") + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302 and start.url.startswith(f"{provider.url}/authorize?")
    params = {k: v[0] for k, v in parse_qs(urlparse(start.url).query).items()}
    assert params["code_challenge_method"] == "S256" and params["nonce"] and params["state"]
    page = requests.get(start.url, timeout=5)
    assert "Loopback District ID" in page.text
    answer = requests.post(
        f"{provider.url}/authorize",
        data={**params, "email": email, "mfa": "1" if mfa else ""},
        allow_redirects=False,
        timeout=5,
    )
    return client.get(answer.headers["Location"])


def signed_in_as(client):
    request = type("R", (), {"session": client.session})()
    return get_user(request)


def test_a_verified_email_signs_in_to_the_existing_account(provider, officer_a):
    client = Client()
    response = sso_sign_in(client, provider, "Officer_A@Example.org")
    assert response.status_code == 302 and response.url == reverse("core:home")
    assert signed_in_as(client) == officer_a
    assert client.get(reverse("officers:note_list")).status_code == 200
    entry = LogEntry.objects.filter(actor=officer_a, action=LogEntry.Action.ACCESS).latest("timestamp")
    assert entry.additional_data == {"sign_in": "single sign-on"}
    assert entry.changes_dict == {"sign-in": ["", "single sign-on"]}


def test_the_page_asked_for_before_signing_in_is_where_single_sign_on_returns(provider, officer_a):
    client = Client()
    response = sso_sign_in(client, provider, officer_a.email, next_url="/officers/notes/")
    assert response.url == "/officers/notes/"


def test_an_email_without_an_account_signs_nobody_in_and_creates_nobody(provider, officer_a):
    client = Client()
    before = User.objects.count()
    response = sso_sign_in(client, provider, "stranger@example.org")
    assert response.url == reverse("accounts:sso_failed")
    page = client.get(response.url)
    assert page.status_code == 403 and "no active account here has that verified email" in page.text
    assert User.objects.count() == before
    assert not signed_in_as(client).is_authenticated


def test_an_email_the_provider_has_not_verified_is_refused(provider, officer_a):
    provider.email_verified = False
    client = Client()
    assert sso_sign_in(client, provider, officer_a.email).url == reverse("accounts:sso_failed")
    assert not signed_in_as(client).is_authenticated


def test_a_deactivated_user_cannot_sign_in_through_the_provider(provider, officer_a, coordinator_client):
    coordinator_client.post(reverse("officers:deactivate", args=[officer_a.officer.pk]))
    client = Client()
    assert sso_sign_in(client, provider, officer_a.email).url == reverse("accounts:sso_failed")
    assert not signed_in_as(client).is_authenticated


def test_a_single_sign_on_session_ends_with_the_account(provider, admin_a):
    client = Client()
    sso_sign_in(client, provider, admin_a.email)
    assert client.get(reverse("core:notifications")).status_code == 200
    User.objects.filter(pk=admin_a.pk).update(is_active=False)  # even without the signal
    assert client.get(reverse("core:notifications")).url.startswith(reverse("login"))


@pytest.mark.parametrize("bend", ["issuer_override", "audience_override"])
def test_an_id_token_from_another_issuer_or_for_another_client_is_refused(provider, officer_a, bend):
    setattr(provider, bend, "http://elsewhere.example")
    client = Client(raise_request_exception=False)
    response = sso_sign_in(client, provider, officer_a.email)
    assert response.status_code == 400
    assert not signed_in_as(client).is_authenticated


def test_two_accounts_with_one_email_sign_neither_in(provider, admin_a):
    make_user("twin", "school_admin").__class__.objects.filter(username="twin").update(email=admin_a.email)
    client = Client()
    assert sso_sign_in(client, provider, admin_a.email).url == reverse("accounts:sso_failed")


def test_a_replayed_code_is_refused(provider, officer_a):
    client = Client()
    start = client.get(reverse("accounts:sso_start"))
    params = {k: v[0] for k, v in parse_qs(urlparse(start.url).query).items()}
    answer = requests.post(
        f"{provider.url}/authorize",
        data={**params, "email": officer_a.email},
        allow_redirects=False,
        timeout=5,
    )
    back = answer.headers["Location"]
    assert client.get(back).status_code == 302
    other = Client(raise_request_exception=False)
    assert not signed_in_as(other).is_authenticated
    assert other.get(back).url != reverse("core:home")  # no state in that session: refused


# --- Coordinators' two-factor rule --------------------------------------------------------


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_2FA_FOR_COORDINATORS = True


def test_a_coordinator_whose_provider_reports_mfa_needs_no_second_code(provider, coordinator, require_2fa):
    totp_device(coordinator)
    client = Client()
    sso_sign_in(client, provider, coordinator.email, mfa=True)
    assert client.get(reverse("reports:dashboard")).status_code == 200
    entry = LogEntry.objects.filter(actor=coordinator, action=LogEntry.Action.ACCESS).latest("timestamp")
    assert entry.additional_data == {"sign_in": "single sign-on (multi-factor at the provider)"}


def test_a_coordinator_without_mfa_at_the_provider_enters_the_apps_code(provider, coordinator, require_2fa):
    device = totp_device(coordinator)
    client = Client()
    sso_sign_in(client, provider, coordinator.email, mfa=False)
    response = client.get(reverse("reports:dashboard"))
    assert response.url == reverse("accounts:verify_second_factor")
    page = client.get(response.url)
    assert "did not report a multi-factor sign-in" in page.text
    wrong = client.post(
        page.request["PATH_INFO"], {"otp_device": device.persistent_id, "otp_token": "000000"}
    )
    assert wrong.status_code == 200 and "alert-danger" in wrong.text
    # The refusal is said at the field, and the field is tied to it for a screen reader.
    assert 'aria-invalid="true" aria-describedby="id_otp_token_error"' in wrong.text
    assert '<div class="invalid-feedback d-block" id="id_otp_token_error">Invalid token.' in wrong.text
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    right = client.post(
        reverse("accounts:verify_second_factor"),
        {"otp_device": device.persistent_id, "otp_token": code_for(device)},
    )
    assert right.status_code == 302
    assert client.get(reverse("reports:dashboard")).status_code == 200


def test_a_coordinator_without_mfa_and_without_a_device_is_sent_to_set_one_up(
    provider, coordinator, require_2fa
):
    client = Client()
    sso_sign_in(client, provider, coordinator.email)
    assert client.get(reverse("reports:dashboard")).url == reverse("two_factor:setup")


def test_other_roles_sign_in_without_mfa(provider, admin_a, require_2fa):
    client = Client()
    sso_sign_in(client, provider, admin_a.email)
    assert client.get(reverse("reports:dashboard")).status_code == 200


def test_password_sign_ins_are_audited_with_their_method(admin_a):
    from conftest import sign_in

    sign_in(Client(), admin_a.username)
    entry = LogEntry.objects.filter(actor=admin_a, action=LogEntry.Action.ACCESS).latest("timestamp")
    assert entry.additional_data == {"sign_in": "password"}


def test_the_sign_in_page_offers_single_sign_on_only_when_it_is_set_up(client, provider, settings, db):
    assert "Sign in with Loopback District ID" in client.get(reverse("login")).text
    settings.SSO_ENABLED = False
    assert "Sign in with" not in client.get(reverse("login")).text
    assert client.get(reverse("accounts:sso_start")).status_code == 404


def test_refused_single_sign_ons_do_not_lock_out_everyone_else(provider, officer_a):
    # Failed provider sign-ins carry no username: the per-username lockout must not pool them.
    for _ in range(6):
        assert sso_sign_in(Client(), provider, "stranger@example.org").url == reverse("accounts:sso_failed")
    client = Client()
    assert sso_sign_in(client, provider, officer_a.email).url == reverse("core:home")
    assert signed_in_as(client) == officer_a


@pytest.mark.parametrize(
    ("amr", "mfa"),
    [
        (["pwd", "mfa"], True),
        (["pwd", "otp"], True),
        (["hwk", "pin"], True),
        (["pwd"], False),
        (["pwd", "kba"], False),
        (None, False),
        ("mfa", False),
    ],
)
def test_what_counts_as_multi_factor_in_the_amr_claim(amr, mfa):
    from accounts.sso import reports_mfa

    assert reports_mfa(amr) is mfa
