import pytest
from django.urls import reverse


def test_anonymous_visitor_is_sent_to_login(client, school_a):
    response = client.get(reverse("schools:detail", args=[school_a.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_coordinator_sees_every_school(coordinator_client, school_a, school_b):
    response = coordinator_client.get(reverse("schools:list"))
    assert response.status_code == 200
    assert "Alpha High School" in response.text and "Bravo Middle School" in response.text


def test_administrator_lists_only_their_school(admin_a_client, school_a, school_b):
    response = admin_a_client.get(reverse("schools:list"))
    assert "Alpha High School" in response.text
    assert "Bravo Middle School" not in response.text


def test_administrator_of_a_gets_404_for_school_b_by_url_guessing(admin_a_client, school_b):
    response = admin_a_client.get(reverse("schools:detail", args=[school_b.pk]))
    assert response.status_code == 404
    assert "Bravo Middle School" not in response.text


def test_officer_sees_the_school_they_are_assigned_to(officer_a_client, school_a, school_b):
    assert officer_a_client.get(reverse("schools:detail", args=[school_a.pk])).status_code == 200
    assert officer_a_client.get(reverse("schools:detail", args=[school_b.pk])).status_code == 404


def test_officer_loses_scope_when_the_assignment_ends(officer_a, officer_a_client, school_a):
    import datetime

    officer_a.officer.assignments.update(end_date=datetime.date(2021, 6, 30))
    assert officer_a_client.get(reverse("schools:detail", args=[school_a.pk])).status_code == 404


@pytest.mark.parametrize("url_name", ["officers:list", "core:audit_log", "accounts:locked"])
def test_coordinator_only_pages_refuse_administrators_and_officers(
    url_name, admin_a_client, officer_a_client, coordinator_client
):
    url = reverse(url_name)
    assert admin_a_client.get(url).status_code == 403
    assert officer_a_client.get(url).status_code == 403
    assert coordinator_client.get(url).status_code == 200


def test_navigation_shows_each_role_only_what_it_may_use(admin_a_client, coordinator_client):
    assert "Audit" not in admin_a_client.get(reverse("schools:list")).text
    assert "Audit" in coordinator_client.get(reverse("schools:list")).text


def test_forbidden_request_is_logged(admin_a_client, caplog):
    admin_a_client.get(reverse("core:audit_log"))
    assert any("forbidden user=admin_a" in r.getMessage() for r in caplog.records)
