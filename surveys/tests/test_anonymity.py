"""Anonymity for small groups: a comment from a school's audience with fewer than three
responses never carries its school and audience (results page, CSV), is withheld where it
could be told apart; shareable links are rate-limited per client address and counted."""

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse

from conftest import TEST_REDIS_URL
from surveys.models import Response, SurveyLink
from surveys.selectors import survey_results
from surveys.services import launch_survey

from .conftest import full_answers
from .test_workflow import record

pytestmark = pytest.mark.usefixtures("frozen")


def _csv(client, survey, **params) -> str:
    response = client.get(reverse("surveys:results", args=[survey.pk]), {"format": "csv", **params})
    return b"".join(response.streaming_content).decode()


def test_a_comment_from_a_group_of_one_carries_no_school_or_audience(
    coordinator_client, survey, school_a, school_b
):
    record(survey, school_a, "staff", 4, "The officer at the front desk was rude to me")  # a group of one
    for _ in range(3):
        record(survey, school_b, "parent", 5, "Great to see the officer at pick-up")
    record(survey, school_b, "staff", 3)
    record(survey, school_a, "parent", 3)

    page = coordinator_client.get(reverse("surveys:results", args=[survey.pk])).text
    assert "The officer at the front desk was rude to me" in page
    assert "Staff, Alpha High School" not in page
    assert "From a group with fewer than 3 responses: school and audience not shown" in page
    assert page.count("Parents and guardians, Bravo Middle School") == 3  # a group of three keeps its label

    csv = _csv(coordinator_client, survey)
    assert "The officer at the front desk was rude to me,," in csv
    assert "Great to see the officer at pick-up,Parents and guardians,Bravo Middle School" in csv
    assert "Alpha High School" not in csv.split("comment,audience,school")[1]


def test_a_small_groups_comment_is_withheld_on_a_filtered_view(
    coordinator_client, survey, school_a, school_b
):
    record(survey, school_a, "staff", 4, "Only staff member who answered")
    record(survey, school_a, "parent", 4)
    record(survey, school_a, "parent", 4)
    record(survey, school_b, "parent", 4)
    # Filtering by school A would otherwise leave that comment with one writer in view.
    page = coordinator_client.get(reverse("surveys:results", args=[survey.pk]), {"school": school_a.pk}).text
    assert "Only staff member who answered" not in page
    assert "1 comment from groups" in page and "with fewer than 3 responses is not shown" in page
    csv = _csv(coordinator_client, survey, school=school_a.pk)
    assert "Only staff member who answered" not in csv
    assert "1 comment(s) from groups under 3 responses withheld" in csv


def test_small_groups_comments_are_withheld_when_too_few_to_pool(survey, school_a, school_b):
    record(survey, school_a, "staff", 4, "Mine")
    for _ in range(3):
        record(survey, school_b, "parent", 4)
    results = survey_results(survey)
    assert results.comments == [] and results.withheld_comments == 1


def test_the_dashboard_tile_shows_no_score_from_one_response(coordinator_client, survey, school_a):
    record(survey, school_a, "staff", 5, "Hi")
    response = coordinator_client.get(reverse("reports:dashboard"))
    tile = {t.key: t for t in response.context["tiles"]}["surveys"]
    assert "1 response." in tile.answer and "Scores are shown from 3 responses on" in tile.answer
    assert tile.chart is None
    assert "5.0" not in tile.answer and all(row[1] == "—" for row in tile.table.rows)


# --- Shareable links ------------------------------------------------------------------------


@pytest.fixture
def link(survey, school_b):
    launch_survey(survey=survey)
    return SurveyLink.objects.get(survey=survey, school=school_b, audience="parent")


def _answer(link, template, address="198.51.100.7", **headers):
    # A new browser each time: the cookie that allows one answer per browser is gone.
    return Client(REMOTE_ADDR=address, **headers).post(
        reverse("surveys:answer_link", args=[link.token]), full_answers(template, 1)
    )


def test_a_shareable_link_refuses_a_script_clearing_its_cookie(link, template, settings):
    settings.SURVEY_LINK_RATE = "3/h"
    assert [_answer(link, template).status_code for _ in range(3)] == [302, 302, 302]
    refused = _answer(link, template)
    assert refused.status_code == 429
    assert "Many answers have come from your network address" in refused.text
    assert Response.objects.count() == 3
    # Another address is not held up by the first one.
    assert _answer(link, template, address="203.0.113.9").status_code == 302


