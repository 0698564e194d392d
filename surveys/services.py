"""Survey workflows: invitations from a CSV, launching, anonymous answers, and the emails
(invitation, at most two reminders, the closing summary), each written once to the delivery
ledger (core.deliveries), which sends them."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from auditlog.context import disable_auditlog
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from core.deliveries import notify
from core.templatetags.dates import day as day_label
from schools.models import School

from .models import Audience, Invitation, Question, Response, Survey, SurveyLink, SurveyTemplate, hash_token

# Reminders to those who have not answered: 3 and then 7 days after the invitation.
REMINDER_DAYS = (3, 7)
MAX_CSV_ROWS = 5000


class AnswerRefused(Exception):
    """Why an answer page cannot take an answer; `message` is shown to the respondent."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidToken(AnswerRefused):
    status = 404


class AlreadyAnswered(AnswerRefused):
    status = 409


class SurveyClosed(AnswerRefused):
    status = 410


class SurveyNotOpen(AnswerRefused):
    status = 403


PROGRAM_QUESTIONS = [
    ("Visibility", "The school resource officer is visible around the school.", "likert", True),
    ("Trust", "I trust the school resource officer.", "likert", True),
    ("Approachability", "I would feel comfortable approaching the school resource officer.", "likert", True),
    ("Helpfulness", "The school resource officer is helpful when a problem comes up.", "likert", True),
    ("Feeling safe", "I feel safe at school.", "likert", True),
    ("Comments", "Anything else you would like the program to know?", "text", False),
]


def program_template() -> SurveyTemplate:
    """The program's feedback template (also created by migration 0002)."""
    template, created = SurveyTemplate.objects.get_or_create(
        name="SRO program feedback",
        defaults={"description": "How staff, students and parents see their SRO and the program."},
    )
    if created:
        Question.objects.bulk_create(
            Question(template=template, order=n, topic=topic, text=text, kind=kind, required=required)
            for n, (topic, text, kind, required) in enumerate(PROGRAM_QUESTIONS, start=1)
        )
    return template


@dataclass
class ImportReport:
    created: int = 0
    duplicates: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _fmt(day: datetime.date) -> str:
    return day_label(day)


def import_invitations(
    *, survey: Survey, data: bytes, default_school: School | None, default_audience: str | None
) -> ImportReport:
    """Invitations from a CSV with an `email` column and optional `school` and `audience`
    columns. Bad rows are reported by line and skipped; repeated addresses are counted once."""
    report = ImportReport()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.errors.append((0, "The file is not UTF-8 text. Save it as CSV (UTF-8) and try again."))
        return report
    reader = csv.DictReader(io.StringIO(text))
    columns = {(c or "").strip().lower() for c in reader.fieldnames or []}
    if "email" not in columns:
        report.errors.append((1, "The first line must name the columns, including one called “email”."))
        return report
    schools = {s.name.lower(): s for s in survey.schools.all()}
    audiences = {a: a for a in survey.audiences} | {
        label.lower(): value for value, label in Audience.choices if value in survey.audiences
    }
    existing = set(survey.invitations.values_list("email", flat=True))
    seen: set[str] = set()
    new: list[Invitation] = []
    for line, raw in enumerate(reader, start=2):
        if line > MAX_CSV_ROWS + 1:
            report.errors.append((line, f"Only the first {MAX_CSV_ROWS} rows are read."))
            break
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        email = row.get("email", "").lower()
        if not email and not any(row.values()):
            continue
        try:
            validate_email(email)
        except ValidationError:
            report.errors.append((line, f"“{email or '(empty)'}” is not an email address."))
            continue
        school = schools.get(row["school"].lower()) if row.get("school") else default_school
        if school is None:
            report.errors.append(
                (line, f"School “{row.get('school', '')}” is not one of this survey's schools.")
            )
            continue
        audience = audiences.get(row["audience"].lower()) if row.get("audience") else default_audience
        if audience is None:
            report.errors.append((line, f"Audience “{row.get('audience', '')}” is not one this survey asks."))
            continue
        if email in seen or email in existing:
            report.duplicates += 1
            continue
        seen.add(email)
        new.append(Invitation(survey=survey, school=school, audience=audience, email=email))
    for invitation in new:
        invitation.token_hash = hash_token(invitation.token)
    Invitation.objects.bulk_create(new)
    report.created = len(new)
    return report


def launch_survey(*, survey: Survey) -> None:
    """Make the survey live: shareable links for every school and audience, and the
    invitations written to the delivery ledger with it (if it is open; else on its opening
    day by the daily job)."""
    with transaction.atomic():
        Survey.objects.filter(pk=survey.pk, launched_at__isnull=True).update(launched_at=timezone.now())
        for school in survey.schools.all():
            for audience in survey.audiences:
                SurveyLink.objects.get_or_create(survey=survey, school=school, audience=audience)
        send_invitations(survey_id=survey.pk, today=timezone.localdate())


@transaction.atomic
def send_invitations(*, survey_id: int, today: datetime.date) -> int:
    """Write an invitation email for every invitation not yet invited. `sent_at` marks the
    invitation as handed to the ledger (the reminders count from it)."""
    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None or not survey.is_open(today):
        return 0
    sent = 0
    for invitation in survey.invitations.filter(sent_at__isnull=True).select_related("school"):
        sent += len(
            notify(
                occasion=f"survey-invite:{invitation.pk}",
                template_prefix="surveys/email/invitation",
                context={"survey": survey, "invitation": invitation, "url": invitation.get_answer_url()},
                email=invitation.email,
            )
        )
        Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return sent


