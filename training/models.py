"""Training courses, the courses every officer must hold, and officers' training records.

Validity rule (tested in tests/test_expiry.py): a certificate is valid from its completion date
THROUGH its expiry date inclusive. `expires_on` is the last valid day; the certificate lapses
on the day after (`lapses_on`), which is when the "lapsed" reminder goes out.
"""

from __future__ import annotations

import datetime
import uuid
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from auditlog.registry import auditlog
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core import datacache
from core.validators import single_line

if TYPE_CHECKING:
    from accounts.models import User


class Delivery(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus `months` calendar months, clamped to the end of a shorter month
    (2024-02-29 + 12 months = 2025-02-28; Jan 31 + 1 month = Feb 28 or 29)."""
    return day + relativedelta(months=months)


class Course(models.Model):
    """A course in the catalogue: one-time, or recurring with a renewal interval."""

    name = models.CharField(max_length=150, unique=True, validators=[single_line])
    provider = models.CharField(max_length=150, validators=[single_line])
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.IN_PERSON)
    renewal_months = models.PositiveSmallIntegerField(
        "renew every (months)",
        null=True,
        blank=True,
        help_text="Empty for a one-time requirement.",
    )
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0), name="course_hours_not_negative"),
            models.CheckConstraint(
                condition=Q(renewal_months__isnull=True) | Q(renewal_months__gt=0),
                name="course_renewal_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        changed = False
        if self.pk:
            old = Course.objects.filter(pk=self.pk).values_list("renewal_months", flat=True).first()
            changed = old != self.renewal_months
        super().save(*args, **kwargs)
        if changed:
            # The expiry of every record follows the course's interval.
            records = list(self.records.only("pk", "completed_on"))
            for record in records:
                record.expires_on = self.expiry_for(record.completed_on)
            TrainingRecord.objects.bulk_update(records, ["expires_on"], batch_size=500)
            datacache.bump("training")  # bulk_update sends no signals

    @property
    def frequency_label(self) -> str:
        if not self.renewal_months:
            return "One-time"
        if self.renewal_months % 12 == 0:
            years = self.renewal_months // 12
            return "Every year" if years == 1 else f"Every {years} years"
        return f"Every {self.renewal_months} months"

    def expiry_for(self, completed_on: datetime.date) -> datetime.date | None:
        """Last day a certificate completed on `completed_on` is valid (None: never expires)."""
        if not self.renewal_months:
            return None
        return add_months(completed_on, self.renewal_months)


class Timing(models.TextChoices):
    BEFORE_START = "before_start", "Before starting at a school"
    WITHIN_DAYS = "within_days", "Within N days of starting"


class RequirementQuerySet(models.QuerySet["Requirement"]):
    def active(self) -> RequirementQuerySet:
        return self.filter(course__is_active=True).select_related("course").order_by("course__name")


class Requirement(models.Model):
    """A course every active officer must hold."""

    course = models.OneToOneField(Course, on_delete=models.PROTECT, related_name="requirement")
    timing = models.CharField(max_length=20, choices=Timing.choices, default=Timing.BEFORE_START)
    within_days = models.PositiveSmallIntegerField(
        "days allowed after starting",
        null=True,
        blank=True,
        help_text="Only for 'within N days of starting'.",
    )
    notes = models.CharField(max_length=255, blank=True)

    objects = RequirementQuerySet.as_manager()

    class Meta:
        ordering = ["course__name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(timing="before_start") & Q(within_days__isnull=True))
                | (Q(timing="within_days") & Q(within_days__gt=0)),
                name="requirement_days_match_timing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.timing_label})"

    @property
    def timing_label(self) -> str:
        if self.timing == Timing.WITHIN_DAYS:
            return f"Within {self.within_days} days of starting"
        return "Before starting"

    def clean(self) -> None:
        if self.timing == Timing.WITHIN_DAYS and not self.within_days:
            raise ValidationError({"within_days": "Say how many days an officer has after starting."})
        if self.timing == Timing.BEFORE_START:
            self.within_days = None

    def due_on(self, started_on: datetime.date | None) -> datetime.date | None:
        """The date by which an officer who started on `started_on` must hold the course."""
        if self.timing != Timing.WITHIN_DAYS or started_on is None or self.within_days is None:
            return None
        return started_on + datetime.timedelta(days=self.within_days)


class RecordStatus(models.TextChoices):
    PENDING = "pending", "Pending verification"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"


class TrainingRecordQuerySet(models.QuerySet["TrainingRecord"]):
    def visible_to(self, user: User) -> TrainingRecordQuerySet:
        """Program coordinators see every record, district coordinators those of the officers
        they see (`Officer.objects.visible_to`); an officer sees their own; nobody else any."""
        if user.is_program_coordinator:
            return self
        if user.is_district_coordinator:
            from officers.models import Officer

            return self.filter(officer__in=Officer.objects.visible_to(user).values("pk"))
        officer = user.officer_record if user.is_officer else None
        if officer is None:
            return self.none()
        return self.filter(officer=officer)

    def verified(self) -> TrainingRecordQuerySet:
        return self.filter(status=RecordStatus.VERIFIED)

    def expiring(self, *, within: datetime.timedelta, today: datetime.date) -> TrainingRecordQuerySet:
        return self.verified().filter(expires_on__gte=today, expires_on__lte=today + within)


def certificate_path(instance: TrainingRecord, filename: str) -> str:
    # A random name: nothing about the officer or the original file name leaks into the path.
    suffix = PurePath(filename).suffix.lower()[:6]
    return f"certificates/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def dates_valid_on(completed_on: datetime.date, expires_on: datetime.date | None, day: datetime.date) -> bool:
    """A certificate counts from the day it was completed through its expiry date."""
    return completed_on <= day and (expires_on is None or day <= expires_on)


class TrainingRecord(models.Model):
    """A course an officer completed. Submitted by the officer, counted only once a
    coordinator has verified it."""

    officer = models.ForeignKey("officers.Officer", on_delete=models.PROTECT, related_name="training_records")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField("completion date")
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    provider = models.CharField(max_length=150, validators=[single_line])
    certificate = models.FileField(upload_to=certificate_path, blank=True, max_length=200)
    certificate_type = models.CharField(max_length=40, blank=True)
    expires_on = models.DateField("valid through", null=True, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=RecordStatus.choices, default=RecordStatus.PENDING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "course", "completed_on"],
                name="one_record_per_course_and_day",
                violation_error_message="There is already a record of this course completed on that day.",
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="record_hours_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="verified")
                | (Q(verified_by__isnull=False) & Q(verified_at__isnull=False)),
                name="verified_record_names_verifier",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="rejected_record_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("completed_on")),
                name="record_expires_after_completion",
            ),
        ]
        indexes = [models.Index(fields=["officer", "course", "status"])]

    def __str__(self) -> str:
        return f"{self.course} — {self.officer} ({self.completed_on:%Y-%m-%d})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.expires_on = self.course.expiry_for(self.completed_on)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "completed_on" in update_fields:
            kwargs["update_fields"] = {*update_fields, "expires_on"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("training:record_detail", args=[self.pk])

    def clean(self) -> None:
        if self.course_id and self.completed_on:
            self.expires_on = self.course.expiry_for(self.completed_on)

    # --- validity -------------------------------------------------------------------------

    @property
    def lapses_on(self) -> datetime.date | None:
        """The first day the certificate is no longer valid."""
        return self.expires_on + datetime.timedelta(days=1) if self.expires_on else None

    def is_valid_on(self, day: datetime.date) -> bool:
        """Verified, and valid on `day` by its dates."""
        return self.status == RecordStatus.VERIFIED and dates_valid_on(
            self.completed_on, self.expires_on, day
        )

    # --- verification ---------------------------------------------------------------------

    @property
    def is_pending(self) -> bool:
        return self.status == RecordStatus.PENDING

    def check_verifier(self, user: User) -> None:
        if not user.is_coordinator:
            raise PermissionDenied("Only a coordinator verifies training records.")
        if self.officer.user_id is not None and self.officer.user_id == user.pk:
            raise PermissionDenied("Nobody verifies their own training record.")

    def verify(self, *, by: User) -> None:
        self.check_verifier(by)
        if self.status != RecordStatus.PENDING:
            raise ValidationError("Only a record pending verification can be verified.")
        self.status = RecordStatus.VERIFIED
        self.verified_by = by
        self.verified_at = timezone.now()
        self.rejection_reason = ""
        self.save()

    def reject(self, *, by: User, reason: str) -> None:
        self.check_verifier(by)
        reason = reason.strip()
        if not reason:
            raise ValidationError("Say why the record is rejected.")
        if self.status != RecordStatus.PENDING:
            raise ValidationError("Only a record pending verification can be rejected.")
        self.status = RecordStatus.REJECTED
        self.rejection_reason = reason
        self.verified_by = None
        self.verified_at = None
        self.save()

    def return_to_pending(self) -> None:
        """After the officer changes the record it must be checked again."""
        self.status = RecordStatus.PENDING
        self.verified_by = None
        self.verified_at = None
        self.rejection_reason = ""


auditlog.register(Course)
auditlog.register(Requirement)
auditlog.register(TrainingRecord)
