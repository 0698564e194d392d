"""Districts (LEAs): what identifies one, who coordinates it, what each coordinator sees."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from conftest import make_officer, make_user
from officers.models import ActivityNote, DutyCategory, Officer
from schools.forms import DistrictForm
from schools.models import District, Level, School


def test_an_nces_lea_id_is_seven_digits(db):
    form = DistrictForm({"name": "Short ID District", "kind": "district", "nces_id": "36123"})
    assert "An NCES LEA ID is 7 digits" in str(form.errors["nces_id"])
    assert DistrictForm({"name": "Good", "kind": "district", "nces_id": "3612345"}).is_valid()
    with pytest.raises(IntegrityError), transaction.atomic():
        District.objects.create(name="Bypassing the form", nces_id="36A2345")


def test_lea_ids_and_state_codes_are_unique_but_may_be_left_empty(district_b):
    District.objects.create(name="No IDs yet")
    District.objects.create(name="No IDs either")
    with pytest.raises(IntegrityError), transaction.atomic():
        District.objects.create(name="Same LEA", nces_id=district_b.nces_id)
    District.objects.filter(pk=district_b.pk).update(state_code="010100010000")
    with pytest.raises(IntegrityError), transaction.atomic():
        District.objects.create(name="Same BEDS", state_code="010100010000")


def test_a_district_with_schools_cannot_be_deleted(school_b):
    with pytest.raises(ProtectedError):
        school_b.district.delete()


def test_a_district_coordinator_must_have_a_district(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nowhere", role=Role.DISTRICT_COORDINATOR)


def test_a_school_created_without_a_district_joins_the_programs_first_district(district_a, district_b):
    school = School.objects.create(name="Charlie Elementary", level=Level.ELEMENTARY)
    assert school.district == district_a


def test_each_coordinators_scope_is_their_district(
    coordinator, coordinator_a, coordinator_b, school_a, school_b
):
    assert set(coordinator.schools_in_scope()) == {school_a, school_b}
    assert list(coordinator_a.schools_in_scope()) == [school_a]
    assert list(coordinator_b.schools_in_scope()) == [school_b]
    assert coordinator_a.is_coordinator and not coordinator_a.is_program_coordinator
    # The program's coordinators; each district's are added per school or district.
    assert list(User.objects.active_coordinators()) == [coordinator]


def test_alerts_and_reminders_go_to_the_program_and_the_schools_district_coordinators(
    coordinator, coordinator_a, coordinator_b, school_a, school_b
):
    assert set(User.objects.coordinators_for(school_a)) == {coordinator, coordinator_a}
    assert set(User.objects.coordinators_for(school_b)) == {coordinator, coordinator_b}
    coordinator_a.is_active = False
    coordinator_a.save()
    assert set(User.objects.coordinators_for(school_a)) == {coordinator}


def test_a_district_coordinator_sees_the_officers_serving_their_district(
    coordinator_a, coordinator_b, officer_a, officer_b, school_b, district_b
):
    from officers.models import Agency

    other = Agency.objects.create(name="Valley Sheriff")  # no agreement with district A
    valley = make_officer("valley", school_b, other, "V1")
    assert set(Officer.objects.visible_to(coordinator_b)) == {
        officer_a.officer,
        officer_b.officer,
        valley.officer,
    }
    assert set(Officer.objects.visible_to(coordinator_a)) == {officer_a.officer, officer_b.officer}


def test_lists_show_a_district_coordinator_their_district_only(
    coordinator_a_client, coordinator_client, school_a, school_b, officer_a, officer_b
):
    mine = coordinator_a_client.get(reverse("schools:list"))
    assert "Alpha High School" in mine.text and "Bravo Middle School" not in mine.text
    assert 'name="district"' not in mine.text
    every = coordinator_client.get(reverse("schools:list"))
    assert "Alpha High School" in every.text and "Bravo Middle School" in every.text
    picked = coordinator_client.get(reverse("schools:list"), {"district": school_b.district_id})
    assert "Alpha High School" not in picked.text and "Bravo Middle School" in picked.text
    coverage = coordinator_a_client.get(reverse("schools:coverage"))
    assert "Alpha High School" in coverage.text and "Bravo Middle School" not in coverage.text
    assignments = coordinator_a_client.get(reverse("schools:assignment_list"))
    assert "Alpha High School" in assignments.text and "Bravo Middle School" not in assignments.text


def test_an_officer_serving_two_districts_shows_each_coordinator_only_their_part_of_the_week(
    coordinator_a_client, coordinator_b_client, officer_a, school_a, school_b
):
    officer = officer_a.officer
    from schools.models import Assignment

    Assignment.objects.create(
        officer=officer, school=school_b, start_date=datetime.date(2020, 8, 1), kind="secondary", weekdays="3"
    )
    today = timezone.localdate()
    for school, topic in [(school_a, "Alpha lesson"), (school_b, "Bravo lesson")]:
        ActivityNote.objects.create(
            officer=officer,
            school=school,
            date=today,
            category=DutyCategory.TEACHING,
            topic=topic,
            minutes=45,
        )
    url = reverse("officers:week", args=[officer.pk])
    week_a = coordinator_a_client.get(url).text
    week_b = coordinator_b_client.get(url).text
    assert "Alpha lesson" in week_a and "Bravo lesson" not in week_a
    assert "Bravo lesson" in week_b and "Alpha lesson" not in week_b
    # On the officer's page each coordinator sees the assignments at their own schools.
    detail_b = coordinator_b_client.get(reverse("officers:detail", args=[officer.pk])).text
    assert "Bravo Middle School" in detail_b and "Alpha High School" not in detail_b


def test_the_program_coordinator_adds_a_district_and_a_district_coordinator_adds_schools_to_theirs(
    coordinator_client, coordinator_b_client, district_a, district_b
):
    response = coordinator_client.post(
        reverse("schools:district_create"),
        {"name": "Capital Region BOCES", "kind": "boces", "nces_id": "3600999", "state_code": "010100010000"},
    )
    assert response.status_code == 302
    assert District.objects.get(nces_id="3600999").get_kind_display() == "BOCES centre"
    # District B's coordinator cannot put a school in district A: the choice is not offered.
    response = coordinator_b_client.post(
        reverse("schools:create"), {"name": "Sneaky School", "district": district_a.pk, "level": "high"}
    )
    assert response.status_code == 200 and not School.objects.filter(name="Sneaky School").exists()
    response = coordinator_b_client.post(
        reverse("schools:create"),
        {
            "name": "Delta School",
            "district": district_b.pk,
            "level": "high",
            "enrollment": 10,
            "is_active": "on",
        },
    )
    assert School.objects.get(name="Delta School").district == district_b


def test_an_administrator_of_another_district_is_not_offered_to_a_district_coordinator(
    coordinator_a_client, admin_a, admin_b
):
    loose = make_user("new_admin", "school_admin")
    page = coordinator_a_client.get(reverse("schools:create")).text
    assert admin_a.get_full_name() in page and loose.get_full_name() in page
    assert admin_b.get_full_name() not in page
