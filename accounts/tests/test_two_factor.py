"""Two-factor authentication: open to everyone, required for coordinators and superusers
when REQUIRE_2FA_FOR_COORDINATORS is on (production), throttled, and in front of the admin."""

import datetime
import time
from base64 import b32decode

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import make_user, sign_in, sign_in_token

NOON = datetime.datetime(2026, 11, 23, 17, 0, 0, tzinfo=datetime.UTC)


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_2FA_FOR_COORDINATORS = True


def totp_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def code_for(device: TOTPDevice, *, at: float | None = None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def sign_in_with_code(client, user, device) -> None:
    assert sign_in(client, user.username).status_code == 200
    response = sign_in_token(client, code_for(device))
    assert response.status_code == 302, response.content.decode()[:2000]


# --- Setting it up -----------------------------------------------------------------------------


def test_any_user_sets_up_an_authenticator_app_and_then_needs_a_code_to_sign_in(admin_a, admin_a_client):
    page = admin_a_client.get(reverse("two_factor:setup"))
    assert "Set up two-factor authentication" in page.text
    page = admin_a_client.post(reverse("two_factor:setup"), {"setup_view-current_step": "welcome"})
    assert "scanning this QR code" in page.text
    key = b32decode(admin_a_client.session["django_two_factor-qr_secret_key"])
    qr = admin_a_client.get(reverse("two_factor:qr"))
    assert qr.status_code == 200 and qr["Content-Type"].startswith("image/svg")
    code = f"{TOTP(key).token():06d}"
    response = admin_a_client.post(
        reverse("two_factor:setup"), {"setup_view-current_step": "generator", "generator-token": code}
    )
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=admin_a, confirmed=True).count() == 1
    assert "Two-factor authentication is on" in admin_a_client.get(response.url).text

    # Next time: the password alone does not sign in.
    client = Client()
    page = sign_in(client, "admin_a")
    assert page.status_code == 200
    assert "Authentication code" in page.text
    assert client.get(reverse("schools:list")).status_code == 302


def test_setup_refuses_a_wrong_code(admin_a, admin_a_client):
    admin_a_client.post(reverse("two_factor:setup"), {"setup_view-current_step": "welcome"})
    page = admin_a_client.post(
        reverse("two_factor:setup"), {"setup_view-current_step": "generator", "generator-token": "000000"}
    )
    assert "Entered token is not valid" in page.text
    assert not TOTPDevice.objects.filter(user=admin_a).exists()


def test_right_code_signs_in_and_marks_the_session_verified(client, admin_a):
    device = totp_device(admin_a)
    sign_in_with_code(client, admin_a, device)
    assert client.get(reverse("schools:list")).status_code == 200
    assert "Backup codes" in client.get(reverse("two_factor:profile")).text


def test_wrong_code_is_refused_and_the_user_stays_signed_out(client, admin_a):
    totp_device(admin_a)
    sign_in(client, "admin_a")
    page = sign_in_token(client, "123456")
    assert page.status_code == 200
    assert "Invalid token" in page.text
    assert client.get(reverse("schools:list")).status_code == 302


def test_wrong_codes_are_throttled_so_even_the_right_code_waits(client, admin_a, settings):
    # django-otp: after n successive failures no code is checked for factor x 2^(n-1) seconds.
    assert settings.OTP_TOTP_THROTTLE_FACTOR == 1
    device = totp_device(admin_a)
    wrong = "000000" if code_for(device, at=NOON.timestamp()) != "000000" else "111111"
    with time_machine.travel(NOON, tick=False) as traveller:
        sign_in(client, "admin_a")
        sign_in_token(client, wrong)
        page = sign_in_token(client, code_for(device))
        assert "Verification temporarily disabled because of 1 failed attempt" in page.text
        traveller.shift(1.5)
        sign_in_token(client, wrong)
        traveller.shift(1.5)
        page = sign_in_token(client, code_for(device))
        assert "Verification temporarily disabled because of 2 failed attempts" in page.text
        assert client.get(reverse("schools:list")).status_code == 302
        traveller.shift(1)
        assert sign_in_token(client, code_for(device)).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_backup_code_signs_in_once(client, admin_a):
    totp_device(admin_a)
    backup = StaticDevice.objects.create(user=admin_a, name="backup")
    backup.token_set.create(token="abcd1234")
    sign_in(client, "admin_a")
    page = client.post(reverse("login"), {"login_view-current_step": "token", "wizard_goto_step": "backup"})
    assert "Backup code" in page.text
    assert sign_in_token(client, "abcd1234", step="backup").status_code == 302
    assert client.get(reverse("schools:list")).status_code == 200

    other = Client()
    sign_in(other, "admin_a")
    other.post(reverse("login"), {"login_view-current_step": "token", "wizard_goto_step": "backup"})
    assert sign_in_token(other, "abcd1234", step="backup").status_code == 200


def test_verified_user_creates_backup_codes(client, admin_a):
    device = totp_device(admin_a)
    sign_in_with_code(client, admin_a, device)
    page = client.post(reverse("two_factor:backup_tokens"), follow=True)
    assert page.status_code == 200
    tokens = StaticDevice.objects.get(user=admin_a).token_set.all()
    assert len(tokens) == 10
    assert all(t.token in page.text for t in tokens)


