"""Training, drills, officers' time and survey tiles, against small hand-counted fixtures."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from drills.models import Drill, DrillRequirement
from officers.models import ActivityNote
from surveys.models import Invitation, Response, Survey
from surveys.services import program_template
from training.models import Course, Requirement, TrainingRecord

TZ = timezone.get_default_timezone()
URL = reverse("reports:dashboard")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 10, 14, 15, 0, tzinfo=TZ), tick=False):
        yield


def tiles(client, **params) -> dict:
    response = client.get(URL, params)
    assert response.status_code == 200
    return {t.key: t for t in response.context["tiles"]}


# --- Training: one required course; officer A holds it, officer B does not. ---------------------


@pytest.fixture
def one_requirement(officer_a, officer_b, coordinator):
    Requirement.objects.all().delete()
    course = Course.objects.create(name="Basic SRO course", provider="State", hours=40)
    Requirement.objects.create(course=course)
    TrainingRecord.objects.create(
        officer=officer_a.officer,
        course=course,
        completed_on=datetime.date(2026, 8, 1),
        hours=40,
        provider="State",
        status="verified",
        verified_by=coordinator,
        verified_at=timezone.now(),
    )
    return course


def test_training_tile_says_who_is_out(coordinator_client, one_requirement):
    tile = tiles(coordinator_client)["training"]
    assert tile.answer == "50% of officers compliant (1 of 2); 1 officer out: Officer_B Officer."
    assert [str(row[0]) for row in tile.detail.rows] == ["Officer_B Officer"]
    assert "Basic SRO course: missing" in tile.detail.rows[0][1]
    assert tile.link == reverse("training:matrix") + "?show=out"


def test_training_tile_for_an_administrator_counts_their_schools_officers(admin_a_client, one_requirement):
    tile = tiles(admin_a_client)["training"]
    assert tile.answer == "Nobody is out: the officer is current on required training."
    assert tile.link is None  # the compliance matrix is the coordinator's


def test_officer_sees_their_training_due(officer_b_client, one_requirement):
    response = officer_b_client.get(URL)
    my = {t.key: t for t in response.context["tiles"]}["my-training"]
    assert my.answer == "Out of compliance: Basic SRO course."


# --- Drills: 2 lockdown drills required by September 30; A did 2, B did 1. --------------------


def test_drills_tile_names_the_school_behind(coordinator_client, school_a, school_b):
    DrillRequirement.objects.filter(school_year=2026).delete()
    DrillRequirement.objects.create(
        school_year=2026,
        label="2 lockdown drills in September",
        minimum=2,
        drill_types=["lockdown"],
        window_start=datetime.date(2026, 9, 1),
        deadline=datetime.date(2026, 9, 30),
    )
    for school, days in [(school_a, [8, 22]), (school_b, [15])]:
        for day in days:
            Drill.objects.create(
                school=school,
                drill_type="lockdown",
                conducted_at=datetime.datetime(2026, 9, day, 10, tzinfo=TZ),
            )
    tile = tiles(coordinator_client)["drills"]
    assert tile.answer == "1 of 2 schools behind on drills: Bravo Middle School (out of compliance)."
    assert [row[:3] for row in tile.table.rows] == [
        ["Bravo Middle School", "Out of compliance", 1],
        ["Alpha High School", "Complete", 2],
    ]


# --- Officers' time: 4 hours in September, 3 on patrol, 1 teaching; one follow-up overdue. ------


def test_time_tile_shares_hours_by_duty(coordinator_client, officer_a, officer_b, school_a, school_b):
    a, b = officer_a.officer, officer_b.officer
    ActivityNote.objects.create(
        officer=a, school=school_a, date=datetime.date(2026, 9, 2), category="patrol", minutes=120
    )
    ActivityNote.objects.create(
        officer=a,
        school=school_a,
        date=datetime.date(2026, 9, 3),
        category="teaching",
        minutes=60,
        follow_up=True,
        follow_up_date=datetime.date(2026, 10, 1),
    )
    ActivityNote.objects.create(
        officer=b, school=school_b, date=datetime.date(2026, 9, 4), category="patrol", minutes=60
    )
    tile = tiles(coordinator_client, start="2026-09-01", end="2026-09-30")["time"]
    assert tile.answer == "4 hours logged; most on patrol 75%, classroom teaching 25%. 1 follow-up overdue."
    assert tile.table.rows[0] == ["Patrol / high-visibility presence", 3.0, "75%"]
    assert "start=2026-09-01" in tile.link and "end=2026-09-30" in tile.link


# --- Surveys: spring (all 3s) then fall: A answers 4 and 5, B answers 2; last topic all 1s. ------


@pytest.fixture
def two_surveys(school_a, school_b, coordinator):
    template = program_template()
    likert = [q for q in template.questions.all() if q.kind == "likert"]

    def survey(title, opens, closes):
        s = Survey.objects.create(
            template=template,
            title=title,
            audiences=["staff"],
            opens_on=opens,
            closes_on=closes,
            created_by=coordinator,
            launched_at=datetime.datetime(opens.year, opens.month, 1, 9, tzinfo=TZ),
        )
        s.schools.set([school_a, school_b])
        return s

    def respond(s, school, score):
        answers = {str(q.pk): score for q in likert}
        answers[str(likert[-1].pk)] = 1 if s.title == "Fall 2026" else 3
        Response.objects.create(
            survey=s, school=school, audience="staff", submitted_on=s.opens_on, answers=answers
        )

    spring = survey("Spring 2026", datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))
    for school in (school_a, school_a, school_b):
        respond(spring, school, 3)
    fall = survey("Fall 2026", datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
    for school, score in [(school_a, 4), (school_a, 5), (school_b, 2)]:
        respond(fall, school, score)
    for school, invited, answered in [(school_a, 4, 2), (school_b, 2, 1)]:
        for i in range(invited):
            Invitation(
                survey=fall,
                school=school,
                audience="staff",
                email=f"{school.pk}-{i}@example.org",
                used_at=timezone.now() if i < answered else None,
            ).save()
    return likert


def test_survey_tile_gives_scores_rates_and_change(coordinator_client, two_surveys):
    first, last = two_surveys[0].topic, two_surveys[-1].topic
    tile = tiles(coordinator_client)["surveys"]
    assert tile.answer == (
        f"Fall 2026 (open now): 3 responses, 50% response rate. Highest: {first} 3.7 (+0.67); "
        f"lowest: {last} 1.0 (−2.00) out of 5."
    )
    assert tile.detail.rows == [["Alpha High School", 2, "50%"], ["Bravo Middle School", 1, "50%"]]


def test_survey_tile_for_an_administrator_scores_their_school(admin_a_client, two_surveys, school_a):
    first = two_surveys[0].topic
    tile = tiles(admin_a_client)["surveys"]
    # Two responses at school A: no score from fewer than three.
    assert tile.answer == (
        "Fall 2026 (open now): 2 responses, 50% response rate. "
        "Scores are shown from 3 responses on, so no one's answers stand out."
    )
    assert tile.chart is None
    assert {row[1] for row in tile.table.rows} == {"—"}
    assert tile.detail.rows == [["Alpha High School", 2, "50%"]]
    assert tile.link is None
    fall = Survey.objects.get(title="Fall 2026")
    Response.objects.create(
        survey=fall, school=school_a, audience="staff", submitted_on=fall.opens_on, answers={}
    )
    assert f"Highest: {first} 4.5" in tiles(admin_a_client)["surveys"].answer


def test_survey_tile_filtered_by_agency_counts_only_the_schools_it_serves(
    coordinator_client, two_surveys, officer_a, school_a
):
    # Officer A's agency serves school A only: school B's response and invitations are not its.
    tile = tiles(coordinator_client, agency=officer_a.officer.agency_id)["surveys"]
    assert tile.answer.startswith("Fall 2026 (open now): 2 responses, 50% response rate.")
    assert tile.detail.rows == [["Alpha High School", 2, "50%"]]


def test_officer_week_shows_last_week_until_something_is_logged(officer_a_client, officer_a, school_a):
    note = {"officer": officer_a.officer, "school": school_a, "category": "patrol", "minutes": 90}
    ActivityNote.objects.create(date=datetime.date(2026, 10, 6), **note)  # the week before
    response = officer_a_client.get(URL)  # Wednesday October 14
    week = {t.key: t for t in response.context["tiles"]}["week"]
    assert week.answer == "1.5 hours logged last week (from Mon 5 Oct 2026); nothing yet this week."
    ActivityNote.objects.create(date=datetime.date(2026, 10, 12), **note)
    response = officer_a_client.get(URL)
    week = {t.key: t for t in response.context["tiles"]}["week"]
    assert week.answer == "1.5 hours logged since Mon 12 Oct 2026."


def test_officer_follow_ups_tile_counts_the_overdue(officer_a_client, officer_a, school_a):
    for due in (datetime.date(2026, 10, 1), datetime.date(2026, 10, 30)):
        ActivityNote.objects.create(
            officer=officer_a.officer,
            school=school_a,
            date=datetime.date(2026, 9, 28),
            category="mediation",
            minutes=30,
            follow_up=True,
            follow_up_date=due,
        )
    response = officer_a_client.get(URL)
    tile = {t.key: t for t in response.context["tiles"]}["follow-ups"]
    assert tile.answer == "2 follow-ups open, 1 overdue."
