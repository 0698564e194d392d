from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.templatetags.dates import day as day_label
from core.validators import single_line
from officers.models import OfficerStatus

if TYPE_CHECKING:
    from accounts.models import User


class Level(models.TextChoices):
    ELEMENTARY = "elementary", "Elementary"
    MIDDLE = "middle", "Middle"
    HIGH = "high", "High"
    ALTERNATIVE = "alternative", "Alternative / BOCES centre"


class DistrictKind(models.TextChoices):
    DISTRICT = "district", "School district"
    BOCES = "boces", "BOCES centre"


class DistrictQuerySet(models.QuerySet["District"]):
    def visible_to(self, user: User) -> DistrictQuerySet:
        """Program coordinators: every district. Anyone else: the districts of the schools in
        their scope (a district coordinator's own; an officer's, across districts)."""
        if user.is_program_coordinator:
            return self
        return self.filter(pk__in=user.schools_in_scope().values("district_id"))


class District(models.Model):
    """A local education agency (LEA): a school district or a BOCES centre. The CRDC reports
    per LEA; each district has its own coordinator, agreements with agencies and data."""

    name = models.CharField(max_length=120, unique=True, validators=[single_line])
    kind = models.CharField(max_length=10, choices=DistrictKind.choices, default=DistrictKind.DISTRICT)
    # NCES Common Core of Data LEA ID: 7 digits (2-digit state FIPS code + 5 digits).
    nces_id = models.CharField(
        "NCES LEA ID",
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^\d{7}$", "An NCES LEA ID is 7 digits, e.g. 3620580.")],
    )
    # The state's own code; in New York the district's 12-digit BEDS code.
    state_code = models.CharField(
        "state code (NY BEDS code)",
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^[0-9A-Za-z-]{1,12}$", "Letters, digits and dashes only.")],
    )

    objects = DistrictQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["nces_id"], condition=~Q(nces_id=""), name="unique_district_nces_id"
            ),
            models.UniqueConstraint(
                fields=["state_code"], condition=~Q(state_code=""), name="unique_district_state_code"
            ),
            models.CheckConstraint(
                condition=Q(nces_id="") | Q(nces_id__regex=r"^[0-9]{7}$"), name="district_nces_id_7_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("schools:district_update", args=[self.pk])


def default_district_id() -> int:
    """The district a school joins when none is named: the program's first district, created
    from `DEFAULT_DISTRICT_NAME` when there is none yet (a program of one district never has
    to think about districts)."""
    pk = District.objects.order_by("pk").values_list("pk", flat=True).first()
    return pk or District.objects.create(name=settings.DEFAULT_DISTRICT_NAME).pk


class SchoolQuerySet(models.QuerySet["School"]):
    def visible_to(self, user: User) -> SchoolQuerySet:
        # Every school for program coordinators, as no condition: as a filter, all the schools
        # were a semi-join each query planned and ran (README, Every page).
        if user.is_program_coordinator:
            return self.all()
        return self.filter(pk__in=user.schools_in_scope().values("pk"))

    def for_choices(self) -> SchoolQuerySet:
        """Only the columns of a school's label (__str__), for a filter bar's choice list."""
        return self.only("pk", "name")

    def in_district(self, district: District | int | None) -> SchoolQuerySet:
        """Narrowed to one district (a District or its id); None leaves the queryset as it is."""
        return self if district is None else self.filter(district=district)

    def search(self, text: str) -> SchoolQuerySet:
        for word in text.split():
            self = self.filter(
                Q(name__icontains=word) | Q(principal__icontains=word) | Q(address__icontains=word)
            )
        return self


class School(models.Model):
    name = models.CharField(max_length=120, unique=True, validators=[single_line])
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="schools", default=default_district_id
    )
    level = models.CharField(max_length=20, choices=Level.choices)
    address = models.CharField(max_length=255, blank=True, validators=[single_line])
    principal = models.CharField("principal", max_length=120, blank=True, validators=[single_line])
    main_contact = models.CharField(max_length=120, blank=True, validators=[single_line])
    phone = models.CharField(max_length=30, blank=True, validators=[single_line])
    email = models.EmailField(blank=True)
    enrollment = models.PositiveIntegerField(default=0)
    # The school's `identifier` in the SIS's OneRoster orgs.csv: how a roster import finds it.
    sis_identifier = models.CharField(
        "SIS identifier",
        max_length=255,
        blank=True,
        validators=[single_line],
        help_text="The school's identifier in the student information system (OneRoster orgs.csv "
        "“identifier”), so a roster import finds it.",
    )
    administrators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="administered_schools"
    )
    joined_program_on = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "sis_identifier"],
                condition=~Q(sis_identifier=""),
                name="unique_school_sis_identifier_per_district",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("schools:detail", args=[self.pk])


