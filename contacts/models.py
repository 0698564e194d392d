"""Police contacts with students, and the program changes an evaluation compares against.

A contact is one SRO action towards one student (questioning, a search, a citation, an
arrest, a use of force, a referral). Referrals to law enforcement and arrests are recorded on
an incident's person (`incidents.IncidentPerson`, what the CRDC counts): the contact of that
kind *is* that record, `person` points at it and `contacts.services.sync_person_contacts` is
its only writer, so the CRDC figures and the contact figures cannot disagree."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.validators import single_line

if TYPE_CHECKING:
    from accounts.models import User


class ContactKind(models.TextChoices):
    QUESTIONING = "questioning", "Questioning or interview"
    SEARCH = "search", "Search of a person or property"
    CITATION = "citation", "Citation, ticket or summons"
    ARREST_SCHOOL_RELATED = "arrest_school", "Arrest (school-related)"
    ARREST_OTHER = "arrest_other", "Arrest (not school-related)"
    USE_OF_FORCE = "use_of_force", "Use of force"
    REFERRAL_JUVENILE = "referral_juvenile", "Referral to juvenile diversion, probation or court"
    REFERRAL_LAW_ENFORCEMENT = "referral_le", "Referral to law enforcement"
    OTHER = "other", "Other"


# Recorded on an incident's person (what the CRDC reads); the contact row mirrors it.
PERSON_KINDS = [
    ContactKind.REFERRAL_LAW_ENFORCEMENT,
    ContactKind.ARREST_SCHOOL_RELATED,
    ContactKind.ARREST_OTHER,
]
ARREST_KINDS = [ContactKind.ARREST_SCHOOL_RELATED, ContactKind.ARREST_OTHER]
# Issue 17, after Maryland's SRO reporting (use of force; parents told of an arrest at once): a
# contact of these kinds without a recorded parent or guardian notification is flagged.
PARENT_NOTICE_KINDS = [*ARREST_KINDS, ContactKind.USE_OF_FORCE]


class Initiator(models.TextChoices):
    SCHOOL_REQUEST = "school", "A school official's request"
    OFFICER = "officer", "The officer"
    CALL_FOR_SERVICE = "call", "A call for service"


class ForceType(models.TextChoices):
    RESTRAINT = "restraint", "Physical restraint or hold"
    HANDCUFFS = "handcuffs", "Handcuffs or other mechanical restraint"
    TAKEDOWN = "takedown", "Takedown"
    CHEMICAL = "chemical", "Chemical spray"
    ELECTRONIC = "electronic", "Conducted energy device"
    FIREARM = "firearm", "Firearm pointed or displayed"
    OTHER = "other", "Other"


class PoliceContactQuerySet(models.QuerySet["PoliceContact"]):
    def visible_to(self, user: User) -> PoliceContactQuerySet:
        """Program coordinators: all. District coordinators: their district's schools.
        Administrators and officers: the schools in their scope (officers see local IDs only)."""
        if user.is_program_coordinator:
            return self
        if user.is_coordinator or user.is_school_admin or user.is_officer:
            return self.filter(school__in=user.schools_in_scope().values("pk"))
        return self.none()

    def needing_parent_notice(self) -> PoliceContactQuerySet:
        """Arrests and uses of force with no recorded parent or guardian notification."""
        return self.filter(kind__in=PARENT_NOTICE_KINDS, parent_notified=False)

    def between(self, start: datetime.datetime, end: datetime.datetime) -> PoliceContactQuerySet:
        return self.filter(occurred_at__gte=start, occurred_at__lt=end)


class PoliceContact(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="police_contacts")
    student = models.ForeignKey(
        "students.Student", on_delete=models.PROTECT, null=True, blank=True, related_name="police_contacts"
    )
    unidentified_reason = models.CharField(
        "why the student is not identified", max_length=200, blank=True, validators=[single_line]
    )
    # The incident's person this contact is (referrals to law enforcement and arrests only).
    person = models.OneToOneField(
        "incidents.IncidentPerson",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="police_contact",
        editable=False,
    )
    incident = models.ForeignKey(
        "incidents.Incident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="police_contacts",
        help_text="The incident this contact belongs to, if any.",
    )
    officer = models.ForeignKey(
        "officers.Officer", on_delete=models.PROTECT, null=True, blank=True, related_name="police_contacts"
    )
    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    force_type = models.CharField("type of force", max_length=12, choices=ForceType.choices, blank=True)
    initiated_by = models.CharField(max_length=10, choices=Initiator.choices, blank=True)
    basis = models.CharField("basis", max_length=300, blank=True, help_text="In a few words: why.")
    occurred_at = models.DateTimeField("when")
    parent_notified = models.BooleanField("parent or guardian notified", default=False)
    parent_notified_at = models.DateTimeField("notified at", null=True, blank=True)
    outcome = models.TextField(blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PoliceContactQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["school", "occurred_at"], name="contact_school_when"),
            models.Index(fields=["kind", "parent_notified"], name="contact_kind_notice"),
            # A coordinator's list, newest first, reads its page from here instead of sorting
            # every contact of the district joined to its student, school and officer.
            models.Index(fields=["-occurred_at", "-id"], name="contact_when"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(student__isnull=False) | ~Q(unidentified_reason=""),
                name="contact_student_or_reason",
            ),
            models.CheckConstraint(
                condition=Q(kind=ContactKind.USE_OF_FORCE, force_type__gt="")
                | (~Q(kind=ContactKind.USE_OF_FORCE) & Q(force_type="")),
                name="contact_force_type_with_use_of_force",
            ),
            models.CheckConstraint(
                condition=Q(parent_notified=True) | Q(parent_notified_at__isnull=True),
                name="contact_notified_at_only_if_notified",
            ),
            # One record, not two: a referral or an arrest is an incident's person.
            models.CheckConstraint(
                condition=Q(kind__in=PERSON_KINDS, person__isnull=False)
                | (~Q(kind__in=PERSON_KINDS) & Q(person__isnull=True)),
                name="contact_referral_arrest_is_a_person",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} at {self.school} on {timezone.localtime(self.occurred_at):%Y-%m-%d}"
        )

    def get_absolute_url(self) -> str:
        return reverse("contacts:detail", args=[self.pk])

    @property
    def needs_parent_notice(self) -> bool:
        return self.kind in PARENT_NOTICE_KINDS and not self.parent_notified

    @property
    def from_incident_person(self) -> bool:
        return self.kind in PERSON_KINDS

    @property
    def student_identifier(self) -> str:
        """What anyone is shown of the student here: the local ID, never a name."""
        if self.student is not None:
            return self.student.local_id
        return "unidentified"


class ChangeKind(models.TextChoices):
    PILOT = "pilot", "Pilot starts"
    EXPANSION = "expansion", "Expansion to a school"
    OFFICER_ADDED = "officer_added", "Officer added"
    OFFICER_WITHDRAWN = "officer_withdrawn", "Officer withdrawn"


class ProgramChangeQuerySet(models.QuerySet["ProgramChange"]):
    def visible_to(self, user: User) -> ProgramChangeQuerySet:
        """Program coordinators: all; district coordinators: their district's."""
        if user.is_program_coordinator:
            return self
        if user.is_district_coordinator:
            return self.filter(district_id=user.district_id or 0)
        return self.none()


class ProgramChange(models.Model):
    """A change in the program the evaluation compares before and after (difference in
    differences against the district's other schools)."""

    district = models.ForeignKey("schools.District", on_delete=models.PROTECT, related_name="program_changes")
    kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    effective_on = models.DateField("date")
    schools = models.ManyToManyField("schools.School", related_name="program_changes")
    description = models.CharField(max_length=300, blank=True, validators=[single_line])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProgramChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.effective_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("contacts:evaluation", args=[self.pk])


auditlog.register(PoliceContact)
auditlog.register(ProgramChange, m2m_fields={"schools"})
