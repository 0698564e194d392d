"""Answering a survey: anonymous, once per token, only while open, with clear errors."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.db import models
from django.test import Client
from django.urls import reverse

from surveys.models import Audience, Invitation, Response, SurveyLink

from .conftest import full_answers, invite, make_survey

pytestmark = pytest.mark.usefixtures("frozen")


def url(invitation):
    return reverse("surveys:answer", args=[invitation.token])


def test_an_invitee_answers_once_and_a_reused_token_is_refused(client, survey, school_a, template):
    invitation = invite(survey, school_a, "t@example.org")
    page = client.get(url(invitation))
    assert page.status_code == 200 and "I trust the school resource officer." in page.text
    response = client.post(url(invitation), full_answers(template, 5, "Officer knows every student by name"))
    assert response.status_code == 302 and response["Location"] == reverse("surveys:thanks")
    stored = Response.objects.get()
    assert (stored.school, stored.audience, stored.submitted_on) == (
        school_a,
        "staff",
        datetime.date(2025, 10, 10),
    )
    again = client.post(url(invitation), full_answers(template, 1))
    assert again.status_code == 409
    assert "You have already answered this survey" in again.text
    assert Response.objects.count() == 1


def test_a_forged_token_gets_a_clear_not_found_page(client, survey):
    page = client.get(reverse("surveys:answer", args=["forged-token-123"]))
    assert page.status_code == 404
    assert "This survey link is not valid" in page.text
    assert client.get(reverse("surveys:answer_link", args=["nope"])).status_code == 404


def test_an_answer_after_closing_is_refused_with_the_closing_date(client, survey, school_a, template, frozen):
    invitation = invite(survey, school_a, "late@example.org")
    frozen.move_to("2025-11-01 09:00 -04:00")
    page = client.post(url(invitation), full_answers(template))
    assert page.status_code == 410
    assert "This survey closed on Fri 31 Oct 2025." in page.text
    assert not Response.objects.exists()


def test_a_survey_not_yet_open_says_when_it_opens(client, template, school_a):
    later = make_survey(
        template, [school_a], opens=datetime.date(2025, 11, 1), closes=datetime.date(2025, 11, 20)
    )
    page = client.get(url(invite(later, school_a, "x@example.org")))
    assert page.status_code == 403 and "This survey opens on Sat 1 Nov 2025." in page.text


def test_a_draft_surveys_token_is_not_valid(client, template, school_a):
    draft = make_survey(template, [school_a], launched=False)
    assert client.get(url(invite(draft, school_a, "x@example.org"))).status_code == 404


def test_a_missing_required_answer_is_an_error_that_keeps_the_other_answers(
    client, survey, school_a, template
):
    invitation = invite(survey, school_a, "t@example.org")
    data = full_answers(template, 2, "Keep this comment")
    trust = template.questions.get(topic="Trust")
    del data[trust.field_name]
    page = client.post(url(invitation), data)
    assert page.status_code == 400
    assert "Please choose an answer to this question." in page.text
    assert "Keep this comment" in page.text
    visibility = template.questions.get(topic="Visibility")
    assert f'name="{visibility.field_name}" id="id_{visibility.field_name}_3" value="2" checked' in page.text
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None  # the token still works


def test_the_comment_is_optional(client, survey, school_a, template):
    assert (
        client.post(url(invite(survey, school_a, "t@example.org")), full_answers(template)).status_code == 302
    )


def test_a_response_carries_nothing_that_links_it_to_an_invitation(client, survey, school_a, template):
    invitation = invite(survey, school_a, "t@example.org")
    client.post(url(invitation), full_answers(template, 3))
    fields = {f.name: f for f in Response._meta.get_fields()}
    assert not any(getattr(f, "related_model", None) is Invitation for f in fields.values())
    assert not any(isinstance(f, models.DateTimeField) for f in fields.values())
    assert isinstance(fields["id"], models.UUIDField)
    stored = Response.objects.get()
    assert invitation.token not in str(stored.answers) and invitation.token_hash not in str(stored.answers)
    # Nor does the audit trail: its timestamps would pair the answer with the invitation's use.
    assert not LogEntry.objects.filter(content_type__model="response").exists()
    assert not LogEntry.objects.filter(
        content_type__model="invitation", action=LogEntry.Action.UPDATE
    ).exists()


def test_tokens_are_stored_only_as_hashes(survey, school_a):
    invitation = invite(survey, school_a, "t@example.org")
    row = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert invitation.token not in [str(v) for v in row.values()]
    assert len(invitation.token) >= 40


def test_a_shareable_link_takes_many_answers_but_one_per_browser(survey, school_b, template):
    link = SurveyLink.objects.create(survey=survey, school=school_b, audience=Audience.PARENT)
    first, second = Client(), Client()
    target = reverse("surveys:answer_link", args=[link.token])
    assert first.post(target, full_answers(template, 4)).status_code == 302
    again = first.get(target)
    assert again.status_code == 409 and "already answered this survey from this browser" in again.text
    assert second.post(target, full_answers(template, 2)).status_code == 302
    assert Response.objects.filter(school=school_b, audience="parent").count() == 2


def test_the_answer_page_needs_no_sign_in_and_is_for_one_school(client, survey, school_a):
    page = client.get(url(invite(survey, school_a, "t@example.org")))
    assert "Alpha High School" in page.text and "Bravo Middle School" not in page.text
    assert 'name="viewport"' in page.text
