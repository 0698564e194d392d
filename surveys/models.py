"""Feedback surveys about the SRO program.

Anonymity by construction: an Invitation knows who was asked and whether they answered
(`used_at`); a Response knows what was answered, for which school and audience, and the day
only. Nothing links the two: no foreign key, no token, no timestamp, a random primary key,
and responses are written with the audit log switched off (see services.submit_response)."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import secrets
import uuid
from typing import TYPE_CHECKING, Any

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.validators import single_line

if TYPE_CHECKING:
    from accounts.models import User


class Audience(models.TextChoices):
    STAFF = "staff", "Staff"
    STUDENT = "student", "Students"
    PARENT = "parent", "Parents and guardians"


class QuestionKind(models.TextChoices):
    LIKERT = "likert", "Agree / disagree (1-5)"
    TEXT = "text", "Free text"


LIKERT_CHOICES = [
    (5, "Strongly agree"),
    (4, "Agree"),
    (3, "Neither agree nor disagree"),
    (2, "Disagree"),
    (1, "Strongly disagree"),
]


class SurveyTemplate(models.Model):
    name = models.CharField(max_length=120, unique=True, validators=[single_line])
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    template = models.ForeignKey(SurveyTemplate, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    topic = models.CharField(max_length=40, help_text="Short name in results, e.g. “Trust”.")
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices, default=QuestionKind.LIKERT)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="unique_question_order"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"


class SurveyQuerySet(models.QuerySet["Survey"]):
    def visible_to(self, user: User) -> SurveyQuerySet:
        """Program coordinators: every survey. District coordinators: their district's (a
        program-wide survey spans districts and stays the program coordinator's)."""
        if user.is_program_coordinator:
            return self
        if user.is_district_coordinator:
            return self.filter(Q(district_id=user.district_id))
        return self.none()

    def launched(self) -> SurveyQuerySet:
        return self.filter(launched_at__isnull=False)

    def open_on(self, day: datetime.date) -> SurveyQuerySet:
        return self.launched().filter(opens_on__lte=day, closes_on__gte=day)


class Survey(models.Model):
    template = models.ForeignKey(SurveyTemplate, on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(max_length=160, validators=[single_line])
    introduction = models.TextField(
        blank=True,
        help_text="Shown above the questions, e.g. what the survey is for and who sees the results.",
    )
    # The district whose schools are surveyed; empty for a program-wide survey (program
    # coordinators only) across districts.
    district = models.ForeignKey(
        "schools.District", on_delete=models.PROTECT, null=True, blank=True, related_name="surveys"
    )
    schools = models.ManyToManyField("schools.School", related_name="surveys")
    audiences = models.JSONField(default=list)
    opens_on = models.DateField()
    closes_on = models.DateField(help_text="Answers are accepted until the end of this day.")
    launched_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="survey_closes_after_open"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:detail", args=[self.pk])

    def status(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        if self.launched_at is None:
            return "draft"
        if today < self.opens_on:
            return "scheduled"
        return "open" if today <= self.closes_on else "closed"

    def status_label(self, today: datetime.date | None = None) -> str:
        return {"draft": "Draft", "scheduled": "Launched, not open yet", "open": "Open", "closed": "Closed"}[
            self.status(today)
        ]

    def is_open(self, today: datetime.date | None = None) -> bool:
        return self.status(today) == "open"

    def audience_labels(self) -> list[str]:
        names = dict(Audience.choices)
        return [names.get(a, a) for a in self.audiences]

    def previous(self) -> Survey | None:
        """The last launched survey from the same template, for the same district (or the whole
        program), that closed before this one opened."""
        return (
            Survey.objects.launched()
            .filter(
                Q(district_id=self.district_id), template_id=self.template_id, closes_on__lt=self.opens_on
            )
            .exclude(pk=self.pk)
            .order_by("-closes_on", "-pk")
            .first()
        )


def _new_salt() -> str:
    return secrets.token_hex(16)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """One person asked to answer, by email. The token in their link is derived from a random
    salt with the server's secret key (so reminders can repeat the same link); only its
    SHA-256 is stored, so the database alone cannot answer on anyone's behalf."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    email = models.EmailField()
    salt = models.CharField(max_length=32, default=_new_salt, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "email"], name="one_invitation_per_email"),
            models.CheckConstraint(condition=Q(reminders_sent__lte=2), name="at_most_two_reminders"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.survey})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.token_hash:
            self.token_hash = hash_token(self.token)
        super().save(*args, **kwargs)

    @property
    def token(self) -> str:
        digest = hmac.new(
            settings.SECRET_KEY.encode(), f"survey-invitation:{self.salt}".encode(), hashlib.sha256
        )
        return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")

    def get_answer_url(self) -> str:
        return reverse("surveys:answer", args=[self.token])


def _new_link_token() -> str:
    return secrets.token_urlsafe(18)


class SurveyLink(models.Model):
    """A shareable link for one school and audience: many people may answer through it (one
    per browser, by a signed cookie), so it trades the one-answer guarantee for reach."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="links")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    token = models.CharField(max_length=40, unique=True, default=_new_link_token)
    # How many answers came through the link (a count only: nothing ties an answer to it).
    answers = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["school__name", "audience"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "school", "audience"], name="one_link_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.survey}: {self.school} ({self.get_audience_display()})"

    def get_answer_url(self) -> str:
        return reverse("surveys:answer_link", args=[self.token])


class Response(models.Model):
    """One anonymous set of answers: {question id: 1-5 or text}. Deliberately no link to an
    invitation or token, no time of day, and a random id so row order reveals nothing."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    submitted_on = models.DateField()
    answers = models.JSONField(default=dict)

    class Meta:
        ordering = ["submitted_on"]
        indexes = [models.Index(fields=["survey", "school", "audience"])]

    def __str__(self) -> str:
        return f"Response to {self.survey}"


auditlog.register(SurveyTemplate)
auditlog.register(Question)
auditlog.register(Survey, m2m_fields={"schools"})
auditlog.register(Invitation, exclude_fields=["salt", "token_hash"])
auditlog.register(SurveyLink, exclude_fields=["token", "answers"])
# Registered so the audit trail covers the model, but responses are created inside
# auditlog's disable_auditlog(): an entry's timestamp and address would tie an answer to
# the moment an invitation was used.
auditlog.register(Response)
