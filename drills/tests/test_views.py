"""Drill pages: who sees and logs what, and what they see."""

import datetime
import html
import re

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from drills.models import CalendarFeed, CorrectiveAction, Drill, DrillRequirement, DrillType

from .conftest import conducted, scheduled

D = datetime.date
NOW = "2025-10-01 12:00 -04:00"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_anonymous_visitors_are_sent_to_sign_in(client, school_a):
    response = client.get(reverse("drills:school", args=[school_a.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_overview_lists_only_the_schools_in_scope(admin_a_client, school_a, school_b):
    page = admin_a_client.get(reverse("drills:list"))
    assert school_a.name in page.text
    assert school_b.name not in page.text
    assert "District at a glance" not in page.text


def test_coordinator_sees_the_district_at_a_glance(coordinator_client, school_a, school_b):
    page = coordinator_client.get(reverse("drills:list"))
    assert "District at a glance" in page.text
    assert "On track: 2" in page.text
    assert school_a.name in page.text and school_b.name in page.text


def test_school_page_shows_status_and_reason(admin_a_client, school_a):
    conducted(school_a, D(2025, 9, 10), DrillType.EVACUATION)
    page = admin_a_client.get(reverse("drills:school", args=[school_a.pk]))
    assert "On track" in page.text
    assert "1 of 8 done; 7 more by Wed 31 Dec 2025" in page.text


def test_administrator_cannot_open_another_schools_drill_page(admin_b_client, school_a):
    assert admin_b_client.get(reverse("drills:school", args=[school_a.pk])).status_code == 404


def test_officer_sees_the_drills_of_an_assigned_school_only(officer_a_client, school_a, school_b):
    drill = conducted(school_a, D(2025, 9, 10))
    other = conducted(school_b, D(2025, 9, 10))
    assert officer_a_client.get(reverse("drills:school", args=[school_a.pk])).status_code == 200
    assert officer_a_client.get(drill.get_absolute_url()).status_code == 200
    assert officer_a_client.get(other.get_absolute_url()).status_code == 404
    assert officer_a_client.get(reverse("drills:school", args=[school_b.pk])).status_code == 404


def test_officer_cannot_log_a_drill(officer_a_client, school_a):
    assert officer_a_client.get(reverse("drills:create", args=[school_a.pk])).status_code == 403


def test_administrator_logs_a_conducted_drill_and_compliance_counts_it(admin_a, admin_a_client, school_a):
    response = admin_a_client.post(
        reverse("drills:create", args=[school_a.pk]),
        {
            "drill_type": DrillType.LOCKDOWN,
            "conducted_at": "2025-09-30T09:15",
            "duration_minutes": "14",
            "accountability_minutes": "6",
            "sro_present": "on",
        },
    )
    assert response.status_code == 302
    drill = Drill.objects.get()
    assert (drill.school, drill.created_by, drill.sro_present) == (school_a, admin_a, True)
    page = admin_a_client.get(reverse("drills:school", args=[school_a.pk]))
    assert "4 lockdown drills: 1 of 4 done" in page.text


def test_a_drill_without_any_date_or_in_the_future_is_refused_with_clear_errors(admin_a_client, school_a):
    url = reverse("drills:create", args=[school_a.pk])
    page = admin_a_client.post(url, {"drill_type": DrillType.HOLD, "observations": "kept"})
    assert "Give a scheduled date and time, a conducted date and time, or both." in page.text
    assert "kept" in page.text
    page = admin_a_client.post(url, {"drill_type": DrillType.HOLD, "conducted_at": "2025-10-09T10:00"})
    assert "cannot be logged as conducted in the future" in page.text
    assert "How long did the drill take?" in page.text
    assert not Drill.objects.exists()


def test_administrator_cannot_edit_or_delete_another_schools_drill(admin_b_client, school_a):
    drill = scheduled(school_a, D(2025, 10, 8))
    assert admin_b_client.get(reverse("drills:edit", args=[drill.pk])).status_code == 404
    assert admin_b_client.post(reverse("drills:delete", args=[drill.pk])).status_code == 404
    assert Drill.objects.filter(pk=drill.pk).exists()


def test_logging_a_scheduled_drill_prefills_its_time(admin_a_client, school_a):
    drill = scheduled(school_a, D(2025, 9, 30), hour=13)
    page = admin_a_client.get(reverse("drills:edit", args=[drill.pk]) + "?log=1")
    assert 'name="conducted_at" value="2025-09-30T13:00"' in page.text


def test_delete_asks_for_confirmation_first(admin_a_client, school_a):
    drill = scheduled(school_a, D(2025, 10, 8))
    page = admin_a_client.get(reverse("drills:delete", args=[drill.pk]))
    assert "Delete this drill?" in page.text
    assert Drill.objects.filter(pk=drill.pk).exists()
    admin_a_client.post(reverse("drills:delete", args=[drill.pk]))
    assert not Drill.objects.filter(pk=drill.pk).exists()


def test_corrective_actions_are_added_and_closed(admin_a_client, officer_a_client, school_a):
    drill = conducted(school_a, D(2025, 9, 10))
    url = reverse("drills:action_add", args=[drill.pk])
    bad = admin_a_client.post(url, {"observation": "Door 4 alarm silent", "action": ""})
    assert bad.status_code == 400 and "Door 4 alarm silent" in bad.text
    admin_a_client.post(
        url,
        {
            "observation": "Door 4 alarm silent",
            "action": "Repair",
            "owner": "Facilities",
            "due_date": "2025-10-15",
        },
    )
    action = CorrectiveAction.objects.get()
    assert officer_a_client.post(reverse("drills:action_complete", args=[action.pk])).status_code == 403
    admin_a_client.post(reverse("drills:action_complete", args=[action.pk]))
    action.refresh_from_db()
    assert action.completed_on == D(2025, 10, 1)


def test_drill_log_filters_exports_and_keeps_a_flat_query_count(
    admin_a_client, school_a, school_b, django_assert_max_num_queries
):
    for n in range(40):
        conducted(school_a, D(2025, 9, 1) + datetime.timedelta(days=n % 25), observations=f"note {n}")
    conducted(school_b, D(2025, 9, 3), observations="secret of B")
    with django_assert_max_num_queries(10):
        page = admin_a_client.get(reverse("drills:log"))
    assert "Page 1 of 2" in page.text
    assert "secret of B" not in page.text
    # The page's Export CSV link carries the filters shown.
    page = admin_a_client.get(reverse("drills:log"), {"q": "note 3"})
    export = re.search(r'<a class="btn btn-outline-secondary" href="([^"]+)">Export CSV</a>', page.text)
    assert export and html.unescape(export.group(1)) == reverse("drills:log") + "?q=note+3&format=csv"
    csv = b"".join(admin_a_client.get(html.unescape(export.group(1))).streaming_content)
    lines = csv.decode().strip().splitlines()
    assert lines[0].startswith("school,type,scheduled,conducted")
    assert len(lines) == 1 + 11  # note 3, note 30-39


def test_requirements_are_for_coordinators_only(admin_a_client, officer_a_client):
    assert admin_a_client.get(reverse("drills:requirements")).status_code == 403
    assert officer_a_client.get(reverse("drills:requirements")).status_code == 403


def test_coordinator_sets_up_and_edits_a_years_requirements(coordinator_client, school_a):
    coordinator_client.post(reverse("drills:requirements_setup") + "?year=2030")
    assert DrillRequirement.objects.filter(school_year=2030).count() == 9
    requirement = DrillRequirement.objects.get(school_year=2030, label="4 lockdown drills")
    response = coordinator_client.post(
        reverse("drills:requirement_edit", args=[requirement.pk]),
        {
            "label": "6 lockdown drills",
            "rule": "count",
            "minimum": "6",
            "drill_types": ["lockdown"],
            "window_start": "2030-09-01",
            "deadline": "2031-06-30",
            "citation": "District policy",
            "order": "5",
        },
    )
    assert response.status_code == 302
    requirement.refresh_from_db()
    assert (requirement.minimum, requirement.school_year) == (6, 2030)


def test_calendar_feed_shows_one_school_with_stable_uids(client, school_a, school_b):
    drill = scheduled(school_a, D(2025, 10, 8))
    scheduled(school_b, D(2025, 10, 9))
    feed = CalendarFeed.for_school(school_a)
    response = client.get(feed.get_absolute_url())
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Lockdown drill: Alpha High School"]
    uid = str(events[0]["uid"])
    drill.scheduled_at += datetime.timedelta(hours=2)
    drill.save()
    again = Calendar.from_ical(client.get(feed.get_absolute_url()).content).walk("VEVENT")
    assert str(again[0]["uid"]) == uid == f"drill-{drill.pk}@127.0.0.1"


def test_program_feed_has_every_school_and_forged_tokens_find_nothing(client, school_a, school_b):
    scheduled(school_a, D(2025, 10, 8))
    scheduled(school_b, D(2025, 10, 9))
    feed = CalendarFeed.for_district(None)
    events = Calendar.from_ical(client.get(feed.get_absolute_url()).content).walk("VEVENT")
    assert len(events) == 2
    assert client.get(reverse("drills:feed", args=["not-a-real-token"])).status_code == 404


def test_a_district_feed_has_only_that_districts_schools(client, school_a, school_b):
    scheduled(school_a, D(2025, 10, 8))
    scheduled(school_b, D(2025, 10, 9))
    feed = CalendarFeed.for_district(school_b.district)
    events = Calendar.from_ical(client.get(feed.get_absolute_url()).content).walk("VEVENT")
    assert [str(event["summary"]) for event in events] == ["Lockdown drill: Bravo Middle School"]


def test_a_district_coordinator_is_shown_and_rotates_their_districts_feed(
    client, coordinator_b_client, school_a, school_b
):
    feed = CalendarFeed.for_district(school_b.district)
    page = coordinator_b_client.get(reverse("drills:list"))
    assert feed.token in page.text
    assert CalendarFeed.for_district(None).token not in page.text
    assert CalendarFeed.for_district(school_a.district).token not in page.text
    assert "Alpha High School" not in page.text and "Bravo Middle School" in page.text
    feed_a_token = CalendarFeed.for_district(school_a.district).token
    # Naming another district changes nothing there: a district coordinator rotates their own.
    coordinator_b_client.post(reverse("drills:district_feed_rotate"), {"district": school_a.district_id})
    assert CalendarFeed.for_district(school_a.district).token == feed_a_token
    old = feed.token
    feed.refresh_from_db()
    assert feed.token != old
    assert client.get(reverse("drills:feed", args=[old])).status_code == 404


def test_rotating_a_feed_retires_the_old_address(coordinator_client, admin_a_client, client, school_a):
    feed = CalendarFeed.for_school(school_a)
    old = feed.get_absolute_url()
    assert admin_a_client.post(reverse("drills:feed_rotate", args=[school_a.pk])).status_code == 403
    coordinator_client.post(reverse("drills:feed_rotate", args=[school_a.pk]))
    assert client.get(old).status_code == 404
    feed.refresh_from_db()
    assert client.get(feed.get_absolute_url()).status_code == 200


def test_school_page_shows_the_schools_own_feed_only(admin_a_client, school_a, school_b):
    page = admin_a_client.get(reverse("drills:school", args=[school_a.pk]))
    assert CalendarFeed.for_school(school_a).token in page.text
    assert CalendarFeed.for_school(school_b).token not in page.text


def test_section_807_is_seeded_by_migration_for_two_school_years(db):
    # The migration seeds the school year it runs in and the next one (time is frozen here).
    years = sorted(set(DrillRequirement.objects.values_list("school_year", flat=True)))
    assert len(years) == 2 and years[1] == years[0] + 1
    for year in years:
        labels = list(DrillRequirement.objects.for_year(year).values_list("label", flat=True))
        assert "8 drills between September 1 and December 31" in labels and len(labels) == 9
        # §807's twelve (and the eight by December 31) are evacuation and lock-down drills.
        by_label = dict(DrillRequirement.objects.for_year(year).values_list("label", "drill_types"))
        assert by_label["At least 12 drills in the school year"] == [
            "evacuation",
            "evacuation_secondary",
            "lockdown",
        ]
        assert (
            by_label["8 drills between September 1 and December 31"]
            == by_label["At least 12 drills in the school year"]
        )


def test_summer_school_dates_are_set_by_the_schools_administrator(admin_a_client, admin_b_client, school_a):
    from drills.models import SummerSession

    url = reverse("drills:summer", args=[school_a.pk]) + "?year=2025"
    assert admin_b_client.get(url).status_code == 404
    bad = admin_a_client.post(url, {"start_date": "2025-07-20", "end_date": "2025-07-01"})
    assert "Summer school must end on or after its first day." in bad.text
    admin_a_client.post(url, {"start_date": "2025-07-07", "end_date": "2025-08-08"})
    assert SummerSession.objects.get(school=school_a).school_year == 2025
    page = admin_a_client.get(reverse("drills:school", args=[school_a.pk]) + "?year=2025")
    assert "1 drill in the first week of summer school: only 0 of 1 drills by Sun 13 Jul 2025" in page.text


def test_overview_and_school_page_keep_a_flat_query_count(
    coordinator_client, school_a, django_assert_max_num_queries
):
    from schools.models import Level, School

    for n in range(30):
        school = School.objects.create(name=f"School {n:02d}", level=Level.MIDDLE)
        for week in range(4):
            conducted(school, D(2025, 9, 8) + datetime.timedelta(weeks=week))
        scheduled(school, D(2025, 10, 20))
    for week in range(30):
        conducted(school_a, D(2025, 9, 1) + datetime.timedelta(days=2 * week))
    coordinator_client.get(reverse("drills:list"))  # creates the district feed on first visit
    with django_assert_max_num_queries(13):
        page = coordinator_client.get(reverse("drills:list"))
    assert page.text.count("On track") >= 30
    coordinator_client.get(reverse("drills:school", args=[school_a.pk]))
    with django_assert_max_num_queries(14):  # the school and its summer session read once each
        coordinator_client.get(reverse("drills:school", args=[school_a.pk]))


def test_outsiders_cannot_touch_another_schools_drill(admin_b_client, officer_b_client, school_a):
    drill = conducted(school_a, D(2025, 9, 10))
    action = CorrectiveAction.objects.create(
        drill=drill, observation="o", action="a", owner="x", due_date=D(2025, 10, 9)
    )
    for client in (admin_b_client, officer_b_client):
        assert client.get(drill.get_absolute_url()).status_code == 404
    assert admin_b_client.post(reverse("drills:action_add", args=[drill.pk]), {}).status_code == 404
    assert admin_b_client.post(reverse("drills:action_complete", args=[action.pk])).status_code == 404
    assert admin_b_client.get(reverse("drills:create", args=[school_a.pk])).status_code == 404
    assert admin_b_client.get(reverse("drills:summer", args=[school_a.pk])).status_code == 404
    log = admin_b_client.get(reverse("drills:log"))
    assert "Alpha High School" not in log.text


@pytest.mark.parametrize(
    "name,args",
    [
        ("drills:requirement_create", []),
        ("drills:requirements_setup", []),
        ("drills:district_feed_rotate", []),
    ],
)
def test_only_coordinators_manage_requirements_and_feeds(admin_a_client, officer_a_client, name, args):
    for client in (admin_a_client, officer_a_client):
        assert client.post(reverse(name, args=args)).status_code == 403


def test_requirement_edit_and_delete_are_for_coordinators(admin_a_client, coordinator_client):
    requirement = DrillRequirement.objects.create(school_year=2031, label="Extra", minimum=1)
    assert admin_a_client.get(reverse("drills:requirement_edit", args=[requirement.pk])).status_code == 403
    assert admin_a_client.post(reverse("drills:requirement_delete", args=[requirement.pk])).status_code == 403
    page = coordinator_client.get(reverse("drills:requirement_delete", args=[requirement.pk]))
    assert "Delete this requirement?" in page.text
    coordinator_client.post(reverse("drills:requirement_delete", args=[requirement.pk]))
    assert not DrillRequirement.objects.filter(pk=requirement.pk).exists()


def test_overview_is_kept_until_a_drill_is_logged_then_shows_it(
    admin_a_client, school_a, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    url = reverse("drills:list")
    assert "<td>0</td>" in admin_a_client.get(url).text  # drills conducted this year
    with django_assert_max_num_queries(9):  # kept: no query of drills or requirements
        admin_a_client.get(url)
    with django_capture_on_commit_callbacks(execute=True):  # the change commits
        conducted(school_a, D(2025, 9, 10), DrillType.EVACUATION)
    text = admin_a_client.get(url).text
    assert "<td>1</td>" in text
    assert "1 of 8 done" in text


def test_the_drill_log_is_per_district(coordinator_client, coordinator_a_client, school_a, school_b):
    scheduled(school_a, D(2025, 10, 8))
    scheduled(school_b, D(2025, 10, 9))
    picked = coordinator_client.get(reverse("drills:log"), {"district": school_b.district_id}).text
    assert "<td>Bravo Middle School</td>" in picked and "<td>Alpha High School</td>" not in picked
    csv_a = b"".join(
        coordinator_a_client.get(reverse("drills:log"), {"format": "csv"}).streaming_content
    ).decode()
    assert "Alpha High School" in csv_a and "Bravo Middle School" not in csv_a
