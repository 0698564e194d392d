"""The coordinator's side: draft, invitations from a CSV, launch, emails, results."""

import datetime
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import linebreaksbr
from django.test import Client
from django.urls import reverse

from core.dispatcher import dispatch
from core.models import Channel, Delivery, DeliveryStatus, Notification, Queue
from schools.models import Assignment
from surveys import services, tasks
from surveys.models import Invitation, Response, Survey, SurveyLink
from surveys.selectors import latest_results, survey_results
from surveys.templatetags.survey_results import comment_items
from tests.faults import REFUSING_BACKEND

from .conftest import full_answers, invite, make_survey

pytestmark = pytest.mark.usefixtures("frozen")


def send_due_emails() -> int:
    """What the dispatcher does when a run's commit kicks it (or the 30-second sweep runs):
    send the emails that are due. A `db` test never commits, so it is called here."""
    return dispatch(queue=Queue.REMINDERS)


def run_daily(day: str | None = None) -> None:
    """The daily beat run for `day` (default: today), and the dispatcher its commit kicks."""
    tasks.run_daily(day)
    send_due_emails()


def emailed(occasion: str) -> int:
    return Delivery.objects.filter(
        occasion=occasion, channel=Channel.EMAIL, status=DeliveryStatus.SENT
    ).count()


