from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.urls import reverse


class AgencyKind(models.TextChoices):
    POLICE = "police", "City police department"
    SHERIFF = "sheriff", "Sheriff's office"
    DISTRICT_ATTORNEY = "da", "District attorney's office"
    OTHER = "other", "Other"


class Agency(models.Model):
    """A partner agency that supplies officers under a written agreement (MOU)."""

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices, default=AgencyKind.POLICE)
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    mou_effective_date = models.DateField("MOU effective", null=True, blank=True)
    mou_review_date = models.DateField("MOU review", null=True, blank=True)
    cost_sharing = models.TextField("cost-sharing terms", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class OfficerStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ON_LEAVE = "on_leave", "On leave"
    INACTIVE = "inactive", "Inactive"


class Attire(models.TextChoices):
    UNIFORM = "uniform", "Traditional uniform"
    DRESSED_DOWN = "dressed_down", "Dressed down (khakis and polo)"


class OfficerQuerySet(models.QuerySet):
    def active(self) -> OfficerQuerySet:
        return self.filter(status=OfficerStatus.ACTIVE)


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
    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    badge_number = models.CharField(max_length=20)
    rank = models.CharField(max_length=40, default="Officer")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
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
        return f"{self.first_name} {self.last_name}"

    @property
    def contact_email(self) -> str:
        """Where alerts go: the officer's own address, else their login's."""
        return self.email or (self.user.email if self.user_id else "")


auditlog.register(Agency)
auditlog.register(Officer)