def test_backup_codes_page_needs_a_verified_session(admin_a, admin_a_client):
    totp_device(admin_a)
    response = admin_a_client.get(reverse("two_factor:backup_tokens"))
    assert response.status_code == 302
    assert not StaticDevice.objects.filter(user=admin_a).exists()


def test_verified_user_turns_two_factor_off_after_confirming(client, admin_a):
    device = totp_device(admin_a)
    sign_in_with_code(client, admin_a, device)
    page = client.post(reverse("two_factor:disable"), {})
    assert page.status_code == 200 and "This field is required" in page.text
    assert TOTPDevice.objects.filter(user=admin_a).exists()
    client.post(reverse("two_factor:disable"), {"understand": "on"})
    assert not TOTPDevice.objects.filter(user=admin_a).exists()


def test_two_factor_pages_are_for_signed_in_users(client):
    for name in ["two_factor:profile", "two_factor:setup", "two_factor:backup_tokens"]:
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("login")), name
    # The library sends visitors without a verified session from "disable" to the home page,
    # which in turn asks them to sign in.
    assert client.get(reverse("two_factor:disable")).url == reverse("core:home")


# --- Lockout still works through the two-step sign-in ------------------------------------------------


def test_locked_account_with_two_factor_is_refused_before_the_code_step(client, admin_a):
    totp_device(admin_a)
    for _ in range(5):
        sign_in(client, "admin_a", "wrong-password")
    response = sign_in(client, "admin_a")
    assert response.status_code == 429
    assert "Authentication code" not in response.text


# --- Required for coordinators and superusers ----------------------------------------------------


def test_coordinator_without_two_factor_is_sent_to_set_it_up(require_2fa, coordinator_client):
    response = coordinator_client.get(reverse("schools:list"))
    assert response.status_code == 302
    assert response.url == reverse("two_factor:setup")
    page = coordinator_client.get(reverse("two_factor:setup"))
    assert page.status_code == 200
    assert "Your role needs two-factor authentication" in page.text


def test_unverified_coordinator_cannot_act_either(require_2fa, coordinator_client, admin_a):
    response = coordinator_client.post(reverse("accounts:unlock"), {"username": "admin_a"})
    assert response.status_code == 302
    assert response.url == reverse("two_factor:setup")


def test_unverified_coordinator_may_still_sign_out(require_2fa, coordinator_client):
    coordinator_client.post(reverse("logout"))
    assert "_auth_user_id" not in coordinator_client.session


def test_superuser_is_held_to_the_same_rule(require_2fa, db):
    root = make_user("root", "school_admin", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(root)
    assert client.get(reverse("core:audit_log")).url == reverse("two_factor:setup")


def test_coordinator_with_a_device_but_an_unverified_session_signs_in_again(require_2fa, coordinator):
    totp_device(coordinator)
    client = Client()
    client.force_login(coordinator)
    response = client.get(reverse("schools:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_coordinator_signed_in_with_a_code_uses_the_app(require_2fa, client, coordinator):
    device = totp_device(coordinator)
    sign_in_with_code(client, coordinator, device)
    assert client.get(reverse("schools:list")).status_code == 200
    assert client.get(reverse("core:audit_log")).status_code == 200


def test_coordinator_finishing_setup_can_continue(require_2fa, coordinator_client, coordinator):
    coordinator_client.post(reverse("two_factor:setup"), {"setup_view-current_step": "welcome"})
    key = b32decode(coordinator_client.session["django_two_factor-qr_secret_key"])
    coordinator_client.post(
        reverse("two_factor:setup"),
        {"setup_view-current_step": "generator", "generator-token": f"{TOTP(key).token():06d}"},
    )
    assert coordinator_client.get(reverse("schools:list")).status_code == 200


def test_other_roles_are_not_forced(require_2fa, admin_a_client, officer_a_client):
    assert admin_a_client.get(reverse("schools:list")).status_code == 200
    assert officer_a_client.get(reverse("core:notifications")).status_code == 200


def test_the_requirement_is_off_in_the_local_demo_only(settings):
    # Test settings switch it off (conftest); the settings module turns it on unless DEBUG.
    from sro_program import settings as project_settings

    assert project_settings.REQUIRE_2FA_FOR_COORDINATORS is (not project_settings.DEBUG)


# --- The admin --------------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return make_user("root", "coordinator", is_superuser=True, is_staff=True)


def test_admin_needs_a_verified_second_factor(require_2fa, superuser, client):
    client.force_login(superuser)
    assert client.get(reverse("admin:index")).status_code == 302
    client.post(reverse("logout"))
    sign_in_with_code(client, superuser, totp_device(superuser))
    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_has_no_password_form_of_its_own(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_wrong_code_is_logged_as_a_failed_sign_in(client, admin_a, caplog):
    totp_device(admin_a)
    client.defaults["REMOTE_ADDR"] = "198.51.100.7"
    sign_in(client, "admin_a")
    sign_in_token(client, "123456")
    assert any(
        r.getMessage() == "failed second factor username=admin_a ip=198.51.100.7"
        for r in caplog.records
        if r.name == "sro.security"
    )


def test_lockout_records_the_connecting_address_not_a_forged_header(client, admin_a):
    from axes.models import AccessAttempt

    client.defaults["REMOTE_ADDR"] = "198.51.100.8"
    sign_in(client, "admin_a", "wrong-password")
    client.defaults["HTTP_X_FORWARDED_FOR"] = "6.6.6.6"
    sign_in(client, "admin_a", "wrong-password")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.8"}