def csv_file(text: str, name="list.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_surveys_are_for_coordinators_only(admin_a_client, officer_a_client, client, survey):
    for url in [
        reverse("surveys:list"),
        survey.get_absolute_url(),
        reverse("surveys:results", args=[survey.pk]),
    ]:
        assert admin_a_client.get(url).status_code == 403
        assert officer_a_client.get(url).status_code == 403
        assert client.get(url).status_code == 302
    assert admin_a_client.post(reverse("surveys:launch", args=[survey.pk])).status_code == 403


def test_a_missing_survey_is_not_found(coordinator_client):
    assert coordinator_client.get(reverse("surveys:detail", args=[999])).status_code == 404


def test_survey_list_query_count_is_flat(
    coordinator_client, template, school_a, django_assert_max_num_queries
):
    for n in range(30):
        make_survey(template, [school_a], title=f"Survey {n}")
    with django_assert_max_num_queries(11):  # one reads the districts for the district filter
        page = coordinator_client.get(reverse("surveys:list"))
    assert "Page 1 of 2" in page.text


def test_from_draft_to_invitations_to_anonymous_answers_to_results(
    coordinator_client, template, school_a, school_b, django_capture_on_commit_callbacks
):
    response = coordinator_client.post(
        reverse("surveys:create"),
        {
            "template": template.pk,
            "title": "Fall feedback",
            "schools": [school_a.pk, school_b.pk],
            "audiences": ["staff", "parent"],
            "opens_on": "2025-10-06",
            "closes_on": "2025-10-24",
        },
    )
    survey = Survey.objects.get(title="Fall feedback")
    assert response["Location"] == survey.get_absolute_url()
    assert survey.status() == "draft"
    upload = coordinator_client.post(
        reverse("surveys:upload", args=[survey.pk]),
        {
            "file": csv_file(
                "email,school,audience\n"
                "ann@example.org,Alpha High School,staff\n"
                "bob@example.org,Bravo Middle School,parents and guardians\n"
                "ANN@example.org,Alpha High School,staff\n"
                "not-an-email,Alpha High School,staff\n"
                "cat@example.org,Nowhere School,staff\n"
                "dan@example.org,,\n"
            ),
            "school": "",
            "audience": "",
        },
    )
    assert "2 invitations added; 1 duplicate skipped; 3 rows with errors." in upload.text
    assert "“not-an-email” is not an email address." in upload.text
    assert "School “Nowhere School” is not one of this survey&#x27;s schools." in upload.text
    assert mail.outbox == []  # a draft sends nothing
    confirm = coordinator_client.get(reverse("surveys:launch", args=[survey.pk]))
    assert "Launch “Fall feedback”?" in confirm.text
    mail.outbox.clear()
    # The launch's commit kicks the dispatcher, which sends the invitations.
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(reverse("surveys:launch", args=[survey.pk]))
    assert SurveyLink.objects.filter(survey=survey).count() == 4
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.org", "bob@example.org"]
    for invitation in survey.invitations.all():
        assert invitation.sent_at is not None
        assert emailed(f"survey-invite:{invitation.pk}") == 1
    link = re.search(r"http://\S+/surveys/r/(\S+)/", mail.outbox[0].body).group(1)
    respondent = Client()
    assert (
        respondent.post(
            reverse("surveys:answer", args=[link]), full_answers(template, 5, "Great")
        ).status_code
        == 302
    )
    results = coordinator_client.get(reverse("surveys:results", args=[survey.pk]))
    assert "1 of 2 invitations answered" in results.text
    # One response: its comment would name its writer (tests/test_anonymity.py).
    assert "Great" not in results.text and "1 comment from groups" in results.text
    assert coordinator_client.get(reverse("surveys:edit", args=[survey.pk])).status_code == 302  # frozen now


def test_invitees_uploaded_to_an_open_survey_are_invited_at_once(coordinator_client, survey, school_a):
    assert survey.is_open()
    page = coordinator_client.post(
        reverse("surveys:upload", args=[survey.pk]),
        {"file": csv_file("email\nnew@example.org\n"), "school": school_a.pk, "audience": "staff"},
    )
    assert page.status_code == 200
    invitation = Invitation.objects.get(email="new@example.org")
    assert invitation.sent_at is not None
    send_due_emails()
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    assert emailed(f"survey-invite:{invitation.pk}") == 1


def test_upload_without_an_email_column_says_so(coordinator_client, survey):
    page = coordinator_client.post(
        reverse("surveys:upload", args=[survey.pk]),
        {"file": csv_file("name\nAnn\n"), "school": "", "audience": ""},
    )
    assert "including one called “email”" in page.text
    assert not Invitation.objects.exists()


def test_reminders_go_at_three_and_seven_days_and_at_most_twice(survey, school_a, frozen):
    waiting = invite(survey, school_a, "waiting@example.org")
    answered = invite(survey, school_a, "answered@example.org")
    Invitation.objects.filter(pk=answered.pk).update(
        used_at=datetime.datetime(2025, 10, 2, tzinfo=datetime.UTC)
    )
    mail.outbox.clear()
    for day in range(2, 20):
        run_daily(f"2025-10-{day:02d}")
        run_daily(f"2025-10-{day:02d}")
    assert [m.to[0] for m in mail.outbox] == ["waiting@example.org"] * 2
    assert mail.outbox[1].body.count("This is the last reminder.") == 1
    assert emailed(f"survey-reminder-1:{waiting.pk}") == 1
    assert emailed(f"survey-reminder-2:{waiting.pk}") == 1
    assert not Delivery.objects.filter(
        occasion__in=[f"survey-reminder-{n}:{answered.pk}" for n in (1, 2)]
    ).exists()
    waiting.refresh_from_db()
    assert waiting.reminders_sent == 2


def test_the_coordinator_gets_a_summary_once_when_the_survey_closes(survey, school_a, coordinator):
    Response.objects.create(
        survey=survey, school=school_a, audience="staff", submitted_on=survey.opens_on, answers={}
    )
    mail.outbox.clear()
    run_daily("2025-10-31")
    assert mail.outbox == []
    run_daily("2025-11-01")
    run_daily("2025-11-02")
    assert [m.to for m in mail.outbox] == [["coord@example.org"]]
    assert mail.outbox[0].subject == "Survey closed: Fall 2025 (1 responses)"
    assert list(Notification.objects.filter(user=coordinator).values_list("title", flat=True)) == [
        "Survey closed: Fall 2025"
    ]


def test_invitations_are_sent_once_even_if_they_are_written_twice(survey, school_a):
    invitation = invite(survey, school_a, "new@example.org", sent=False)
    mail.outbox.clear()
    today = datetime.date(2025, 10, 10)
    assert services.send_invitations(survey_id=survey.pk, today=today) == 1  # email only: no login
    assert services.send_invitations(survey_id=survey.pk, today=today) == 0
    run_daily("2025-10-10")
    run_daily("2025-10-10")
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    assert emailed(f"survey-invite:{invitation.pk}") == 1


def test_an_invitation_the_mail_server_refused_is_retried_and_arrives_once(
    survey, school_a, settings, frozen
):
    invitation = invite(survey, school_a, "new@example.org", sent=False)
    working_backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    mail.outbox.clear()
    run_daily()
    email = Delivery.objects.get(occasion=f"survey-invite:{invitation.pk}", channel=Channel.EMAIL)
    assert email.status == DeliveryStatus.RETRYING
    assert "closed the connection" in email.last_error
    assert mail.outbox == []

    settings.EMAIL_BACKEND = working_backend
    run_daily()  # the next run writes nothing new, and the retry waits for its backoff
    assert mail.outbox == []
    frozen.move_to(email.next_attempt_at + datetime.timedelta(seconds=1))
    assert send_due_emails() == 1
    assert send_due_emails() == 0
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (DeliveryStatus.SENT, 2, "")


def record(survey, school, audience, scores, comment=None):
    questions = list(survey.template.questions.all())
    answers = {str(q.pk): scores for q in questions if q.kind == "likert"}
    if comment:
        answers[str(questions[-1].pk)] = comment
    return Response.objects.create(
        survey=survey, school=school, audience=audience, submitted_on=survey.opens_on, answers=answers
    )


def test_results_by_school_audience_and_officer_with_the_change_since_last_time(
    template, school_a, school_b, officer_a, officer_b, coordinator_client
):
    spring = make_survey(
        template,
        [school_a, school_b],
        opens=datetime.date(2025, 4, 1),
        closes=datetime.date(2025, 4, 30),
        title="Spring",
    )
    fall = make_survey(template, [school_a, school_b], title="Fall")
    for _ in range(3):
        record(spring, school_a, "staff", 2)
    record(fall, school_a, "staff", 5, "Visible every morning")
    record(fall, school_a, "parent", 4)
    record(fall, school_b, "parent", 3)
    invite(fall, school_a, "a1@example.org")
    invite(fall, school_a, "a2@example.org")
    Invitation.objects.filter(email="a1@example.org").update(
        used_at=datetime.datetime(2025, 10, 3, tzinfo=datetime.UTC)
    )
    # An officer who left school B before the survey opened is not credited with its answers.
    Assignment.objects.filter(officer=officer_b.officer).update(end_date=datetime.date(2025, 6, 30))
    results = survey_results(fall)
    assert results.previous == spring
    trust = next(q for q in results.questions if q.question.topic == "Trust")
    assert (trust.n, trust.mean, trust.previous_mean, trust.change) == (3, 4.0, 2.0, 2.0)
    assert [c for *_, c in trust.counts] == [33, 33, 33, 0, 0]
    schools = {row.label: row for row in results.by_school}
    assert (schools["Alpha High School"].responses, schools["Alpha High School"].rate) == (2, 50)
    assert [row.label.split(" (")[0] for row in results.by_officer] == ["Officer_A Officer"]
    assert results.by_officer[0].responses == 2
    # One staff answer at school A: its comment is shown without school or audience.
    assert results.comments == [("", "", "Visible every morning")]
    parents = survey_results(fall, audience="parent")
    assert parents.total == 2
    page = coordinator_client.get(reverse("surveys:results", args=[fall.pk]), {"school": school_b.pk})
    assert "Visible every morning" not in page.text
    csv = b"".join(
        coordinator_client.get(
            reverse("surveys:results", args=[fall.pk]), {"format": "csv"}
        ).streaming_content
    )
    assert "Trust,3,4.0,2.0,2.0" in csv.decode()


def test_results_count_each_score_per_question_and_group_as_counted_by_hand(
    template, school_a, school_b, officer_a
):
    """Different scores per question and skipped questions, counted by hand: the
    distributions, means by school, audience and officer, and the previous survey's means
    all come from one pass over the answers (surveys.selectors._cells)."""
    likert = [q for q in template.questions.all() if q.kind == "likert"]

    def answer(survey, school, audience, *scores):
        answers = {str(q.pk): s for q, s in zip(likert, scores, strict=True) if s is not None}
        Response.objects.create(
            survey=survey, school=school, audience=audience, submitted_on=survey.opens_on, answers=answers
        )

    spring = make_survey(
        template,
        [school_a],
        opens=datetime.date(2025, 4, 1),
        closes=datetime.date(2025, 4, 30),
        title="Spring",
    )
    for scores in [(1, 1, 1, 1, 1), (2, None, 2, 5, 2), (4, 3, 3, 3, 5)]:
        answer(spring, school_a, "staff", *scores)
    fall = make_survey(template, [school_a, school_b], title="Fall")
    for scores in [(5, 4, 1, 2, 3), (4, 4, 2, None, 3), (1, 5, 2, 2, 3)]:
        answer(fall, school_a, "staff", *scores)
    for scores in [(3, 3, 3, 3, 3), (5, 1, 4, 5, 2)]:
        answer(fall, school_a, "parent", *scores)
    answer(fall, school_b, "parent", 2, 2, None, 1, 5)

    results = survey_results(fall)
    # Per question: (score, count, percent) for 5..1, answers, mean, previous mean, change.
    assert [
        ([(v, c, p) for v, _, c, p in q.counts], q.n, q.mean, q.previous_mean, q.change)
        for q in results.questions
    ] == [
        ([(5, 2, 33), (4, 1, 17), (3, 1, 17), (2, 1, 17), (1, 1, 17)], 6, 3.33, 2.33, 1.0),
        ([(5, 1, 17), (4, 2, 33), (3, 1, 17), (2, 1, 17), (1, 1, 17)], 6, 3.17, 2.0, 1.17),
        ([(5, 0, 0), (4, 1, 20), (3, 1, 20), (2, 2, 40), (1, 1, 20)], 5, 2.4, 2.0, 0.4),
        ([(5, 1, 20), (4, 0, 0), (3, 1, 20), (2, 2, 40), (1, 1, 20)], 5, 2.6, 3.0, -0.4),
        ([(5, 1, 17), (4, 0, 0), (3, 4, 67), (2, 1, 17), (1, 0, 0)], 6, 3.17, 2.67, 0.5),
    ]
    # Bravo's one answer is hidden, and so is Alpha's row: the whole survey less Alpha would
    # be Bravo's answer (surveys.selectors.shown_groups).
    assert [(r.label, r.responses, r.means, r.withheld) for r in results.by_school] == [
        ("Alpha High School", 5, [None] * 5, True),
        ("Bravo Middle School", 1, [None] * 5, False),
    ]
    assert [(r.label, r.responses, r.means) for r in results.by_audience] == [
        ("Staff", 3, [3.33, 4.33, 1.67, 2.0, 3.0]),
        ("Parents and guardians", 3, [3.33, 2.0, 3.5, 3.0, 3.33]),
    ]
    alpha_officer = next(r for r in results.by_officer if r.label.endswith("(Alpha High School)"))
    assert (alpha_officer.responses, alpha_officer.means) == (5, [None] * 5)  # Alpha's row
    staff = survey_results(fall, audience="staff")
    assert [[c for _, _, c, _ in q.counts] for q in staff.questions] == [
        [1, 1, 0, 0, 1],
        [1, 2, 0, 0, 0],
        [0, 0, 0, 2, 1],
        [0, 0, 0, 2, 0],
        [0, 0, 3, 0, 0],
    ]
    # Under three responses: no distribution at all, and the group's scores hidden.
    bravo = survey_results(fall, school_id=school_b.pk)
    assert bravo.total == 1 and all(q.n == 0 and q.mean is None for q in bravo.questions)
    assert [c for q in bravo.questions for _, _, c, _ in q.counts] == [0] * 25


def test_latest_results_for_the_dashboard(template, school_a):
    assert latest_results() is None
    spring = make_survey(
        template,
        [school_a],
        opens=datetime.date(2025, 4, 1),
        closes=datetime.date(2025, 4, 30),
        title="Spring",
    )
    fall = make_survey(template, [school_a], title="Fall")
    for _ in range(3):
        record(spring, school_a, "staff", 3)
        record(fall, school_a, "staff", 4)
    latest = latest_results()
    assert latest["survey"] == fall and latest["status"] == "open"
    safe = next(q for q in latest["questions"] if q["topic"] == "Feeling safe")
    assert (safe["mean"], safe["change"]) == (4.0, 1.0)


def test_only_coordinators_create_edit_upload_or_launch(admin_a_client, officer_a_client, template, school_a):
    draft = make_survey(template, [school_a], launched=False)
    for client in (admin_a_client, officer_a_client):
        assert client.get(reverse("surveys:create")).status_code == 403
        assert client.get(reverse("surveys:edit", args=[draft.pk])).status_code == 403
        assert client.post(reverse("surveys:upload", args=[draft.pk])).status_code == 403
        assert client.post(reverse("surveys:launch", args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.launched_at is None


def test_a_survey_that_closes_before_it_opens_is_refused(coordinator_client, template, school_a):
    page = coordinator_client.post(
        reverse("surveys:create"),
        {
            "template": template.pk,
            "title": "Backwards",
            "schools": [school_a.pk],
            "audiences": ["staff"],
            "opens_on": "2025-10-20",
            "closes_on": "2025-10-06",
        },
    )
    assert "The survey must close on or after the day it opens." in page.text
    assert 'value="Backwards"' in page.text
    assert not Survey.objects.filter(title="Backwards").exists()


def test_a_launched_survey_opening_later_sends_invitations_on_its_opening_day(template, school_a, frozen):
    later = make_survey(
        template, [school_a], opens=datetime.date(2025, 10, 20), closes=datetime.date(2025, 11, 5)
    )
    invite(later, school_a, "soon@example.org", sent=False)
    mail.outbox.clear()
    frozen.move_to("2025-10-19 07:15 -04:00")
    run_daily()
    assert mail.outbox == []
    frozen.move_to("2025-10-20 07:15 -04:00")
    run_daily()
    assert [m.to for m in mail.outbox] == [["soon@example.org"]]
    assert "/surveys/r/" in mail.outbox[0].body


def test_scores_of_groups_smaller_than_three_are_hidden(template, school_a, school_b, coordinator_client):
    survey = make_survey(template, [school_a, school_b])
    for _ in range(3):
        record(survey, school_a, "staff", 4)
    record(survey, school_b, "parent", 1)
    results = survey_results(survey)
    rows = {row.label: row for row in results.by_school}
    assert rows["Bravo Middle School"].hidden and rows["Bravo Middle School"].means == [None] * 5
    # Alpha's three would give Bravo's one away (the whole survey less Alpha): hidden with it.
    assert rows["Alpha High School"].hidden and rows["Alpha High School"].means == [None] * 5
    single = survey_results(survey, school_id=school_b.pk)
    assert single.hidden and all(q.mean is None and q.n == 0 for q in single.questions)
    page = coordinator_client.get(reverse("surveys:results", args=[survey.pk]), {"school": school_b.pk})
    assert "Fewer than 3 responses match: scores are hidden" in page.text


def test_the_results_page_shows_each_groups_scores_or_hides_them_and_escapes_comments(
    template, school_a, school_b, coordinator_client
):
    survey = make_survey(template, [school_a, school_b])
    for _ in range(3):
        record(survey, school_a, "staff", 4, "Good <b>work</b>\nthanks")
        record(survey, school_a, "parent", 2)
    record(survey, school_b, "parent", 1)
    page = coordinator_client.get(reverse("surveys:results", args=[survey.pk])).text
    # By audience: responses, invited, answered, rate (none invited), then the five means.
    shown = "<td>3</td><td>0</td><td>0</td><td>—</td>" + "<td>4.0</td>" * 5
    assert f'<th scope="row">Staff</th>{shown}</tr>' in page
    hidden = '<td>1</td><td>0</td><td>0</td><td>—</td><td colspan="5">fewer than 3 responses: hidden</td>'
    assert f'<th scope="row">Bravo Middle School</th>{hidden}</tr>' in page
    withheld = "<td>6</td><td>0</td><td>0</td><td>—</td>" + (
        '<td colspan="5">hidden, with a smaller group whose scores it would give away</td>'
    )
    assert f'<th scope="row">Alpha High School</th>{withheld}</tr>' in page
    # A comment's text is escaped and keeps its line breaks; its group of three keeps its label.
    assert page.count('<p class="mb-1">Good &lt;b&gt;work&lt;/b&gt;<br>thanks</p>') == 3
    assert "<b>work</b>" not in page
    assert page.count("Staff, Alpha High School</span>") == 3


def test_results_make_as_many_queries_for_3n_responses_as_for_n(
    template, school_a, school_b, officer_a, coordinator_client
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    survey = make_survey(template, [school_a, school_b])
    url = reverse("surveys:results", args=[survey.pk])

    def answer(n: int) -> None:
        for i in range(n):
            record(
                survey, [school_a, school_b][i % 2], ["staff", "parent"][i % 2], 1 + i % 5, comment=f"C{i}"
            )

    answer(6)
    with CaptureQueriesContext(connection) as few:
        page = coordinator_client.get(url)
    assert page.context["results"].total == 6
    answer(12)
    with CaptureQueriesContext(connection) as many:
        page = coordinator_client.get(url)
    assert page.context["results"].total == 18
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize(
    "text",
    ["Good <b>work</b>\nthanks", 'Tom & Jerry\'s "fix"\r\nnext\rline\r\r\nend', "  >\n\n<  ", "plain"],
)
def test_a_comment_reads_as_django_would_draw_it_with_linebreaksbr(text):
    item = comment_items([("Staff", "Alpha & Omega High", text)])
    assert f'<p class="mb-1">{linebreaksbr(text, autoescape=True)}</p>' in item
    assert item.endswith("Staff, Alpha &amp; Omega High</span></li>")
