import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from schools.models import Assignment, AssignmentKind
from schools.services import save_assignment

D = datetime.date


def _assignment(officer_user, school, start, end=None, kind=AssignmentKind.PRIMARY):
    return Assignment(officer=officer_user.officer, school=school, kind=kind, start_date=start, end_date=end)


def test_a_second_overlapping_primary_assignment_is_refused_with_a_clear_message(officer_a, school_b):
    # officer_a is primary at school A from 2020-08-01, open-ended.
    with pytest.raises(ValidationError) as error:
        save_assignment(assignment=_assignment(officer_a, school_b, D(2026, 9, 1)))
    assert "already has a primary assignment at Alpha High School" in str(error.value)
    assert Assignment.objects.filter(officer=officer_a.officer).count() == 1


def test_a_secondary_assignment_may_overlap_the_primary(officer_a, school_b):
    save_assignment(assignment=_assignment(officer_a, school_b, D(2026, 9, 1), kind=AssignmentKind.SECONDARY))
    assert Assignment.objects.filter(officer=officer_a.officer).count() == 2


def test_a_new_primary_after_the_old_one_ends_keeps_the_history(officer_a, school_a, school_b):
    current = Assignment.objects.get(officer=officer_a.officer)
    current.end_date = D(2026, 12, 31)
    save_assignment(assignment=current)
    save_assignment(assignment=_assignment(officer_a, school_b, D(2027, 1, 1)))
    history = list(Assignment.objects.filter(officer=officer_a.officer).order_by("start_date"))
    assert [(a.school, a.end_date) for a in history] == [(school_a, D(2026, 12, 31)), (school_b, None)]


def test_starting_on_the_day_the_old_one_ends_is_an_overlap(officer_a, school_b):
    current = Assignment.objects.get(officer=officer_a.officer)
    current.end_date = D(2026, 12, 31)
    save_assignment(assignment=current)
    with pytest.raises(ValidationError):
        save_assignment(assignment=_assignment(officer_a, school_b, D(2026, 12, 31)))


def test_an_assignment_ending_before_it_starts_is_refused(officer_b, school_a):
    with pytest.raises(ValidationError) as error:
        save_assignment(
            assignment=_assignment(
                officer_b, school_a, D(2026, 9, 1), D(2026, 8, 1), kind=AssignmentKind.SECONDARY
            )
        )
    assert "end date must be on or after" in str(error.value)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the exclusion constraint exists on PostgreSQL only"
)
def test_the_database_refuses_overlapping_primaries_even_without_validation(officer_a, school_b):
    with pytest.raises(IntegrityError), transaction.atomic():
        _assignment(officer_a, school_b, D(2026, 9, 1)).save()


def test_coordinator_sees_the_overlap_message_in_the_form(coordinator_client, officer_a, school_b):
    response = coordinator_client.post(
        reverse("schools:assignment_create"),
        {
            "officer": officer_a.officer.pk,
            "school": school_b.pk,
            "kind": "primary",
            "start_date": "2026-09-01",
            "weekdays": ["1", "2", "3"],
        },
    )
    assert response.status_code == 200
    assert "already has a primary assignment at Alpha High School" in response.text
    assert 'value="2026-09-01"' in response.text  # what was typed is kept


def test_coordinator_assigns_an_officer_to_a_new_school(coordinator_client, officer_b, school_a):
    response = coordinator_client.post(
        reverse("schools:assignment_create"),
        {
            "officer": officer_b.officer.pk,
            "school": school_a.pk,
            "kind": "secondary",
            "start_date": "2026-09-01",
            "weekdays": ["3", "1"],
        },
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(officer=officer_b.officer, school=school_a)
    assert assignment.weekdays == "13"


def test_assignment_pages_are_for_coordinators_only(admin_a_client, officer_a_client, officer_a):
    assignment = Assignment.objects.get(officer=officer_a.officer)
    for client in (admin_a_client, officer_a_client):
        assert client.get(reverse("schools:assignment_list")).status_code == 403
        assert client.get(reverse("schools:assignment_create")).status_code == 403
        assert client.get(reverse("schools:assignment_update", args=[assignment.pk])).status_code == 403


def test_assignment_list_filters_by_the_day_they_are_active(coordinator_client, officer_a, officer_b):
    Assignment.objects.filter(officer=officer_b.officer).update(end_date=D(2025, 6, 30))
    page = coordinator_client.get(reverse("schools:assignment_list"), {"on": "2026-09-01"})
    assert f'href="{officer_a.officer.get_absolute_url()}"' in page.text
    assert f'href="{officer_b.officer.get_absolute_url()}"' not in page.text


def test_an_assignment_is_current_from_its_first_to_its_last_day_in_pages_and_queries(officer_a, school_b):
    ending = Assignment.objects.create(
        officer=officer_a.officer,
        school=school_b,
        kind=AssignmentKind.SECONDARY,
        start_date=D(2026, 9, 1),
        end_date=D(2026, 9, 30),
    )
    expected = {
        D(2026, 8, 31): "Upcoming",
        D(2026, 9, 1): "Current",
        D(2026, 9, 30): "Current",
        D(2026, 10, 1): "Ended",
    }
    for day, state in expected.items():
        assert ending.state_on(day) == state, day
        listed = Assignment.objects.active_on(day).filter(pk=ending.pk).exists()
        assert listed == (state == "Current"), day


def test_assignments_and_schools_visible_to_each_coordinator(
    coordinator, coordinator_a, admin_a, officer_a, officer_b, school_a, school_b
):
    from schools.models import School

    every = Assignment.objects.filter(officer__in=[officer_a.officer, officer_b.officer])
    assert set(every.visible_to(coordinator)) == set(every)  # every school: no condition
    assert [a.school for a in every.visible_to(coordinator_a)] == [school_a]
    assert [a.school for a in every.visible_to(admin_a)] == [school_a]
    assert set(School.objects.visible_to(coordinator)) == {school_a, school_b}
    assert list(School.objects.visible_to(coordinator_a)) == [school_a]
    assert "WHERE" not in str(Assignment.objects.visible_to(coordinator).query)
    assert "WHERE" not in str(School.objects.visible_to(coordinator).query)