class AssignmentKind(models.TextChoices):
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def visible_to(self, user: User) -> AssignmentQuerySet:
        """Assignments at the schools in the user's scope (every one for program coordinators,
        with no condition: see SchoolQuerySet.visible_to)."""
        if user.is_program_coordinator:
            return self.all()
        return self.filter(school__in=user.schools_in_scope().values("pk"))

    def active_on(self, day: datetime.date) -> AssignmentQuerySet:
        """Assignments current on `day`: the rule Assignment.state_on applies to one row."""
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)

    def current_on(self, day: datetime.date) -> AssignmentQuerySet:
        """What access follows: assignments active on `day`, less those ended early on that
        day (an assignment ended today ends its access now, not at midnight)."""
        return self.active_on(day).exclude(ended_at__isnull=False, end_date=day)

    def sros_at(self, school: School, day: datetime.date) -> AssignmentQuerySet:
        """Assignments of active officers at `school` on `day`, with the officer and their login."""
        return (
            self.current_on(day)
            .filter(school=school, officer__status=OfficerStatus.ACTIVE)
            .select_related("officer__user")
        )

    def primary(self) -> AssignmentQuerySet:
        return self.filter(kind=AssignmentKind.PRIMARY)

    def overlapping(self, start: datetime.date, end: datetime.date | None) -> AssignmentQuerySet:
        """Assignments whose date range shares at least one day with [start, end] (end None: open)."""
        qs = self.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        return qs if end is None else qs.filter(start_date__lte=end)


class Assignment(models.Model):
    """An officer placed at a school over a date range (end_date empty: open-ended)."""

    officer = models.ForeignKey("officers.Officer", on_delete=models.PROTECT, related_name="assignments")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="assignments")
    kind = models.CharField(max_length=10, choices=AssignmentKind.choices, default=AssignmentKind.PRIMARY)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    # ISO weekdays the officer is at the school, e.g. "12345" for Monday to Friday.
    weekdays = models.CharField(max_length=7, default="12345")
    notes = models.CharField(max_length=255, blank=True, validators=[single_line])
    # When a coordinator ended the assignment early (end date set to today or before while it
    # was running): from then on it gives no access, though it still counts as that day's.
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="assignment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} at {self.school} ({self.get_kind_display()})"

    def state_on(self, day: datetime.date) -> str:
        """Upcoming, Current or Ended on `day`. An assignment is current from its start date to
        its end date, both included (AssignmentQuerySet.active_on, in SQL)."""
        if self.start_date > day:
            return "Upcoming"
        if self.end_date is not None and self.end_date < day:
            return "Ended"
        return "Current"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date must be on or after the start date."})
        if not self.weekdays or any(ch not in "1234567" for ch in self.weekdays):
            raise ValidationError({"weekdays": "Choose at least one day of the week."})
        clash = self.clashing_primary()
        if clash is not None:
            until = f"until {day_label(clash.end_date)}" if clash.end_date else "with no end date"
            raise ValidationError(
                f"{clash.officer.full_name} already has a primary assignment at {clash.school} from "
                f"{day_label(clash.start_date)} {until}. "
                "End that assignment first, or make this one secondary."
            )

    def clashing_primary(self) -> Assignment | None:
        """Another primary assignment of the same officer overlapping this one, if any."""
        if self.kind != AssignmentKind.PRIMARY or not self.officer_id or not self.start_date:
            return None
        return (
            Assignment.objects.filter(officer_id=self.officer_id)
            .primary()
            .overlapping(self.start_date, self.end_date)
            .exclude(pk=self.pk)
            .select_related("officer", "school")
            .first()
        )

    @property
    def weekday_names(self) -> str:
        return Assignment.weekday_names_of(self.weekdays)

    @staticmethod
    def weekday_names_of(weekdays: str) -> str:
        """The days an assignment covers as pages show them (`weekday_names`), from its column:
        for reads that take assignments as values rather than instances."""
        if weekdays == "12345":
            return "Mon–Fri"
        names = dict(WEEKDAYS)
        return ", ".join(names[d] for d in weekdays if d in names)

    def end(self, today: datetime.date) -> None:
        """End a running assignment today: history is kept, access stops now."""
        self.end_date = max(today, self.start_date)
        self.ended_at = timezone.now()
        self.save(update_fields=["end_date", "ended_at"])

    def note_early_end(self, previous_end: datetime.date | None, today: datetime.date) -> None:
        """Set or clear `ended_at` when the end date is edited: moved to today or before while
        it ran, access stops now; moved to the future (or removed), it runs again."""
        if self.end_date is not None and self.end_date <= today:
            if self.pk and (previous_end is None or previous_end > today):
                self.ended_at = timezone.now()
        else:
            self.ended_at = None


WEEKDAYS = [("1", "Mon"), ("2", "Tue"), ("3", "Wed"), ("4", "Thu"), ("5", "Fri"), ("6", "Sat"), ("7", "Sun")]


auditlog.register(District)
auditlog.register(School, m2m_fields={"administrators"})
auditlog.register(Assignment)
