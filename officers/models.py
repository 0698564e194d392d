from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.validators import single_line

if TYPE_CHECKING:
    from accounts.models import User
    from schools.models import District, School  # types only: schools depends on officers

# A note can be edited freely for this long after it was filed; then only amended with a reason.
NOTE_EDIT_WINDOW = datetime.timedelta(days=7)


class AgencyKind(models.TextChoices):
    POLICE = "police", "City police department"
    SHERIFF = "sheriff", "Sheriff's office"
    DISTRICT_ATTORNEY = "da", "District attorney's office"
    OTHER = "other", "Other"


class AgencyQuerySet(models.QuerySet["Agency"]):
    def visible_to(self, user: User) -> AgencyQuerySet:
        """Program coordinators: every agency. District coordinators: the agencies serving their
        district (an agreement with it). Nobody else manages agencies."""
        if user.is_program_coordinator:
            return self
        if user.is_district_coordinator:
            return self.filter(
                pk__in=Agreement.objects.filter(Q(district_id=user.district_id)).values("agency_id")
            )
        return self.none()


class Agency(models.Model):
    """A partner agency that supplies officers to one or more districts, each under its own
    written agreement (MOU, `Agreement`)."""

    name = models.CharField(max_length=120, unique=True, validators=[single_line])
    kind = models.CharField(max_length=20, choices=AgencyKind.choices, default=AgencyKind.POLICE)
    contact_name = models.CharField(max_length=120, blank=True, validators=[single_line])
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True, validators=[single_line])
    districts: models.ManyToManyField[District, Agreement] = models.ManyToManyField(
        "schools.District", through="Agreement", related_name="agencies", blank=True
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("officers:agency_detail", args=[self.pk])


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def visible_to(self, user: User) -> AgreementQuerySet:
        if user.is_program_coordinator:
            return self
        if user.is_district_coordinator:
            return self.filter(Q(district_id=user.district_id))
        return self.none()

    def review_due(self, today: datetime.date, *, within: int) -> AgreementQuerySet:
        """Agreements whose review date falls from `today` to `within` days ahead (the MOU
        review reminder's selection), with their agency and district."""
        return self.filter(
            review_on__gte=today, review_on__lte=today + datetime.timedelta(days=within)
        ).select_related("agency", "district")


class Agreement(models.Model):
    """The MOU between an agency and one district: dates, cost terms and the signed document.
    An agency serves a district when they have an agreement."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="agreements")
    district = models.ForeignKey("schools.District", on_delete=models.PROTECT, related_name="agreements")
    effective_on = models.DateField("MOU effective", null=True, blank=True)
    review_on = models.DateField("MOU review", null=True, blank=True)
    # Cost terms: a pilot at no cost to the district until `pilot_ends_on`, then the district
    # pays `district_share_percent` of the cost; anything else in words.
    pilot_ends_on = models.DateField("no-cost pilot until", null=True, blank=True)
    district_share_percent = models.DecimalField(
        "district share after the pilot (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    cost_terms = models.TextField("cost-sharing terms", blank=True)
    # Stored under MEDIA_ROOT (outside the web root); served only by a coordinator-only view.
    document = models.FileField("MOU document (PDF)", upload_to="mou/", blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name", "district__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "district"], name="one_agreement_per_agency_and_district"
            ),
            models.CheckConstraint(
                condition=Q(review_on__isnull=True)
                | Q(effective_on__isnull=True)
                | Q(review_on__gte=models.F("effective_on")),
                name="agreement_review_after_effective",
            ),
            models.CheckConstraint(
                condition=Q(district_share_percent__isnull=True)
                | (Q(district_share_percent__gte=0) & Q(district_share_percent__lte=100)),
                name="agreement_share_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} – {self.district} MOU"

    def get_absolute_url(self) -> str:
        return reverse("officers:agency_detail", args=[self.agency_id])

    def days_until_review(self, today: datetime.date) -> int | None:
        return (self.review_on - today).days if self.review_on else None

    def in_pilot_on(self, day: datetime.date) -> bool:
        return self.pilot_ends_on is not None and day <= self.pilot_ends_on


class OfficerStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ON_LEAVE = "on_leave", "On leave"
    INACTIVE = "inactive", "Inactive"


class Attire(models.TextChoices):
    UNIFORM = "uniform", "Traditional uniform"
    DRESSED_DOWN = "dressed_down", "Dressed down (khakis and polo)"


class OfficerQuerySet(models.QuerySet["Officer"]):
    def visible_to(self, user: User) -> OfficerQuerySet:
        """Program coordinators: every officer. District coordinators: officers of the agencies
        serving their district and officers ever assigned to its schools. Officers: themselves
        and the officers they supervise. Administrators: none."""
        if user.is_program_coordinator:
            return self
        if user.is_district_coordinator:
            return self.serving(user.district_id)
        me = user.officer_record if user.is_officer else None
        if me is None:
            return self.none()
        return self.filter(Q(pk=me.pk) | Q(supervisor=me))

    def serving(self, district: District | int | None) -> OfficerQuerySet:
        """Officers of a district (a District or its id; None: no narrowing): those of the
        agencies with an agreement with it, and those ever assigned to its schools."""
        if district is None:
            return self
        from schools.models import Assignment

        agencies = Agreement.objects.filter(district=district).values("agency_id")
        assigned = Assignment.objects.filter(school__district=district).values("officer_id")
        return self.filter(Q(agency_id__in=agencies) | Q(pk__in=assigned))

    def active(self) -> OfficerQuerySet:
        return self.filter(status=OfficerStatus.ACTIVE)

    def for_choices(self) -> OfficerQuerySet:
        """Only the columns of an officer's label (__str__), for a filter bar's choice list."""
        return self.only("pk", "rank", "first_name", "last_name")

    def search(self, text: str) -> OfficerQuerySet:
        for word in text.split():
            self = self.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(badge_number__icontains=word)
            )
        return self


class Officer(models.Model):
    """An SRO. Never deleted once records point at it: set status to inactive instead."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="officer",
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="officers")
    first_name = models.CharField(max_length=60, validators=[single_line])
    last_name = models.CharField(max_length=60, validators=[single_line])
    badge_number = models.CharField(max_length=20, validators=[single_line])
    rank = models.CharField(max_length=40, default="Officer", validators=[single_line])
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True, validators=[single_line])
    status = models.CharField(max_length=10, choices=OfficerStatus.choices, default=OfficerStatus.ACTIVE)
    sro_start_date = models.DateField("SRO since", null=True, blank=True)
    attire = models.CharField(max_length=20, choices=Attire.choices, default=Attire.UNIFORM)
    supervisor = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supervisees"
    )

    objects = OfficerQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "badge_number"], name="unique_badge_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.rank} {self.first_name} {self.last_name}"

    def get_absolute_url(self) -> str:
        return reverse("officers:detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return Officer.name_of(self.first_name, self.last_name)

    @staticmethod
    def name_of(first_name: str, last_name: str) -> str:
        """An officer's name as pages show it (`full_name`), from the two columns: for reads
        that take the names as values rather than officers."""
        return f"{first_name} {last_name}"

    @property
    def contact_email(self) -> str:
        """Where alerts go: the officer's own address, else their login's."""
        return self.email or (self.user.email if self.user is not None else "")

    @property
    def is_active(self) -> bool:
        return self.status == OfficerStatus.ACTIVE

    def deactivate(self) -> None:
        """Officers are never deleted once records point at them; they become inactive."""
        self.status = OfficerStatus.INACTIVE
        self.save(update_fields=["status"])

    def primary_school_on(self, day: datetime.date) -> School | None:
        assignment = (
            self.assignments.active_on(day).primary().select_related("school").order_by("-start_date").first()
        )
        return assignment.school if assignment else None


class DutyCategory(models.TextChoices):
    PATROL = "patrol", "Patrol / high-visibility presence"
    EMERGENCY = "emergency", "Emergency response"
    INVESTIGATION = "investigation", "Investigation"
    ASSIST = "assist", "Assist to patrol, detectives or another agency"
    THREAT = "threat", "Threat response and mitigation"
    PREPAREDNESS = "preparedness", "Emergency preparedness and drills"
    CONSULT = "consult", "Consult with administrators or counselors"
    MEDIATION = "mediation", "Mediation and anti-bullying"
    LIAISON = "liaison", "Liaison and hearings (probation, youth-at-risk, truancy board)"
    REFERRAL = "referral", "Referral to community resources"
    TEACHING = "teaching", "Classroom teaching"
    EXTRACURRICULAR = "extracurricular", "Extracurricular and youth programs"
    TRAINING = "training", "Training received"
    ADMINISTRATIVE = "administrative", "Administrative"


class ActivityNoteQuerySet(models.QuerySet["ActivityNote"]):
    def visible_to(self, user: User) -> ActivityNoteQuerySet:
        """Program coordinators: all; district coordinators: their district's schools' notes.
        Officers: their own and their supervisees'. School
        administrators: their schools' notes (the narrative is never shown to them)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_program_coordinator:
            return self.all()
        # IN (subquery) rather than joins with OR, so the (school, date) and (officer, date)
        # indexes serve the lists even with a million notes.
        if user.is_district_coordinator:
            return self.filter(school_id__in=user.schools_in_scope().values("pk"))
        if user.is_school_admin:
            return self.filter(school_id__in=user.administered_schools.values("pk"))
        officer = user.officer_record
        if user.is_officer and officer is not None:
            team = Officer.objects.filter(Q(pk=officer.pk) | Q(supervisor=officer)).values("pk")
            return self.filter(officer_id__in=team)
        return self.none()

    def follow_ups_due(self) -> ActivityNoteQuerySet:
        return self.filter(follow_up=True, follow_up_done_at__isnull=True)


class ActivityNote(models.Model):
    """What an officer did at a school on a day. No student names: the form says so."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="notes")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="activity_notes")
    date = models.DateField()
    category = models.CharField("duty category", max_length=20, choices=DutyCategory.choices)
    topic = models.CharField(
        max_length=120, blank=True, help_text="For classroom teaching: the topic taught."
    )
    minutes = models.PositiveSmallIntegerField("minutes spent")
    narrative = models.TextField(blank=True, help_text="A short summary. Do not write students' names.")
    students_contacted = models.PositiveSmallIntegerField("students contacted", default=0)
    follow_up = models.BooleanField("needs follow-up", default=False)
    follow_up_date = models.DateField("follow up by", null=True, blank=True)
    follow_up_done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    amended_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ActivityNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [
            models.Index(fields=["officer", "date"], name="note_officer_date"),
            models.Index(fields=["school", "date"], name="note_school_date"),
            # The coordinator's list: newest first over every note.
            models.Index(fields=["-date", "-created_at"], name="note_newest_first"),
            # The dashboard's and monthly report's hours by duty: each category's minutes over a
            # period summed from its own range of this index alone (time_by_category), the
            # school riding along for a district's. PostgreSQL only: elsewhere a plain index.
            models.Index(
                fields=["category", "date"], include=["minutes", "school"], name="note_category_date"
            ),
            # Open follow-ups are few among many notes: a partial index finds them directly.
            models.Index(
                fields=["officer", "follow_up_date"],
                name="note_open_follow_ups",
                condition=Q(follow_up=True, follow_up_done_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=24 * 60), name="note_minutes_within_a_day"
            ),
            models.CheckConstraint(
                condition=Q(follow_up=True) | Q(follow_up_date__isnull=True),
                name="note_follow_up_date_needs_flag",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_category_display()} ({self.minutes} min)"

    def get_absolute_url(self) -> str:
        return reverse("officers:note_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.date and self.date > timezone.localdate():
            errors["date"] = "The date cannot be in the future."
        if self.category == DutyCategory.TEACHING and not self.topic:
            errors["topic"] = "Say what topic you taught."
        if self.follow_up and not self.follow_up_date:
            errors["follow_up_date"] = "Give a follow-up date, or untick “needs follow-up”."
        if not self.follow_up and self.follow_up_date:
            errors["follow_up"] = "Tick “needs follow-up” or clear the follow-up date."
        if errors:
            raise ValidationError(errors)

    def is_locked(self, now: datetime.datetime | None = None) -> bool:
        """Seven days after it was filed a note is locked: changes need a reason (an amendment)."""
        return (now or timezone.now()) - self.created_at > NOTE_EDIT_WINDOW

    def is_owned_by(self, user: User) -> bool:
        return self.officer.user_id is not None and self.officer.user_id == user.pk

    def narrative_visible_to(self, user: User) -> bool:
        return not user.is_school_admin

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)

    def mark_follow_up_done(self) -> None:
        if self.follow_up_done_at is None:
            self.follow_up_done_at = timezone.now()
            self.save(update_fields=["follow_up_done_at", "updated_at"])


class NoteAmendment(models.Model):
    """A change to a locked note: who, when, why, and what changed (old and new values)."""

    note = models.ForeignKey(ActivityNote, on_delete=models.PROTECT, related_name="amendments")
    amended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amended_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-amended_at"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="amendment_has_reason")]

    def __str__(self) -> str:
        return f"Amendment of {self.note_id} on {self.amended_at:%Y-%m-%d}"


auditlog.register(Agency)
auditlog.register(Agreement)
auditlog.register(Officer)
auditlog.register(ActivityNote)
auditlog.register(NoteAmendment)
