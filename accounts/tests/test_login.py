import time

from axes.models import AccessAttempt
from django.urls import reverse

from accounts.middleware import SESSION_STARTED_KEY
from conftest import sign_in

PASSWORD = "correct-horse-battery"


def test_user_signs_in_with_the_right_password(client, admin_a):
    response = sign_in(client, "admin_a", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("schools:list")).status_code == 200


def test_wrong_password_says_so_and_keeps_the_username(client, admin_a):
    response = sign_in(client, "admin_a", "wrong-password")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text
    assert 'value="admin_a"' in response.text


def test_five_failures_lock_the_account_even_with_the_right_password(client, admin_a):
    for _ in range(5):
        sign_in(client, "admin_a", "wrong-password")
    response = sign_in(client, "admin_a", PASSWORD)
    assert response.status_code == 429
    assert "Account locked" in response.text
    assert client.get(reverse("schools:list")).status_code == 302


def test_four_failures_do_not_lock(client, admin_a):
    for _ in range(4):
        sign_in(client, "admin_a", "wrong-password")
    assert sign_in(client, "admin_a", PASSWORD).status_code == 302


def test_lockout_is_per_username_not_per_visitor(client, admin_a, admin_b):
    for _ in range(5):
        sign_in(client, "admin_a", "wrong-password")
    assert sign_in(client, "admin_b", PASSWORD).status_code == 302


def test_coordinator_unlocks_a_locked_account(client, admin_a, coordinator_client):
    for _ in range(5):
        sign_in(client, "admin_a", "wrong-password")
    assert "admin_a" in coordinator_client.get(reverse("accounts:locked")).text
    response = coordinator_client.post(reverse("accounts:unlock"), {"username": "admin_a"}, follow=True)
    assert "admin_a can sign in again" in response.text
    assert not AccessAttempt.objects.filter(username="admin_a").exists()
    assert sign_in(client, "admin_a", PASSWORD).status_code == 302


def test_unlock_refuses_get(coordinator_client):
    assert coordinator_client.get(reverse("accounts:unlock")).status_code == 405


def test_session_expires_after_thirty_idle_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_session_ends_twelve_hours_after_sign_in_however_active(admin_a_client):
    assert admin_a_client.get(reverse("schools:list")).status_code == 200
    session = admin_a_client.session
    session[SESSION_STARTED_KEY] = time.time() - 12 * 3600 - 1
    session.save()
    response = admin_a_client.get(reverse("schools:list"))
    assert response.status_code == 302
    assert admin_a_client.get(reverse("schools:list")).status_code == 302


def test_logout_is_post_only_and_signs_out(admin_a_client):
    assert admin_a_client.get(reverse("logout")).status_code == 405
    admin_a_client.post(reverse("logout"))
    assert admin_a_client.get(reverse("schools:list")).status_code == 302


def test_password_change_enforces_twelve_characters(admin_a_client):
    response = admin_a_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "short-pw1", "new_password2": "short-pw1"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.text


def test_password_reset_sends_an_email(client, admin_a, mailoutbox):
    client.post(reverse("password_reset"), {"email": "admin_a@example.org"})
    assert len(mailoutbox) == 1
    assert "admin_a@example.org" in mailoutbox[0].to
