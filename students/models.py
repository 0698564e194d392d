"""Students as the district's student information system (SIS) knows them, imported from
OneRoster CSV (`students.oneroster`). A student is a record of one district: its sourcedId and
local ID are unique there. IDEA, Section 504 and English-learner status carry effective dates,
so a report reads the status a student had on an incident's date, never one typed per incident.

Names are education records (FERPA): shown to the student's school administrators and to
coordinators only (`can_see_student_names`); officers work with the local ID."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone

from core.validators import single_line

if TYPE_CHECKING:
    from accounts.models import User
    from schools.models import School


class Grade(models.TextChoices):
    PRE_K = "PK", "Pre-K"
    K = "K", "Kindergarten"
    G1 = "1", "Grade 1"
    G2 = "2", "Grade 2"
    G3 = "3", "Grade 3"
    G4 = "4", "Grade 4"
    G5 = "5", "Grade 5"
    G6 = "6", "Grade 6"
    G7 = "7", "Grade 7"
    G8 = "8", "Grade 8"
    G9 = "9", "Grade 9"
    G10 = "10", "Grade 10"
    G11 = "11", "Grade 11"
    G12 = "12", "Grade 12"
    UNGRADED = "UG", "Ungraded (K-12 equivalent)"
    ADULT = "AE", "Adult education"


K12_GRADES = ["K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]
# CRDC: counts are "for all students in grades K-12 (or the ungraded equivalent)"; pre-K and
# adult education are outside them.
CRDC_GRADES = [*K12_GRADES, "UG"]


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    NONBINARY = "X", "Nonbinary"


class RaceEthnicity(models.TextChoices):
    """The seven federal race/ethnicity categories (the ED 2007 roll-up: Hispanic or Latino
    first, whatever the races; then one race, or two or more)."""

    HISPANIC = "hispanic", "Hispanic or Latino of any race"
    AMERICAN_INDIAN = "american_indian", "American Indian or Alaska Native"
    ASIAN = "asian", "Asian"
    BLACK = "black", "Black or African American"
    PACIFIC_ISLANDER = "pacific_islander", "Native Hawaiian or Other Pacific Islander"
    WHITE = "white", "White"
    TWO_OR_MORE = "two_or_more", "Two or more races"


def race_roll_up(*, hispanic: bool | None, races: list[str]) -> str:
    """The federal seven-category value from the two-question answers (ED's 2007 guidance:
    "Hispanic/Latino of any race" first; otherwise the one race reported, or "Two or more
    races"). "" when nothing was reported."""
    if hispanic:
        return RaceEthnicity.HISPANIC
    if len(races) == 1:
        return races[0]
    if len(races) > 1:
        return RaceEthnicity.TWO_OR_MORE
    return ""


def school_year_of(day: datetime.date) -> int:
    """The calendar year a school year (1 July – 30 June) starts in."""
    return day.year if day.month >= 7 else day.year - 1


def in_force(day: datetime.date, start: str, end: str) -> Q:
    """A period (either end open: empty) that includes `day`."""
    return (Q(**{f"{start}__lte": day}) | Q(**{f"{start}__isnull": True})) & (
        Q(**{f"{end}__gte": day}) | Q(**{f"{end}__isnull": True})
    )


class Program(models.TextChoices):
    IDEA = "idea", "Disability (IDEA)"
    SECTION_504 = "504", "Section 504"
    ENGLISH_LEARNER = "el", "English learner"


class StudentQuerySet(models.QuerySet["Student"]):
    def visible_to(self, user: User) -> StudentQuerySet:
        """Program coordinators: every student. District coordinators: their district's.
        School administrators: students enrolled (now or before) at their schools. Officers:
        students of the schools they serve (by local ID only; see `can_see_student_names`)."""
        if user.is_program_coordinator:
            return self
        if user.is_district_coordinator:
            return self.filter(district__in=user.schools_in_scope().values("district_id"))
        if user.is_school_admin or user.is_officer:
            return self.filter(enrollments__school__in=user.schools_in_scope().values("pk")).distinct()
        return self.none()

    def enrolled_at(self, school: School | int, on: datetime.date | None = None) -> StudentQuerySet:
        """Students enrolled at a school on a day (today by default)."""
        return self.filter(pk__in=Enrollment.objects.at(school, on).values("student_id"))

    def active(self) -> StudentQuerySet:
        return self.filter(active=True)

    def search(self, text: str) -> StudentQuerySet:
        """By local ID (exact, or its start) or by name words."""
        text = text.strip()
        if not text:
            return self.none()
        query = Q(local_id__istartswith=text) | Q(state_id=text)
        words = text.split()
        name = Q()
        for word in words:
            name &= Q(first_name__istartswith=word) | Q(last_name__istartswith=word)
        return self.filter(query | name)


class Student(models.Model):
    district = models.ForeignKey("schools.District", on_delete=models.PROTECT, related_name="students")
    # OneRoster `sourcedId`: the SIS's own key, which a re-import matches on.
    sourced_id = models.CharField("SIS sourcedId", max_length=255)
    # OneRoster `identifier`: the district's local student ID, the one people use.
    local_id = models.CharField("local student ID", max_length=40)
    state_id = models.CharField("state student ID", max_length=40, blank=True)
    first_name = models.CharField(max_length=100, validators=[single_line])
    middle_name = models.CharField(max_length=100, blank=True, validators=[single_line])
    last_name = models.CharField(max_length=100, validators=[single_line])
    date_of_birth = models.DateField(null=True, blank=True)
    grade = models.CharField("current grade", max_length=2, choices=Grade.choices, blank=True)
    # The grade in each school year the SIS told us ({"2026": "10"}), so an incident of a past
    # year reads the grade the student was in then.
    grades = models.JSONField(default=dict, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    race_ethnicity = models.CharField(
        "race / ethnicity", max_length=20, choices=RaceEthnicity.choices, blank=True
    )
    # Left out of the latest full import: kept (records depend on them), never deleted.
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StudentQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "local_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "sourced_id"], name="student_sourced_id_per_district"
            ),
            models.UniqueConstraint(fields=["district", "local_id"], name="student_local_id_per_district"),
        ]
        indexes = [
            models.Index(fields=["district", "last_name", "first_name"], name="student_name"),
            # A local ID typed on an incident is matched case-insensitively (local_id__iexact,
            # UPPER on both sides): without this, each person of the unlinked list scanned
            # their district's students (minutes on the large district; README, Benchmark).
            models.Index(F("district"), Upper("local_id"), name="student_local_id_upper"),
        ]

    def __str__(self) -> str:
        return f"Student {self.local_id}"

    def get_absolute_url(self) -> str:
        return reverse("students:detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def label(self, *, names: bool) -> str:
        """How the student is shown (and typed back into a search): "Name (ID)" to those who
        may see names (`can_see_student_names`), "Student ID" to anyone else."""
        return f"{self.full_name} ({self.local_id})" if names else f"Student {self.local_id}"

    def label_for(self, user: User) -> str:
        return self.label(names=can_see_student_names(user))

    def grade_on(self, day: datetime.date) -> str:
        """The grade in the school year of `day`, as the SIS reported it that year; the current
        grade when that year was never imported."""
        return str(self.grades.get(str(school_year_of(day)), self.grade))


def can_see_student_names(user: User) -> bool:
    """Who sees students' names at all (within the students they may see)."""
    return bool(user.is_authenticated and (user.is_coordinator or user.is_school_admin))


class StudentStatusQuerySet(models.QuerySet["StudentStatus"]):
    def on(self, day: datetime.date) -> StudentStatusQuerySet:
        return self.filter(in_force(day, "start_date", "end_date"))


class StudentStatus(models.Model):
    """A period in which a student was in a program (an IEP under IDEA, a Section 504 plan,
    English-learner services). OneRoster does not carry these: they come from the documented
    supplemental CSV (`students.oneroster.SUPPLEMENTAL_COLUMNS`)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="statuses")
    program = models.CharField(max_length=4, choices=Program.choices)
    start_date = models.DateField(null=True, blank=True, help_text="Empty: since before the records begin.")
    end_date = models.DateField(null=True, blank=True, help_text="Empty: still in the program.")

    objects = StudentStatusQuerySet.as_manager()

    class Meta:
        ordering = ["student", "program", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="student_status_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["student", "program", "start_date"], name="one_student_status_per_start"
            ),
        ]

    def __str__(self) -> str:
        start, end = self.start_date or "the start", self.end_date or "now"
        return f"{self.get_program_display()} from {start} to {end}"

    def covers(self, day: datetime.date) -> bool:
        return (self.start_date is None or self.start_date <= day) and (
            self.end_date is None or day <= self.end_date
        )


class EnrollmentQuerySet(models.QuerySet["Enrollment"]):
    def on(self, day: datetime.date | None = None) -> EnrollmentQuerySet:
        day = day or timezone.localdate()
        return self.filter(in_force(day, "begin_date", "end_date"))

    def at(self, school: School | int, on: datetime.date | None = None) -> EnrollmentQuerySet:
        return self.filter(school=school).on(on)


class Enrollment(models.Model):
    """A student's enrolment at a school over a period (OneRoster `enrollments.csv` where the
    SIS sends one; otherwise the school of `users.csv`'s orgSourcedIds from the import day)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="enrollments")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="enrollments")
    sourced_id = models.CharField("SIS sourcedId", max_length=255, blank=True)
    begin_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["student", "begin_date"]
        indexes = [models.Index(fields=["school", "begin_date", "end_date"], name="enrollment_school_dates")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(begin_date__isnull=True)
                | Q(end_date__gte=models.F("begin_date")),
                name="enrollment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} at {self.school}"


class RosterImportQuerySet(models.QuerySet["RosterImport"]):
    def visible_to(self, user: User) -> RosterImportQuerySet:
        """Program coordinators: every district's imports; district coordinators: their own."""
        if user.is_program_coordinator:
            return self
        if user.is_district_coordinator and user.district_id is not None:
            return self.filter(district_id=user.district_id)
        return self.none()


class RosterImport(models.Model):
    """One run of the OneRoster import (a dry run included): what it found and did."""

    district = models.ForeignKey("schools.District", on_delete=models.PROTECT, related_name="roster_imports")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=255, help_text="The directory or the uploaded file's name.")
    dry_run = models.BooleanField(default=False)
    full = models.BooleanField(
        "full import", default=True, help_text="Students left out are marked inactive."
    )
    applied = models.BooleanField(default=False)
    # {"new": n, "changed": n, "unchanged": n, "inactivated": n, "errors": n}
    counts = models.JSONField(default=dict)
    # [{"file": "users.csv", "line": 12, "reason": "..."}], the first ERRORS_KEPT of them.
    errors = models.JSONField(default=list)
    version = models.CharField("OneRoster version", max_length=3, blank=True)
    # The uploaded zip, kept from the dry run until it is imported (then deleted): student
    # records, so under MEDIA_ROOT, which no URL serves.
    upload = models.FileField(upload_to="roster-imports/", blank=True)

    objects = RosterImportQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Roster import {self.pk} ({self.district})"

    def get_absolute_url(self) -> str:
        return reverse("students:import_detail", args=[self.pk])

    @property
    def can_be_applied(self) -> bool:
        """A dry run of an upload without errors, not imported yet."""
        return self.dry_run and not self.errors and bool(self.upload)


auditlog.register(Student)
auditlog.register(StudentStatus)
auditlog.register(Enrollment)
auditlog.register(RosterImport)
