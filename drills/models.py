from __future__ import annotations

import datetime
import secrets
from typing import TYPE_CHECKING, Any

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.templatetags.dates import day

if TYPE_CHECKING:
    from accounts.models import User
    from schools.models import District, School


def school_year_for(day: datetime.date) -> int:
    """The school year a day belongs to, named by the year it starts in (July 1 - June 30)."""
    return day.year if day.month >= 7 else day.year - 1


def school_year_bounds(school_year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(school_year, 7, 1), datetime.date(school_year + 1, 6, 30)


def school_year_label(school_year: int) -> str:
    return f"{school_year}-{(school_year + 1) % 100:02d}"


if TYPE_CHECKING:
    from officers.models import Officer


class DrillType(models.TextChoices):
    EVACUATION = "evacuation", "Evacuation (fire)"
    EVACUATION_SECONDARY = "evacuation_secondary", "Evacuation using secondary exits"
    LOCKDOWN = "lockdown", "Lockdown"
    LOCKOUT = "lockout", "Lockout / secure"
    SHELTER = "shelter", "Shelter in place"
    HOLD = "hold", "Hold"
    BUS_EVACUATION = "bus_evacuation", "Bus evacuation"
    EARLY_DISMISSAL = "early_dismissal", "Early dismissal"
    REUNIFICATION = "reunification", "Reunification"


# Times of the school day, for the "drills at different times of day" rule.
TIME_SLOTS = [
    (datetime.time(0, 0), "before 9:00"),
    (datetime.time(9, 0), "9:00-11:29"),
    (datetime.time(11, 30), "11:30-13:29"),
    (datetime.time(13, 30), "13:30 or later"),
]


def slot_of(local: datetime.time) -> str:
    """Which of TIME_SLOTS a local time of day falls in."""
    label = TIME_SLOTS[0][1]
    for start, name in TIME_SLOTS:
        if local >= start:
            label = name
    return label


class Rule(models.TextChoices):
    COUNT = "count", "Drills conducted in a period"
    TIMES_OF_DAY = "times_of_day", "Different times of the school day"
    LUNCH_OR_ASSEMBLY = "lunch_or_assembly", "Lunch period or assembly procedure"
    SUMMER = "summer", "Drills during summer school"
    SUMMER_FIRST_WEEK = "summer_first_week", "Drills in the first week of summer school"


class LunchOrAssembly(models.TextChoices):
    NO = "", "Neither"
    LUNCH = "lunch", "Held during a lunch period"
    ASSEMBLY = "assembly", "Held during an assembly"
    INSTRUCTED = "instructed", "Pupils instructed in the lunch-period / assembly procedure"


# §807(1): the twelve drills are the eight evacuation and the four lock-down drills.
SECTION_807_DRILL_TYPES = ["evacuation", "evacuation_secondary", "lockdown"]


class DrillRequirementQuerySet(models.QuerySet["DrillRequirement"]):
    def for_year(self, school_year: int) -> DrillRequirementQuerySet:
        return self.filter(school_year=school_year)


class DrillRequirement(models.Model):
    """One rule a school must meet in a school year, e.g. "8 drills between September 1 and
    December 31". Seeded from New York Education Law §807; coordinators may edit them.

    COUNT rules count conducted drills (of `drill_types`, or of any type when empty) between
    `window_start` and `deadline`; LUNCH_OR_ASSEMBLY rules count those held during a lunch
    period or assembly (or used to teach that procedure). Summer rules apply only to schools
    with a summer session."""

    school_year = models.PositiveSmallIntegerField(db_index=True)
    rule = models.CharField(max_length=20, choices=Rule.choices, default=Rule.COUNT)
    label = models.CharField(max_length=160)
    minimum = models.PositiveSmallIntegerField()
    drill_types = models.JSONField(default=list, blank=True, help_text="Empty: drills of any type count.")
    window_start = models.DateField(null=True, blank=True)
    deadline = models.DateField(null=True, blank=True)
    citation = models.CharField(max_length=80, blank=True, default="NY Education Law §807")
    order = models.PositiveSmallIntegerField(default=0)

    objects = DrillRequirementQuerySet.as_manager()

    class Meta:
        ordering = ["school_year", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_year", "label"], name="unique_requirement_label_per_year"
            ),
            models.CheckConstraint(condition=Q(minimum__gte=1), name="requirement_minimum_positive"),
            models.CheckConstraint(
                condition=Q(window_start__isnull=True)
                | Q(deadline__isnull=True)
                | Q(deadline__gte=models.F("window_start")),
                name="requirement_deadline_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{school_year_label(self.school_year)}: {self.label}"

    def type_labels(self) -> list[str]:
        names = dict(DrillType.choices)
        return [names.get(t, t) for t in self.drill_types]


def section_807_defaults(school_year: int) -> list[dict[str, Any]]:
    """The requirements of New York Education Law §807 for one school year."""
    start, end = school_year_bounds(school_year)
    sept1, dec31 = datetime.date(school_year, 9, 1), datetime.date(school_year, 12, 31)
    evac = [DrillType.EVACUATION, DrillType.EVACUATION_SECONDARY]
    rows = [
        # §807(1): "at least twelve times in each school year" (evacuation and lock-down drills).
        (Rule.COUNT, "At least 12 drills in the school year", 12, SECTION_807_DRILL_TYPES, sept1, end),
        # §807(1): "eight of which ... between September first and December thirty-first".
        (
            Rule.COUNT,
            "8 drills between September 1 and December 31",
            8,
            SECTION_807_DRILL_TYPES,
            sept1,
            dec31,
        ),
        # §807(1): "Eight of all such drills shall be evacuation drills".
        (Rule.COUNT, "8 evacuation drills", 8, evac, sept1, end),
        (
            Rule.COUNT,
            "4 evacuation drills using secondary exits",
            4,
            [DrillType.EVACUATION_SECONDARY],
            sept1,
            end,
        ),
        # §807(1): "Four of all such required drills shall be lock-down drills".
        (Rule.COUNT, "4 lockdown drills", 4, [DrillType.LOCKDOWN], sept1, end),
        # §807(1): "Drills shall be conducted at different times of the school day".
        (
            Rule.TIMES_OF_DAY,
            "Drills at 3 different times of the school day",
            3,
            SECTION_807_DRILL_TYPES,
            sept1,
            end,
        ),
        # §807(1): lunch-period / assembly instruction, waived where a drill is held then.
        (
            Rule.LUNCH_OR_ASSEMBLY,
            "1 drill held during a lunch period or assembly (or its procedure taught)",
            1,
            SECTION_807_DRILL_TYPES,
            sept1,
            end,
        ),
        # §807(1): "At least two additional drills shall be held during summer school ... one of
        # such drills ... during the first week": more of the same evacuation and lock-down drills.
        (Rule.SUMMER, "2 drills in summer school", 2, SECTION_807_DRILL_TYPES, start, None),
        (
            Rule.SUMMER_FIRST_WEEK,
            "1 drill in the first week of summer school",
            1,
            SECTION_807_DRILL_TYPES,
            start,
            None,
        ),
    ]
    return [
        {
            "school_year": school_year,
            "rule": rule,
            "label": label,
            "minimum": minimum,
            "drill_types": [str(t) for t in types],  # type: ignore[attr-defined]
            "window_start": window_start,
            "deadline": deadline,
            "order": order,
        }
        for order, (rule, label, minimum, types, window_start, deadline) in enumerate(rows, start=1)
    ]


class SummerSession(models.Model):
    """The dates of a school's summer school in a school year (July and August)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="summer_sessions")
    school_year = models.PositiveSmallIntegerField()
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta:
        ordering = ["-school_year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year"], name="one_summer_session_per_year"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="summer_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} summer school {self.start_date:%b %-d}-{self.end_date:%b %-d, %Y}"

    def clean(self) -> None:
        # SSEC: the school year is "July 1st through June 30th", its summer school included;
        # §807's summer drills and the CRDC's summer exclusion read the summer school of that year.
        if self.school_year is None:
            return
        first, last = school_year_bounds(self.school_year)
        for name in ("start_date", "end_date"):
            value = getattr(self, name)
            if value is not None and not first <= value <= last:
                raise ValidationError(
                    {
                        name: f"Summer school of {school_year_label(self.school_year)} is between "
                        f"{day(first)} and {day(last)}; the summer after it belongs to "
                        f"{school_year_label(self.school_year + 1)}."
                    }
                )

    @property
    def first_week_end(self) -> datetime.date:
        return self.start_date + datetime.timedelta(days=6)


class DrillQuerySet(models.QuerySet["Drill"]):
    def visible_to(self, user: User) -> DrillQuerySet:
        return self.filter(school__in=user.schools_in_scope().values("pk"))

    def conducted(self) -> DrillQuerySet:
        return self.filter(conducted_at__isnull=False)

    def scheduled(self) -> DrillQuerySet:
        return self.filter(conducted_at__isnull=True, scheduled_at__isnull=False)

    def in_school_year(self, school_year: int) -> DrillQuerySet:
        start, end = school_year_bounds(school_year)
        return self.filter(
            Q(conducted_at__date__range=(start, end))
            | Q(conducted_at__isnull=True, scheduled_at__date__range=(start, end))
        )


class Drill(models.Model):
    """An emergency drill at a school: planned (scheduled_at) and/or logged (conducted_at)."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="drills")
    drill_type = models.CharField("type", max_length=30, choices=DrillType.choices)
    scheduled_at = models.DateTimeField("scheduled for", null=True, blank=True)
    conducted_at = models.DateTimeField("conducted at", null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField("duration (minutes)", null=True, blank=True)
    accountability_minutes = models.PositiveSmallIntegerField(
        "time to full accountability (minutes)", null=True, blank=True
    )
    sro_present = models.BooleanField("SRO present", default=False)
    first_responders_notified = models.BooleanField(default=False)
    lunch_or_assembly = models.CharField(
        "lunch period or assembly",
        max_length=10,
        choices=LunchOrAssembly.choices,
        blank=True,
        help_text="Education Law §807 requires the lunch-period / assembly procedure once a year.",
    )
    observations = models.TextField(blank=True)
    after_action_notes = models.TextField("after-action notes", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DrillQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_at", "-conducted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scheduled_at__isnull=False) | Q(conducted_at__isnull=False),
                name="drill_is_scheduled_or_conducted",
            ),
        ]
        indexes = [models.Index(fields=["school", "conducted_at"]), models.Index(fields=["scheduled_at"])]

    def __str__(self) -> str:
        return f"{self.get_drill_type_display()} drill at {self.school}"

    def get_absolute_url(self) -> str:
        return reverse("drills:detail", args=[self.pk])

    @property
    def when(self) -> datetime.datetime | None:
        return self.conducted_at or self.scheduled_at

    @property
    def is_conducted(self) -> bool:
        return self.conducted_at is not None

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            not self.is_conducted
            and self.scheduled_at is not None
            and timezone.localdate(self.scheduled_at) < today
        )

    def status_label(self, today: datetime.date | None = None) -> str:
        if self.is_conducted:
            return "Conducted"
        return "Overdue: not logged" if self.is_overdue(today) else "Scheduled"


