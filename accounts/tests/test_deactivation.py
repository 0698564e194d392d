"""Deactivation ends access at once: the login, every open session, the officer's schools;
reactivation gives it back; accounts nobody used for 90 days are listed for review."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from conftest import make_user, sign_in
from officers.models import OfficerStatus
from schools.models import Assignment


def _signed_in(user) -> Client:
    client = Client()
    assert sign_in(client, user.username).status_code == 302
    return client


def _can_use_the_app(client) -> bool:
    response = client.get(reverse("officers:note_list"))
    return response.status_code == 200


def test_deactivating_an_officer_ends_their_open_sessions_and_their_login(coordinator_client, officer_a):
    phone, laptop = _signed_in(officer_a), _signed_in(officer_a)
    assert _can_use_the_app(phone) and _can_use_the_app(laptop)

    response = coordinator_client.post(reverse("officers:deactivate", args=[officer_a.officer.pk]))

    officer_a.refresh_from_db()
    assert not officer_a.is_active
    assert officer_a.officer.status == OfficerStatus.INACTIVE
    assert "signed out everywhere" in coordinator_client.get(response.url).text
    assert not _can_use_the_app(phone) and not _can_use_the_app(laptop)
    assert phone.get(reverse("officers:note_list")).url.startswith(reverse("login"))
    assert not any(s.get_decoded().get("_auth_user_id") == str(officer_a.pk) for s in Session.objects.all())
    assert sign_in(Client(), officer_a.username).status_code == 200  # the password no longer signs in


def test_deactivation_ends_the_assignments_and_their_access_today(coordinator_client, officer_a, school_a):
    coordinator_client.post(reverse("officers:deactivate", args=[officer_a.officer.pk]))
    assignment = officer_a.officer.assignments.get()
    assert assignment.end_date == timezone.localdate()
    assert assignment.ended_at is not None
    assert list(officer_a.schools_in_scope()) == []


def test_reactivating_an_officer_lets_them_sign_in_again(coordinator_client, officer_a, school_a):
    coordinator_client.post(reverse("officers:deactivate", args=[officer_a.officer.pk]))
    page = coordinator_client.get(reverse("officers:reactivate", args=[officer_a.officer.pk]))
    assert "Reactivate" in page.text

    coordinator_client.post(reverse("officers:reactivate", args=[officer_a.officer.pk]))

    officer_a.refresh_from_db()
    assert officer_a.is_active and officer_a.officer.is_active
    client = _signed_in(officer_a)
    assert _can_use_the_app(client)
    # Ended assignments stay ended: a new one gives the school back.
    assert list(officer_a.schools_in_scope()) == []
    Assignment.objects.create(
        officer=officer_a.officer, school=school_a, start_date=timezone.localdate(), kind="secondary"
    )
    assert list(officer_a.schools_in_scope()) == [school_a]


def test_setting_an_officer_inactive_in_the_form_deactivates_them_the_same_way(coordinator_client, officer_a):
    client = _signed_in(officer_a)
    officer = officer_a.officer
    data = {
        "first_name": officer.first_name,
        "last_name": officer.last_name,
        "agency": officer.agency_id,
        "badge_number": officer.badge_number,
        "rank": officer.rank,
        "email": officer.email,
        "status": OfficerStatus.INACTIVE,
        "attire": officer.attire,
        "user": officer_a.pk,
    }
    response = coordinator_client.post(reverse("officers:update", args=[officer.pk]), data)
    assert response.status_code == 302
    officer_a.refresh_from_db()
    assert not officer_a.is_active
    assert not _can_use_the_app(client)

    coordinator_client.post(reverse("officers:update", args=[officer.pk]), {**data, "status": "active"})
    officer_a.refresh_from_db()
    assert officer_a.is_active


def test_deactivating_any_account_in_the_admin_ends_its_sessions(admin_a):
    client = _signed_in(admin_a)
    assert client.get(reverse("core:notifications")).status_code == 200
    admin_a.is_active = False
    admin_a.save()
    assert client.get(reverse("core:notifications")).url.startswith(reverse("login"))


def test_other_users_sessions_survive_a_deactivation(coordinator_client, officer_a, admin_a):
    colleague = _signed_in(admin_a)
    coordinator_client.post(reverse("officers:deactivate", args=[officer_a.officer.pk]))
    assert colleague.get(reverse("core:notifications")).status_code == 200
    assert coordinator_client.get(reverse("core:notifications")).status_code == 200


def test_an_assignment_ended_today_ends_its_access_now(coordinator_client, officer_a, school_a, school_b):
    # A transfer: officer A stays active, moves from school A to school B today.
    officer = officer_a.officer
    current = officer.assignments.get()
    assert list(officer_a.schools_in_scope()) == [school_a]
    today = timezone.localdate()
    form = {
        "officer": officer.pk,
        "school": school_a.pk,
        "kind": "primary",
        "start_date": current.start_date.isoformat(),
        "end_date": today.isoformat(),
        "weekdays": list("12345"),
        "notes": "",
    }
    response = coordinator_client.post(reverse("schools:assignment_update", args=[current.pk]), form)
    assert response.status_code == 302
    client = Client()
    client.force_login(officer_a)
    assert client.get(reverse("schools:detail", args=[school_a.pk])).status_code == 404
    assert list(officer_a.schools_in_scope()) == []
    # Coverage still records that the assignment was the school's today.
    assert Assignment.objects.active_on(today).filter(pk=current.pk).exists()


def test_an_assignment_planned_to_end_today_gives_access_through_today(officer_a, school_a):
    # Set in advance, the end date is the last day of the assignment, inclusive.
    today = timezone.localdate()
    Assignment.objects.filter(officer=officer_a.officer).update(end_date=today)
    assert list(officer_a.schools_in_scope()) == [school_a]
    assert list(officer_a.schools_in_scope(on=today + datetime.timedelta(days=1))) == []


def test_the_note_form_offers_only_the_schools_of_current_assignments(officer_a, school_a, school_b):
    past = datetime.date(2019, 8, 1)
    Assignment.objects.create(
        officer=officer_a.officer, school=school_b, start_date=past, end_date=datetime.date(2020, 6, 30)
    )
    client = Client()
    client.force_login(officer_a)
    page = client.get(reverse("officers:note_create"))
    assert school_a.name in page.text
    assert school_b.name not in page.text
    response = client.post(
        reverse("officers:note_create"),
        {"date": timezone.localdate().isoformat(), "school": school_b.pk, "category": "patrol", "minutes": 9},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not officer_a.officer.notes.exists()


# --- Accounts nobody signed in with for 90 days ------------------------------------------


@pytest.fixture
def dormant(db):
    user = make_user("dormant", "school_admin")
    User.objects.filter(pk=user.pk).update(last_login=timezone.now() - datetime.timedelta(days=91))
    return user


def test_accounts_unused_for_90_days_are_listed_for_coordinators(coordinator_client, dormant, admin_a):
    User.objects.filter(pk=admin_a.pk).update(last_login=timezone.now() - datetime.timedelta(days=10))
    never = make_user("never", "officer")
    User.objects.filter(pk=never.pk).update(date_joined=timezone.now() - datetime.timedelta(days=200))
    page = coordinator_client.get(reverse("accounts:review"))
    assert page.status_code == 200
    listed = page.context["dormant"]
    assert dormant in listed and never in listed
    assert admin_a not in listed
    assert "never (account made" in page.text


def test_a_long_review_comes_in_pages_longest_unused_first(coordinator_client, settings):
    from accounts import views

    long_ago = timezone.now() - datetime.timedelta(days=91)
    for i in range(views.REVIEW_PAGE_SIZE + 2):
        user = make_user(f"dormant{i:03}", "officer")
        User.objects.filter(pk=user.pk).update(last_login=long_ago + datetime.timedelta(minutes=i))
    first = coordinator_client.get(reverse("accounts:review"))
    assert f"({views.REVIEW_PAGE_SIZE + 2}, longest unused first)" in first.text
    assert "dormant000" in first.text and "dormant051" not in first.text
    assert "Page 1 of 2" in first.text
    second = coordinator_client.get(reverse("accounts:review") + "?page=2")
    assert "dormant051" in second.text and "dormant000" not in second.text


def test_a_coordinator_deactivates_and_reactivates_an_account_from_the_review(coordinator_client, dormant):
    client = Client()
    client.force_login(dormant)
    coordinator_client.post(reverse("accounts:deactivate", args=[dormant.pk]))
    dormant.refresh_from_db()
    assert not dormant.is_active
    assert client.get(reverse("core:notifications")).url.startswith(reverse("login"))
    assert dormant in coordinator_client.get(reverse("accounts:review")).context["inactive"]

    coordinator_client.post(reverse("accounts:reactivate", args=[dormant.pk]))
    dormant.refresh_from_db()
    assert dormant.is_active


def test_a_coordinator_cannot_deactivate_themself(coordinator_client, coordinator):
    assert coordinator_client.post(reverse("accounts:deactivate", args=[coordinator.pk])).status_code == 403
    coordinator.refresh_from_db()
    assert coordinator.is_active


def test_deactivating_an_officers_account_deactivates_the_officer(coordinator_client, officer_a):
    coordinator_client.post(reverse("accounts:deactivate", args=[officer_a.pk]))
    officer_a.refresh_from_db()
    assert officer_a.officer.status == OfficerStatus.INACTIVE
    assert list(officer_a.schools_in_scope()) == []
