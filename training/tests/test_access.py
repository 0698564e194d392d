"""Who may open what: coordinators everything, officers their own training, administrators
and anonymous visitors nothing."""

import datetime

import pytest
from django.urls import reverse

from training.models import RecordStatus, Requirement

from .conftest import add_record

COORDINATOR_ONLY = [
    "training:matrix",
    "training:matrix_csv",
    "training:hours",
    "training:requirement_list",
    "training:requirement_create",
    "training:course_create",
]
OFFICER_PAGES = [
    "training:home",
    "training:my_training",
    "training:record_list",
    "training:record_csv",
    "training:record_create",
]


@pytest.mark.parametrize("name", COORDINATOR_ONLY + OFFICER_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", COORDINATOR_ONLY + OFFICER_PAGES)
def test_school_administrators_are_refused(admin_a_client, name):
    assert admin_a_client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", COORDINATOR_ONLY)
def test_officers_are_refused_coordinator_pages(officer_a_client, name):
    assert officer_a_client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", OFFICER_PAGES)
def test_officers_open_their_own_pages(officer_a_client, name):
    assert officer_a_client.get(reverse(name), follow=True).status_code == 200


@pytest.mark.parametrize(
    "name", COORDINATOR_ONLY + ["training:record_list", "training:record_csv", "training:record_create"]
)
def test_coordinators_open_every_page(coordinator_client, name):
    assert coordinator_client.get(reverse(name)).status_code == 200


def test_home_sends_coordinators_to_the_matrix_and_officers_to_their_page(
    coordinator_client, officer_a_client
):
    assert coordinator_client.get(reverse("training:home")).url == reverse("training:matrix")
    assert officer_a_client.get(reverse("training:home")).url == reverse("training:my_training")


def test_an_officer_cannot_open_another_officers_record_or_page(officer_a, officer_b, officer_a_client, cpr):
    theirs = add_record(officer_b.officer, cpr, datetime.date(2026, 1, 5), status=RecordStatus.PENDING)
    for name in ["training:record_detail", "training:record_edit", "training:certificate"]:
        assert officer_a_client.get(reverse(name, args=[theirs.pk])).status_code == 404, name
    assert officer_a_client.post(reverse("training:record_edit", args=[theirs.pk]), {}).status_code == 404
    assert officer_a_client.get(reverse("training:officer", args=[officer_b.officer.pk])).status_code == 404
    assert officer_a_client.get(reverse("training:officer", args=[officer_a.officer.pk])).status_code == 200


def test_an_officers_record_list_and_export_hold_only_their_records(
    officer_a, officer_b, officer_a_client, cpr
):
    add_record(officer_a.officer, cpr, datetime.date(2026, 1, 5))
    add_record(officer_b.officer, cpr, datetime.date(2026, 1, 6))
    page = officer_a_client.get(reverse("training:record_list"))
    assert page.context["page_obj"].paginator.count == 1
    csv = b"".join(officer_a_client.get(reverse("training:record_csv")).streaming_content).decode()
    assert "Officer_A" in csv and "Officer_B" not in csv


def test_school_administrators_cannot_see_records(admin_a_client, officer_a, cpr):
    record = add_record(officer_a.officer, cpr, datetime.date(2026, 1, 5))
    for name in ["training:record_detail", "training:record_edit", "training:certificate"]:
        assert admin_a_client.get(reverse(name, args=[record.pk])).status_code == 403
    assert admin_a_client.get(reverse("training:officer", args=[officer_a.officer.pk])).status_code == 403


def test_only_coordinators_change_requirements(officer_a_client, admin_a_client, coordinator_client, cpr):
    requirement = Requirement.objects.get(course=cpr)
    for client in (officer_a_client, admin_a_client):
        assert client.post(reverse("training:requirement_delete", args=[requirement.pk])).status_code == 403
        assert client.post(reverse("training:requirement_edit", args=[requirement.pk]), {}).status_code == 403
    assert Requirement.objects.filter(pk=requirement.pk).exists()
    # GET only asks for confirmation; POST removes.
    assert (
        coordinator_client.get(reverse("training:requirement_delete", args=[requirement.pk])).status_code
        == 200
    )
    assert Requirement.objects.filter(pk=requirement.pk).exists()
    coordinator_client.post(reverse("training:requirement_delete", args=[requirement.pk]))
    assert not Requirement.objects.filter(pk=requirement.pk).exists()


def test_an_officer_cannot_submit_a_record_for_someone_else(officer_a, officer_b, officer_a_client, cpr):
    from .conftest import pdf_upload

    officer_a_client.post(
        reverse("training:record_create"),
        {
            "officer": officer_b.officer.pk,
            "course": cpr.pk,
            "completed_on": "2026-03-14",
            "certificate": pdf_upload(),
        },
    )
    assert not officer_b.officer.training_records.exists()
    assert officer_a.officer.training_records.count() == 1


def test_training_appears_in_the_navigation_for_coordinators_and_officers(
    coordinator_client, officer_a_client, admin_a_client
):
    url = reverse("training:home")
    assert f'href="{url}"' in coordinator_client.get(reverse("training:matrix")).text
    assert f'href="{url}"' in officer_a_client.get(reverse("training:my_training")).text
    assert f'href="{url}"' not in admin_a_client.get(reverse("core:notifications")).text


def test_coordinator_adds_a_recurring_course_and_changing_its_interval_moves_expiries(
    coordinator_client, officer_a
):
    from training.models import Course

    coordinator_client.post(
        reverse("training:course_create"),
        {
            "name": "Naloxone administration",
            "provider": "County EMS",
            "hours": "2",
            "delivery": "online",
            "is_active": "on",
        },
    )
    course = Course.objects.get(name="Naloxone administration")
    record = add_record(officer_a.officer, course, datetime.date(2025, 1, 31))
    assert record.expires_on is None
    coordinator_client.post(
        reverse("training:course_edit", args=[course.pk]),
        {
            "name": course.name,
            "provider": "County EMS",
            "hours": "2",
            "delivery": "online",
            "renewal_months": "1",
            "is_active": "on",
        },
    )
    record.refresh_from_db()
    assert record.expires_on == datetime.date(2025, 2, 28)