@transaction.atomic
def send_reminders(*, survey_id: int, today: datetime.date) -> int:
    """Remind those who have not answered, 3 and 7 days after their invitation; never more
    than twice, and never once the survey has closed."""
    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None or not survey.is_open(today):
        return 0
    sent = 0
    pending = survey.invitations.filter(sent_at__isnull=False, used_at__isnull=True, reminders_sent__lt=2)
    for invitation in pending:
        number = invitation.reminders_sent + 1
        due = timezone.localdate(invitation.sent_at) + datetime.timedelta(days=REMINDER_DAYS[number - 1])
        if today < due:
            continue
        sent += len(
            notify(
                occasion=f"survey-reminder-{number}:{invitation.pk}",
                template_prefix="surveys/email/reminder",
                context={
                    "survey": survey,
                    "invitation": invitation,
                    "url": invitation.get_answer_url(),
                    "number": number,
                },
                email=invitation.email,
            )
        )
        Invitation.objects.filter(pk=invitation.pk, reminders_sent=number - 1).update(reminders_sent=number)
    return sent


@transaction.atomic
def send_close_summary(*, survey_id: int, today: datetime.date) -> int:
    """Once the survey has closed: its numbers to the coordinator who made it (or, if that
    account is gone, to every coordinator)."""
    from .selectors import survey_results

    survey = Survey.objects.filter(pk=survey_id).select_related("created_by").first()
    if survey is None or survey.status(today) != "closed":
        return 0
    recipients = [survey.created_by] if survey.created_by and survey.created_by.email else []
    if not recipients:
        recipients = list(User.objects.active_coordinators().exclude(email=""))
    results = survey_results(survey)
    sent = 0
    for user in recipients:
        sent += len(
            notify(
                occasion=f"survey-summary:{survey.pk}:user:{user.pk}",
                template_prefix="surveys/email/summary",
                context={"survey": survey, "results": results},
                user=user,
                email=user.email,
                title=f"Survey closed: {survey}",
                url=f"{survey.get_absolute_url()}results/",
            )
        )
    return sent


@dataclass(frozen=True)
class AnswerTarget:
    survey: Survey
    school: School
    audience: str
    invitation: Invitation | None = None
    link: SurveyLink | None = None


def _check_open(survey: Survey, today: datetime.date) -> None:
    status = survey.status(today)
    if status == "draft":
        raise InvalidToken("This survey link is not valid.")
    if status == "scheduled":
        raise SurveyNotOpen(f"This survey opens on {_fmt(survey.opens_on)}. Please come back then.")
    if status == "closed":
        raise SurveyClosed(f"This survey closed on {_fmt(survey.closes_on)}. Thank you for your interest.")


def resolve_invitation(token: str, *, today: datetime.date) -> AnswerTarget:
    invitation = (
        Invitation.objects.select_related("survey__template", "school")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvalidToken(
            "This survey link is not valid. Check that you opened the whole link from your invitation email."
        )
    _check_open(invitation.survey, today)
    if invitation.used_at is not None:
        raise AlreadyAnswered(
            "You have already answered this survey: each invitation link can be used once. Thank you!"
        )
    return AnswerTarget(invitation.survey, invitation.school, invitation.audience, invitation=invitation)


def resolve_link(token: str, *, today: datetime.date) -> AnswerTarget:
    link = SurveyLink.objects.select_related("survey__template", "school").filter(token=token).first()
    if link is None:
        raise InvalidToken(
            "This survey link is not valid. Check that you opened the whole link you were given."
        )
    _check_open(link.survey, today)
    return AnswerTarget(link.survey, link.school, link.audience, link=link)


def submit_response(*, target: AnswerTarget, answers: dict[str, Any], today: datetime.date) -> Response:
    """Store one anonymous response. With an invitation, its one use is claimed atomically in
    the same transaction, so a double submit stores one response."""
    _check_open(target.survey, today)
    with disable_auditlog(), transaction.atomic():
        if target.invitation is not None:
            claimed = Invitation.objects.filter(pk=target.invitation.pk, used_at__isnull=True).update(
                used_at=timezone.now()
            )
            if not claimed:
                raise AlreadyAnswered(
                    "You have already answered this survey: each invitation link can be used once. Thank you!"
                )
        if target.link is not None:
            SurveyLink.objects.filter(pk=target.link.pk).update(answers=F("answers") + 1)
        return Response.objects.create(
            survey=target.survey,
            school=target.school,
            audience=target.audience,
            submitted_on=today,
            answers=answers,
        )


def run_daily(*, today: datetime.date) -> int:
    """The daily job: invitations for surveys that opened, reminders, summaries of surveys
    closed in the last 30 days. Each survey in its own transaction; returns deliveries written."""
    written = 0
    for survey_id in Survey.objects.open_on(today).values_list("pk", flat=True):
        written += send_invitations(survey_id=survey_id, today=today)
        written += send_reminders(survey_id=survey_id, today=today)
    recently_closed = Survey.objects.launched().filter(
        closes_on__lt=today, closes_on__gte=today - datetime.timedelta(days=30)
    )
    for survey_id in recently_closed.values_list("pk", flat=True):
        written += send_close_summary(survey_id=survey_id, today=today)
    return written
