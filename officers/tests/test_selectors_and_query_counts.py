"""Dashboard reads, the weekly summary, and list pages whose query count stays flat."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from conftest import make_officer
from officers.models import ActivityNote, Agency, DutyCategory
from officers.selectors import follow_ups_due, time_by_category, week_start, week_summary

D = datetime.date


def test_time_by_category_sums_minutes_per_duty_category(officer_a, officer_b, school_a, school_b, make_note):
    make_note(officer_a, school_a, day=D(2026, 11, 16), category="patrol", minutes=30)
    make_note(officer_a, school_a, day=D(2026, 11, 17), category="patrol", minutes=45)
    make_note(officer_a, school_a, day=D(2026, 11, 17), category="teaching", topic="Vaping", minutes=50)
    make_note(officer_b, school_b, day=D(2026, 11, 17), category="patrol", minutes=600)
    make_note(officer_a, school_a, day=D(2026, 10, 1), category="patrol", minutes=999)
    totals = time_by_category(schools=[school_a], start=D(2026, 11, 16), end=D(2026, 11, 22))
    assert totals["patrol"] == 75 and totals["teaching"] == 50 and totals["mediation"] == 0
    assert set(totals) == set(DutyCategory.values)


def test_follow_ups_due_lists_open_follow_ups_oldest_first(officer_a, school_a, make_note):
    late = make_note(officer_a, school_a, follow_up=True, follow_up_date=D(2026, 11, 20))
    soon = make_note(officer_a, school_a, follow_up=True, follow_up_date=D(2026, 11, 27))
    done = make_note(officer_a, school_a, follow_up=True, follow_up_date=D(2026, 11, 18))
    done.mark_follow_up_done()
    assert list(follow_ups_due(officer_a.officer)) == [late, soon]
    assert list(follow_ups_due(officer_a.officer, on=D(2026, 11, 23))) == [late]


def test_week_summary_gives_hours_by_category_and_schools_visited(
    officer_a, school_a, school_b, make_note, django_assert_max_num_queries
):
    make_note(officer_a, school_a, day=D(2026, 11, 23), category="patrol", minutes=90)
    make_note(officer_a, school_b, day=D(2026, 11, 25), category="consult", minutes=30)
    make_note(officer_a, school_a, day=D(2026, 11, 30), category="patrol", minutes=60)  # next week
    with django_assert_max_num_queries(2):
        summary = week_summary(officer_a.officer, week_start(D(2026, 11, 26)))
    assert summary.start == D(2026, 11, 23)
    assert summary.total_hours == 2.0
    assert summary.by_category == [
        ("Patrol / high-visibility presence", 90),
        ("Consult with administrators or counselors", 30),
    ]
    assert summary.schools == [("Alpha High School", 1), ("Bravo Middle School", 1)]


def test_my_week_shows_hours_and_navigates_between_weeks(officer_a_client, officer_a, school_a, make_note):
    make_note(officer_a, school_a, day=D(2026, 11, 16), minutes=90)
    with time_machine.travel(datetime.datetime(2026, 11, 23, 15, tzinfo=datetime.UTC)):
        this_week = officer_a_client.get(reverse("officers:my_week"))
        last_week = officer_a_client.get(reverse("officers:my_week"), {"week": "2026-11-16"})
    assert "<strong>0.0</strong> hours" in this_week.text and "Next week" not in this_week.text
    assert "<strong>1.5</strong> hours" in last_week.text and "Next week" in last_week.text


# --- Query counts of every list page ---------------------------------------------------------


def _grow(n, agency, school_a):
    """n more agencies, officers (with sign-ins and assignments at school A) and notes."""
    start = Agency.objects.count()
    for i in range(start, start + n):
        Agency.objects.create(name=f"Agency {i}")
        user = make_officer(f"cop{i}", school_a, agency, f"N{i}")
        ActivityNote.objects.create(
            officer=user.officer,
            school=school_a,
            date=D(2026, 11, 20),
            category="patrol",
            minutes=30,
            follow_up=True,
            follow_up_date=D(2026, 11, 24),
        )


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


LISTS = [
    ("coordinator_client", "officers:list"),
    ("coordinator_client", "officers:agency_list"),
    ("coordinator_client", "officers:note_list"),
    ("admin_a_client", "officers:note_list"),
    ("coordinator_client", "officers:note_export"),
]


@pytest.mark.parametrize("persona,url_name", LISTS)
def test_list_pages_use_a_constant_number_of_queries(
    persona, url_name, request, agency, school_a, django_assert_max_num_queries
):
    client = request.getfixturevalue(persona)
    _grow(2, agency, school_a)
    with django_assert_max_num_queries(60) as small:
        _body(client.get(reverse(url_name)))
    _grow(40, agency, school_a)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse(url_name))
        body = _body(response)
    assert response.status_code == 200 and body


def test_officer_week_page_uses_a_constant_number_of_queries(
    officer_a_client, officer_a, school_a, make_note, django_assert_max_num_queries
):
    with time_machine.travel(datetime.datetime(2026, 11, 23, 15, tzinfo=datetime.UTC)):
        make_note(officer_a, school_a, day=D(2026, 11, 23), follow_up=True, follow_up_date=D(2026, 11, 24))
        with django_assert_max_num_queries(60) as small:
            officer_a_client.get(reverse("officers:my_week"))
        for day in range(23, 28):
            for _ in range(6):
                make_note(
                    officer_a, school_a, day=D(2026, 11, day), follow_up=True, follow_up_date=D(2026, 11, 30)
                )
        with django_assert_max_num_queries(len(small.captured_queries)):
            page = officer_a_client.get(reverse("officers:my_week"))
    assert page.text.count("Mark done") == 31


def test_note_list_counts_its_notes_only_so_far_ahead(
    coordinator_client, agency, school_a, django_assert_num_queries
):
    _grow(2, agency, school_a)
    with django_assert_num_queries(11) as ctx:
        response = coordinator_client.get(reverse("officers:note_list"))
    counts = [
        q["sql"]
        for q in ctx.captured_queries
        if "officers_activitynote" in q["sql"] and "COUNT(*)" in q["sql"]
    ]
    assert len(counts) == 1 and "LIMIT 5026" in counts[0] and "ORDER BY" not in counts[0]
    assert not response.context["page_obj"].paginator.capped
