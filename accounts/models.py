from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, ClassVar

from auditlog.registry import auditlog
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone

from core.validators import single_line

if TYPE_CHECKING:
    from officers.models import Officer
    from schools.models import School


class Role(models.TextChoices):
    # The value stays "coordinator": everyone who coordinated the single-district program
    # became the program coordinator when districts arrived.
    COORDINATOR = "coordinator", "Program coordinator"
    DISTRICT_COORDINATOR = "district_coordinator", "District coordinator"
    SCHOOL_ADMIN = "school_admin", "School administrator"
    OFFICER = "officer", "Officer"


class UserQuerySet(models.QuerySet["User"]):
    def active_coordinators(self) -> UserQuerySet:
        """The coordinators of the whole program (program coordinators and superusers) who can
        sign in. District coordinators are not among them: code telling coordinators about a
        school, an incident or an agreement asks `coordinators_for(school)` or
        `coordinators_for_district(id)`, which adds that district's own."""
        return self.filter(models.Q(role=Role.COORDINATOR) | models.Q(is_superuser=True), is_active=True)

    def coordinators_for_district(self, district_id: int | None) -> UserQuerySet:
        """Who coordinates a district: the program coordinators (and superusers) and that
        district's own coordinators, active ones. One query."""
        return self.filter(
            models.Q(role=Role.COORDINATOR)
            | models.Q(is_superuser=True)
            | models.Q(role=Role.DISTRICT_COORDINATOR, district_id=district_id),
            is_active=True,
        )

    def coordinators_for(self, school: School) -> UserQuerySet:
        """Who is told about a school's alerts and reminders: the program coordinators and the
        district coordinators of the school's district. One query."""
        return self.coordinators_for_district(school.district_id)


class UserManagerWithRoles(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person who signs in. What they may see follows from `role` and, for
    administrators and officers, from the schools they are tied to."""

    # Names go into email headers ("To: First Last <...>"): one line only.
    first_name = models.CharField("first name", max_length=150, blank=True, validators=[single_line])
    last_name = models.CharField("last name", max_length=150, blank=True, validators=[single_line])
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SCHOOL_ADMIN)
    phone = models.CharField(max_length=30, blank=True)
    # A district coordinator's district (empty for every other role).
    district = models.ForeignKey(
        "schools.District", on_delete=models.PROTECT, null=True, blank=True, related_name="coordinators"
    )

    objects: ClassVar[UserManagerWithRoles] = UserManagerWithRoles()

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="district_coordinator") | models.Q(district__isnull=False),
                name="district_coordinator_has_a_district",
            ),
        ]

    def __str__(self) -> str:
        return self.name_of(self.first_name, self.last_name, self.username)

    @staticmethod
    def name_of(first_name: str, last_name: str, username: str) -> str:
        """A user's name as pages show it (`str(user)`: Django's full name, else the username),
        from the three columns: for reads that take them as values rather than users."""
        return f"{first_name} {last_name}".strip() or username

    @property
    def is_coordinator(self) -> bool:
        """Program and district coordinators (and superusers): they run the program, each
        within `schools_in_scope`."""
        return self.is_superuser or self.role in (Role.COORDINATOR, Role.DISTRICT_COORDINATOR)

    @property
    def is_program_coordinator(self) -> bool:
        """Coordinators of every district (and superusers)."""
        return self.is_superuser or self.role == Role.COORDINATOR

    @property
    def is_district_coordinator(self) -> bool:
        return self.role == Role.DISTRICT_COORDINATOR and not self.is_superuser

    @property
    def is_school_admin(self) -> bool:
        return self.role == Role.SCHOOL_ADMIN and not self.is_superuser

    @property
    def is_officer(self) -> bool:
        return self.role == Role.OFFICER and not self.is_superuser

    def has_role(self, *roles: str) -> bool:
        """Coordinators (and superusers) pass every role check."""
        return self.is_coordinator or self.role in roles

    @property
    def officer_record(self) -> Officer | None:
        """The Officer this login belongs to, or None."""
        try:
            return self.officer
        except models.ObjectDoesNotExist:
            return None

    def schools_in_scope(self, on: datetime.date | None = None) -> models.QuerySet[School]:
        """Schools this user may see: all for program coordinators, their district's for
        district coordinators, their own for administrators, the schools of an active
        officer's current assignments on `on` (default today), whatever their districts."""
        from schools.models import School

        if self.is_program_coordinator:
            return School.objects.all()
        if self.is_district_coordinator:
            return School.objects.filter(models.Q(district_id=self.district_id))
        if self.is_school_admin:
            return School.objects.filter(administrators=self)
        officer = self.officer_record
        if self.is_officer and self.is_active and officer is not None and officer.is_active:
            day = on or timezone.localdate()
            return School.objects.filter(pk__in=officer.assignments.current_on(day).values("school_id"))
        return School.objects.none()


auditlog.register(User, exclude_fields=["password", "last_login"])
