"""Calendar feed addresses: a school's only to coordinators and its administrators; an
officer's own feed follows their current assignments and dies with their deactivation."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from drills.models import CalendarFeed

from .conftest import scheduled

D = datetime.date


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2025-10-01 12:00 -04:00", tick=False):
        yield


def test_a_schools_feed_address_is_shown_to_its_administrators_and_coordinators_only(
    coordinator_client, admin_a_client, officer_a_client, school_a
):
    token = CalendarFeed.for_school(school_a).token
    url = reverse("drills:school", args=[school_a.pk])
    assert token in coordinator_client.get(url).text
    assert token in admin_a_client.get(url).text
    officer_page = officer_a_client.get(url)
    assert officer_page.status_code == 200
    assert token not in officer_page.text
    assert "Drill calendar" not in officer_page.text


def test_an_officer_makes_a_personal_feed_of_their_current_schools(
    officer_a_client, officer_a, client, school_a, school_b
):
    scheduled(school_a, D(2025, 10, 8))
    scheduled(school_b, D(2025, 10, 9))
    assert "Create my calendar address" in officer_a_client.get(reverse("drills:list")).text

    officer_a_client.post(reverse("drills:my_feed_rotate"))

    feed = CalendarFeed.objects.get(officer=officer_a.officer)
    page = officer_a_client.get(reverse("drills:list")).text
    assert feed.token in page
    events = Calendar.from_ical(client.get(feed.get_absolute_url()).content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Lockdown drill: Alpha High School"]


def test_an_officer_elsewhere_gets_only_their_own_schools_drills(officer_b, client, school_a, school_b):
    scheduled(school_a, D(2025, 10, 8))
    scheduled(school_b, D(2025, 10, 9))
    feed = CalendarFeed.for_officer(officer_b.officer)
    events = Calendar.from_ical(client.get(feed.get_absolute_url()).content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Lockdown drill: Bravo Middle School"]


def test_an_officers_feed_address_can_be_changed(officer_a_client, officer_a, client):
    officer_a_client.post(reverse("drills:my_feed_rotate"))
    old = CalendarFeed.objects.get(officer=officer_a.officer).get_absolute_url()
    officer_a_client.post(reverse("drills:my_feed_rotate"))
    assert client.get(old).status_code == 404
    assert (
        client.get(CalendarFeed.objects.get(officer=officer_a.officer).get_absolute_url()).status_code == 200
    )


def test_an_officers_feed_dies_with_their_deactivation(coordinator_client, officer_a, client, school_a):
    feed = CalendarFeed.for_officer(officer_a.officer)
    assert client.get(feed.get_absolute_url()).status_code == 200
    coordinator_client.post(reverse("officers:deactivate", args=[officer_a.officer.pk]))
    assert client.get(feed.get_absolute_url()).status_code == 404
    assert not CalendarFeed.objects.filter(officer=officer_a.officer).exists()


def test_an_officers_feed_of_an_inactive_officer_answers_nothing(officer_a, client):
    # However the officer became inactive (a bulk change, the admin), the feed stops.
    feed = CalendarFeed.for_officer(officer_a.officer)
    type(officer_a.officer).objects.filter(pk=officer_a.officer.pk).update(status="inactive")
    assert client.get(feed.get_absolute_url()).status_code == 404


def test_officer_feeds_are_not_the_district_feed(coordinator_client, officer_a, school_a):
    mine = CalendarFeed.for_officer(officer_a.officer)
    district = CalendarFeed.for_district(None)
    assert district.pk != mine.pk
    assert mine.token not in coordinator_client.get(reverse("drills:list")).text


def test_administrators_and_coordinators_get_no_personal_feed(admin_a_client, coordinator_client):
    assert admin_a_client.post(reverse("drills:my_feed_rotate")).status_code == 403
    assert coordinator_client.post(reverse("drills:my_feed_rotate")).status_code == 403
    assert not CalendarFeed.objects.filter(officer__isnull=False).exists()