class CorrectiveAction(models.Model):
    """An observation made during a drill and what will be done about it, by whom, by when."""

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="corrective_actions")
    observation = models.CharField(max_length=300)
    action = models.CharField("corrective action", max_length=300)
    owner = models.CharField(max_length=120)
    due_date = models.DateField()
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["completed_on", "due_date", "pk"]

    def __str__(self) -> str:
        return self.action


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The unguessable address of an iCalendar feed: one per school, one per officer (the
    schools of their current assignments) and one for the district (neither set). Calendar
    apps cannot sign in, so the token is the only key; it is rotated when it leaks, and an
    officer's is deleted when the officer is deactivated."""

    school = models.OneToOneField(
        "schools.School", on_delete=models.CASCADE, null=True, blank=True, related_name="drill_feed"
    )
    officer = models.OneToOneField(
        "officers.Officer", on_delete=models.CASCADE, null=True, blank=True, related_name="drill_feed"
    )
    # With no school nor officer: the feed of this district's schools; with none, the program's.
    district = models.ForeignKey(
        "schools.District", on_delete=models.CASCADE, null=True, blank=True, related_name="drill_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    rotated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(school__isnull=True) | models.Q(officer__isnull=True),
                name="feed_of_a_school_or_an_officer",
            ),
        ]

    def __str__(self) -> str:
        return f"Drill calendar of {self.school or self.officer or self.district or 'the program'}"

    def get_absolute_url(self) -> str:
        return reverse("drills:feed", args=[self.token])

    @classmethod
    def for_school(cls, school: School | None) -> CalendarFeed:
        return cls.objects.get_or_create(school=school)[0]

    @classmethod
    def for_officer(cls, officer: Officer) -> CalendarFeed:
        return cls.objects.get_or_create(officer=officer)[0]

    @classmethod
    def for_district(cls, district: District | int | None) -> CalendarFeed:
        """The feed of a district's schools (a District or its id); None: the whole program's."""
        district_id = getattr(district, "pk", district)
        feed = (
            cls.objects.filter(school__isnull=True, officer__isnull=True, district_id=district_id)
            .order_by("pk")
            .first()
        )
        return feed or cls.objects.create(school=None, district_id=district_id)

    def rotate(self) -> None:
        self.token = new_feed_token()
        self.rotated_at = timezone.now()
        self.save(update_fields=["token", "rotated_at"])


auditlog.register(DrillRequirement)
auditlog.register(SummerSession)
auditlog.register(Drill)
auditlog.register(CorrectiveAction)
auditlog.register(CalendarFeed, exclude_fields=["token"])
