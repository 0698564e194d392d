import datetime

import pytest
from django.urls import reverse

from conftest import make_officer, make_user
from schools.models import Assignment, Level, School


def test_coordinator_adds_and_edits_a_school_with_its_administrators(coordinator_client, admin_b):
    response = coordinator_client.post(
        reverse("schools:create"),
        {
            "name": "Delta Elementary",
            "district": admin_b.administered_schools.get().district_id,
            "level": Level.ELEMENTARY,
            "address": "1 Elm St",
            "principal": "Ms. Rivera",
            "enrollment": 320,
            "administrators": [admin_b.pk],
            "joined_program_on": "2027-01-05",
            "is_active": "on",
        },
    )
    school = School.objects.get(name="Delta Elementary")
    assert response.url == school.get_absolute_url()
    assert list(school.administrators.all()) == [admin_b]
    response = coordinator_client.post(
        reverse("schools:update", args=[school.pk]),
        {
            "name": "Delta Elementary",
            "district": school.district_id,
            "level": Level.ELEMENTARY,
            "enrollment": 335,
        },
    )
    school.refresh_from_db()
    assert school.enrollment == 335
    assert school.is_active is False  # unticked means it left the program


def test_a_school_with_assignments_cannot_be_deleted_and_the_coordinator_is_told_why(
    coordinator_client, officer_a, school_a
):
    response = coordinator_client.post(reverse("schools:delete", args=[school_a.pk]), follow=True)
    assert School.objects.filter(pk=school_a.pk).exists()
    assert "cannot be deleted" in response.text


def test_an_unused_school_can_be_deleted_after_confirmation(coordinator_client):
    school = School.objects.create(name="Typo School", level=Level.HIGH)
    confirm = coordinator_client.get(reverse("schools:delete", args=[school.pk]))
    assert "Delete Typo School?" in confirm.text
    assert School.objects.filter(pk=school.pk).exists()  # GET changes nothing
    coordinator_client.post(reverse("schools:delete", args=[school.pk]))
    assert not School.objects.filter(pk=school.pk).exists()


def test_school_list_searches_and_filters(coordinator_client, school_a, school_b):
    page = coordinator_client.get(reverse("schools:list"), {"q": "alpha"})
    assert school_a.get_absolute_url() in page.text and school_b.get_absolute_url() not in page.text
    page = coordinator_client.get(reverse("schools:list"), {"level": Level.MIDDLE})
    assert school_b.get_absolute_url() in page.text and school_a.get_absolute_url() not in page.text


def test_administrator_sees_only_their_school(admin_a_client, school_a, school_b):
    page = admin_a_client.get(reverse("schools:list"))
    assert school_a.get_absolute_url() in page.text and school_b.get_absolute_url() not in page.text
    assert admin_a_client.get(reverse("schools:detail", args=[school_b.pk])).status_code == 404


@pytest.mark.parametrize("name", ["schools:create", "schools:coverage"])
def test_school_management_is_refused_to_non_coordinators(name, admin_a_client, officer_a_client):
    assert admin_a_client.get(reverse(name)).status_code == 403
    assert officer_a_client.get(reverse(name)).status_code == 403


def test_school_edit_and_delete_are_refused_to_administrators_of_that_school(admin_a_client, school_a):
    assert admin_a_client.get(reverse("schools:update", args=[school_a.pk])).status_code == 403
    assert admin_a_client.post(reverse("schools:delete", args=[school_a.pk])).status_code == 403
    assert School.objects.filter(pk=school_a.pk).exists()


def test_anonymous_visitor_is_sent_to_sign_in(client, school_a):
    response = client.get(reverse("schools:detail", args=[school_a.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def _many_schools(agency, n):
    for i in range(n):
        school = School.objects.create(name=f"School {i:03}", level=Level.MIDDLE)
        admin = make_user(f"adm{i}", "school_admin")
        school.administrators.add(admin)
        make_officer(f"off{i}", school, agency, f"B{i}")


@pytest.mark.parametrize("url_name", ["schools:list", "schools:assignment_list", "schools:coverage"])
def test_school_list_pages_query_count_stays_flat(
    url_name, coordinator_client, agency, django_assert_max_num_queries
):
    _many_schools(agency, 3)
    with django_assert_max_num_queries(50) as few:
        coordinator_client.get(reverse(url_name))
    _many_schools_more = 30
    for i in range(_many_schools_more):
        school = School.objects.create(name=f"More {i:03}", level=Level.HIGH)
        make_officer(f"more{i}", school, agency, f"M{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = coordinator_client.get(reverse(url_name))
    assert response.status_code == 200


def test_school_detail_shows_assignment_history_to_coordinators(coordinator_client, officer_a, school_a):
    Assignment.objects.filter(officer=officer_a.officer).update(end_date=datetime.date(2025, 6, 30))
    page = coordinator_client.get(reverse("schools:detail", args=[school_a.pk]))
    assert "Ended" in page.text and "Officer_A Officer" in page.text
