"""A respondent answers on a phone through their invitation link, error path included."""

import datetime

import pytest
from django.utils import timezone

from conftest import PHONE, assert_accessible, wait_until
from surveys.models import Audience, Invitation, Response, Survey
from surveys.services import program_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_respondent_answers_on_a_phone_and_a_missing_answer_keeps_the_others(browser, live_server, school_a):
    today = timezone.localdate()
    survey = Survey.objects.create(
        template=program_template(),
        title="Program feedback",
        audiences=[Audience.PARENT],
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=10),
        launched_at=timezone.now(),
    )
    survey.schools.set([school_a])
    invitation = Invitation.objects.create(
        survey=survey, school=school_a, audience=Audience.PARENT, email="parent@example.org"
    )
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}{invitation.get_answer_url()}")
    assert page.get_by_role("heading", name="Program feedback").is_visible()
    assert_accessible(page)
    # The page fits the phone: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    visible = page.get_by_role("group", name="The school resource officer is visible")
    visible.get_by_label("Agree", exact=True).check()
    page.get_by_role("group", name="I feel comfortable").or_(
        page.get_by_role("group", name="comfortable approaching")
    ).get_by_label("Strongly agree").check()
    page.get_by_role("group", name="helpful").get_by_label("Neither agree nor disagree").check()
    page.get_by_role("group", name="I feel safe at school").get_by_label("Strongly agree").check()
    page.get_by_label("Anything else you would like the program to know?").fill("Thanks for the bike patrol")
    page.get_by_role("button", name="Send my answers").click()  # "Trust" left unanswered
    page.wait_for_load_state()

    assert page.get_by_role("alert").get_by_text("Some answers are missing").is_visible()
    assert page.get_by_text("Please choose an answer to this question.", exact=True).is_visible()
    visible = page.get_by_role("group", name="The school resource officer is visible")
    assert visible.get_by_label("Agree", exact=True).is_checked()
    assert page.get_by_label("Anything else").input_value() == "Thanks for the bike patrol"
    assert_accessible(page)

    page.get_by_role("group", name="I trust the school resource officer").get_by_label(
        "Agree", exact=True
    ).check()
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_role("heading", name="Thank you").wait_for()  # the page the click leads to
    assert_accessible(page)
    assert Response.objects.get().answers  # stored, anonymous

    page.goto(f"{live_server.url}{invitation.get_answer_url()}")
    assert page.get_by_test_id("refusal").get_by_text("You have already answered this survey").is_visible()
    assert_accessible(page)
    context.close()


def test_coordinator_pages_are_accessible(page, live_server, coordinator, school_a):
    from surveys.models import SurveyLink

    today = timezone.localdate()
    template = program_template()
    survey = Survey.objects.create(
        template=template,
        title="Program feedback",
        audiences=[Audience.STAFF],
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=10),
        launched_at=timezone.now(),
        created_by=coordinator,
    )
    survey.schools.set([school_a])
    SurveyLink.objects.create(survey=survey, school=school_a, audience=Audience.STAFF)
    questions = list(template.questions.all())
    for score in (3, 4, 5):
        Response.objects.create(
            survey=survey,
            school=school_a,
            audience="staff",
            submitted_on=today,
            answers={str(q.pk): score for q in questions[:5]} | {str(questions[5].pk): f"Good year {score}"},
        )
    from conftest import browser_login

    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    browser_login(page, live_server, "coord")
    page.get_by_role("link", name="Surveys", exact=True).click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("link", name="Program feedback", exact=True).click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("link", name="Results (3 responses)").click()
    page.get_by_text("Good year 5").wait_for()  # the page the click leads to
    # The chart is drawn by static/js/charts.js once the page has loaded: wait for it.
    wait_until(page, "() => Chart.getChart(document.getElementById('distribution-chart')) !== undefined")
    assert errors == []
    assert_accessible(page)
    page.goto(f"{live_server.url}/surveys/new/")
    assert_accessible(page)