def test_a_forged_forwarded_for_header_does_not_give_more_answers(link, template, settings):
    settings.SURVEY_LINK_RATE = "2/h"
    settings.TRUSTED_PROXY_COUNT = 0
    codes = [_answer(link, template, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}").status_code for i in range(3)]
    assert codes == [302, 302, 429]


def test_behind_a_trusted_proxy_the_limit_is_per_client(link, template, settings):
    settings.SURVEY_LINK_RATE = "2/h"
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    first = [_answer(link, template, proxy, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code for _ in range(3)]
    assert first == [302, 302, 429]
    assert _answer(link, template, proxy, HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 302


def test_the_limit_is_kept_in_the_shared_cache(link, template, settings):
    # Production's cache is Redis: two workers see the same count.
    redis_cache = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": TEST_REDIS_URL}
    }
    settings.SURVEY_LINK_RATE = "2/h"
    with override_settings(CACHES=redis_cache):
        caches["default"].clear()
        try:
            codes = [_answer(link, template, address="198.51.100.77").status_code for _ in range(3)]
        finally:
            caches["default"].clear()
    assert codes == [302, 302, 429]


def test_the_results_page_says_how_many_answers_came_through_each_link(
    coordinator_client, link, template, survey
):
    _answer(link, template)
    _answer(link, template, address="203.0.113.5")
    link.refresh_from_db()
    assert link.answers == 2
    page = coordinator_client.get(reverse("surveys:results", args=[survey.pk]))
    assert ("Bravo Middle School", "Parents and guardians", 2) in page.context["results"].links
    assert "Answers through shareable links" in page.text
    assert "Bravo Middle School,Parents and guardians,2" in _csv(coordinator_client, survey)


def test_viewing_a_link_is_not_counted_against_the_limit(link, settings):
    settings.SURVEY_LINK_RATE = "1/h"
    client = Client(REMOTE_ADDR="198.51.100.8")
    for _ in range(3):
        assert client.get(reverse("surveys:answer_link", args=[link.token])).status_code == 200


def test_a_small_groups_scores_cannot_be_worked_out_from_the_whole_and_the_other_groups(
    survey, school_a, school_b, officer_a
):
    for _ in range(5):
        record(survey, school_a, "staff", 4)
    record(survey, school_b, "parent", 1)  # one parent at Bravo: their answer must stay theirs
    results = survey_results(survey)
    whole = results.questions[0]
    assert (whole.n, whole.mean) == (6, 3.5)  # the whole survey is shown (6 responses)
    schools = {row.label: row for row in results.by_school}
    audiences = {row.label: row for row in results.by_audience}
    # Alpha's five and the whole six would give Bravo's one answer: Alpha's scores are hidden too.
    assert schools["Bravo Middle School"].hidden and schools["Alpha High School"].hidden
    assert schools["Alpha High School"].means == [None] * 5
    assert audiences["Staff"].hidden and audiences["Staff"].means == [None] * 5
    # The officer of Alpha (their row would be Alpha's) shows nothing either.
    assert all(row.hidden and row.means == [None] * 5 for row in results.by_officer)
    # Nor does a view filtered to Alpha, or to its staff.
    for view in (survey_results(survey, school_id=school_a.pk), survey_results(survey, audience="staff")):
        assert view.hidden and all(q.n == 0 and q.mean is None for q in view.questions)


def test_the_unfiltered_page_and_csv_hide_the_group_that_would_give_a_smaller_one_away(
    coordinator_client, survey, school_a, school_b
):
    for _ in range(5):
        record(survey, school_a, "staff", 4)
    record(survey, school_b, "parent", 1)
    page = coordinator_client.get(reverse("surveys:results", args=[survey.pk])).text
    assert "hidden, with a smaller group" in page
    assert "<td>4.0</td>" not in page
    filtered = coordinator_client.get(reverse("surveys:results", args=[survey.pk]), {"school": school_a.pk})
    assert "<td>4.0</td>" not in filtered.text
    csv = _csv(coordinator_client, survey)
    # Before, Alpha's 4.0 with the whole survey's 3.5 over 6 gave Bravo's parent's answer: 1.
    assert "school,Alpha High School,5,0,0,,,,,," in csv


def test_groups_big_enough_on_both_sides_keep_their_scores(survey, school_a, school_b):
    for _ in range(5):
        record(survey, school_a, "staff", 4)
    for _ in range(3):
        record(survey, school_b, "parent", 2)
    results = survey_results(survey)
    assert [(row.hidden, row.means[0]) for row in results.by_school] == [(False, 4.0), (False, 2.0)]
    alpha = survey_results(survey, school_id=school_a.pk)
    assert not alpha.hidden and alpha.questions[0].mean == 4.0
