"""Incidents, the program's escalation thresholds, alerts to officers and threat assessments.

The thresholds exist so that officers respond to weapons, threats and crimes with a school
nexus and never enforce the ordinary code of conduct: a code-of-conduct category is always
handled by the school, whatever anyone types."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone

if TYPE_CHECKING:
    from accounts.models import User
    from schools.models import District
from core.validators import single_line
from schools.models import default_district_id
from students.models import Grade, RaceEthnicity, Sex

RETENTION_AGE = 27  # New York keeps incident records until the youngest person involved turns 27.


class InterventionLevel(models.IntegerChoices):
    SCHOOL = 0, "School handles (SRO not notified)"
    INFORMED = 1, "SRO informed"
    RESPONDS = 2, "SRO responds / investigates"
    IMMEDIATE = 3, "Immediate: call 911 and the SRO"


# From this level up the SRO is involved (and may see the incident).
SRO_LEVEL = InterventionLevel.INFORMED
# From this level up the coordinator is alerted too.
COORDINATOR_LEVEL = InterventionLevel.RESPONDS


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"


class Location(models.TextChoices):
    CLASSROOM = "classroom", "Classroom"
    HALLWAY = "hallway", "Hallway"
    CAFETERIA = "cafeteria", "Cafeteria"
    GROUNDS = "grounds", "School grounds"
    BUS = "bus", "School bus"
    # NY SSEC reports incidents "on school property or during a school-sponsored function off
    # grounds": the two places off campus are told apart (README, New York SSEC summary).
    SCHOOL_EVENT = "school_event", "Off campus, at a school-sponsored event"
    OFF_CAMPUS = "off_campus", "Off campus, elsewhere (with a school nexus)"
    ONLINE = "online", "Online"


class Status(models.TextChoices):
    REPORTED = "reported", "Reported"
    UNDER_REVIEW = "under_review", "Under review"
    SRO_RESPONDING = "sro_responding", "SRO responding"
    CLOSED = "closed", "Closed"


class WeaponType(models.TextChoices):
    NONE = "", "No weapon"
    FIREARM = "firearm", "Firearm"
    REPLICA = "replica", "Replica or toy gun"
    KNIFE = "knife", "Knife or cutting instrument"
    EXPLOSIVE = "explosive", "Explosive or incendiary device"
    OTHER = "other", "Other weapon"


class Injury(models.TextChoices):
    NONE = "none", "No injury"
    MINOR = "minor", "Minor injury"
    SERIOUS = "serious", "Serious injury (medical attention)"


class IncidentCategoryQuerySet(models.QuerySet["IncidentCategory"]):
    def active(self) -> IncidentCategoryQuerySet:
        return self.filter(active=True)


class IncidentCategory(models.Model):
    """A kind of incident. SSEC categories follow New York's School Safety and Educational
    Climate reporting; code-of-conduct categories are the school's alone."""

    name = models.CharField(max_length=100, unique=True, validators=[single_line])
    code = models.SlugField(max_length=40, unique=True)
    is_ssec = models.BooleanField("New York SSEC category", default=False)
    is_code_of_conduct = models.BooleanField(
        "code of conduct (school only)",
        default=False,
        help_text="The school handles these alone: the SRO is never paged.",
    )
    active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    objects = IncidentCategoryQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name_plural = "incident categories"

    def __str__(self) -> str:
        return self.name


class SsecCategoryQuerySet(models.QuerySet["SsecCategory"]):
    def in_year(self, school_year: int) -> SsecCategoryQuerySet:
        """NYSED's categories as they stood in a school year."""
        return self.filter(Q(first_year__isnull=True) | Q(first_year__lte=school_year)).filter(
            Q(last_year__isnull=True) | Q(last_year__gte=school_year)
        )


class SsecCategory(models.Model):
    """One of NYSED's SSEC categories or subcategories (1, 2a, 2b, 3a...), seeded by migration.
    A category NYSED adds or retires gets a first or last school year; past years keep theirs."""

    code = models.CharField(max_length=4, unique=True)
    name = models.CharField(max_length=120)
    group = models.PositiveSmallIntegerField(help_text="NYSED's category number (2 for 2a and 2b).")
    group_name = models.CharField(max_length=120)
    sort_order = models.PositiveSmallIntegerField(default=0)
    first_year = models.PositiveSmallIntegerField("first school year", null=True, blank=True)
    last_year = models.PositiveSmallIntegerField("last school year", null=True, blank=True)

    objects = SsecCategoryQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = "NYSED SSEC category"
        verbose_name_plural = "NYSED SSEC categories"

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class SsecSplit(models.TextChoices):
    NONE = "", "Always the category above"
    SERIOUS_INJURY = "serious_injury", "The second category when the injury was serious"
    ONLINE = "online", "The second category when it happened online"


class SsecMapping(models.Model):
    """Where incidents of one of our categories are reported to NYSED, from a school year on
    (until a later mapping of the same category). Past years keep the mapping they had, so a
    change never rewrites what was reported. `ssec` empty: not reported to NYSED."""

    category = models.ForeignKey(IncidentCategory, on_delete=models.CASCADE, related_name="ssec_mappings")
    from_year = models.PositiveSmallIntegerField("from school year")
    ssec = models.ForeignKey(
        SsecCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="NYSED category",
    )
    split = models.CharField("split", max_length=20, choices=SsecSplit.choices, blank=True)
    split_to = models.ForeignKey(
        SsecCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="second NYSED category",
    )
    note = models.CharField(max_length=300, blank=True, help_text="Why incidents are reported here.")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["category__sort_order", "category__name", "from_year"]
        constraints = [
            models.UniqueConstraint(fields=["category", "from_year"], name="one_ssec_mapping_per_year"),
            models.CheckConstraint(
                condition=Q(split="") | Q(split_to__isnull=False), name="ssec_split_has_category"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} from {self.from_year}: {self.ssec or 'not reported'}"

    def split_rows(self) -> Q | None:
        """Which of this category's incidents are reported as `split_to` (None: no split)."""
        if self.split == SsecSplit.SERIOUS_INJURY:
            return Q(category_id=self.category_id, injuries=Injury.SERIOUS)
        if self.split == SsecSplit.ONLINE:
            return Q(category_id=self.category_id, location=Location.ONLINE)
        return None

    def ssec_for(self, *, split: bool) -> SsecCategory | None:
        """What an incident of this category is reported as: `split_to` when it is one of
        `split_rows()`, else `ssec`."""
        return self.split_to if split else self.ssec


def ssec_mappings_in(school_year: int) -> dict[int, SsecMapping]:
    """Each category's mapping in force in a school year (one query)."""
    current: dict[int, SsecMapping] = {}
    # Unordered: the latest year's wins whatever the order (ordered, the categories were joined).
    mappings = SsecMapping.objects.filter(from_year__lte=school_year).select_related("ssec", "split_to")
    for mapping in mappings.order_by():
        held = current.get(mapping.category_id)
        if held is None or mapping.from_year > held.from_year:
            current[mapping.category_id] = mapping
    return current


class Threshold(models.Model):
    """One row of the written threshold table: for a category and severity, how far the
    SRO is involved and how quickly they must acknowledge."""

    category = models.ForeignKey(IncidentCategory, on_delete=models.CASCADE, related_name="thresholds")
    severity = models.CharField(max_length=10, choices=Severity.choices)
    level = models.PositiveSmallIntegerField(choices=InterventionLevel.choices)
    response_minutes = models.PositiveIntegerField("response-time target (minutes)", null=True, blank=True)

    class Meta:
        ordering = ["category__sort_order", "category__name", "severity"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "severity"], name="one_threshold_per_category_severity"
            ),
            models.CheckConstraint(
                condition=Q(level=InterventionLevel.SCHOOL) | Q(response_minutes__gt=0),
                name="threshold_involving_sro_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} ({self.get_severity_display()}): {self.get_level_display()}"

    def clean(self) -> None:
        if self.category_id and self.category.is_code_of_conduct and self.level != InterventionLevel.SCHOOL:
            raise ValidationError(
                {"level": "Code-of-conduct categories are handled by the school: the SRO is never paged."}
            )
        if self.level != InterventionLevel.SCHOOL and not self.response_minutes:
            raise ValidationError(
                {"response_minutes": "Give a response-time target for levels involving the SRO."}
            )


def override_errors(
    *, category: IncidentCategory | None, level_override: int | None, override_reason: str
) -> dict[str, str]:
    """What is wrong with choosing a level instead of the table's (no query, so the form
    can say it together with its other errors): choosing one needs a reason, and a
    code-of-conduct matter never pages the SRO."""
    if level_override is None:
        return {}
    if category is not None and category.is_code_of_conduct and level_override > InterventionLevel.SCHOOL:
        return {
            "level_override": "Code-of-conduct matters are handled by the school and never page the SRO. "
            "If a weapon, a threat or a crime is involved, choose that category instead."
        }
    if not override_reason.strip():
        return {"override_reason": "Give a reason for overriding the threshold table."}
    return {}


def threshold_for(category: IncidentCategory, severity: str) -> tuple[int, int | None]:
    """(level, response minutes) the table gives; code of conduct is always the school's."""
    if category.is_code_of_conduct:
        return InterventionLevel.SCHOOL, None
    row = Threshold.objects.filter(category=category, severity=severity).first()
    if row is None:
        # A category nobody has rated yet: tell the SRO rather than stay silent.
        return InterventionLevel.INFORMED, 24 * 60
    return row.level, row.response_minutes


# What the person who reports an incident says about it (the form asks for these, a
# correction may change them); the level and what follows are worked out from them.
REPORTED_FIELDS = [
    "school",
    "occurred_at",
    "location",
    "category",
    "severity",
    "description",
    "weapon_type",
    "injuries",
    "parent_contacted",
    "counseling",
    "suspension",
    "referred_to_law_enforcement",
    "school_related_arrest",
    "referred_to_community",
]


class IncidentQuerySet(models.QuerySet["Incident"]):
    def visible_to(self, user: User) -> IncidentQuerySet:
        """Program coordinators: all. District coordinators: their district's schools.
        Administrators: their schools. Officers: incidents at the schools they are assigned
        to, and only from the SRO-involvement level up."""
        if user.is_program_coordinator:
            return self
        schools = user.schools_in_scope().values("pk")
        if user.is_district_coordinator or user.is_school_admin:
            return self.filter(school__in=schools)
        if user.is_officer:
            return self.filter(school__in=schools, level__gte=SRO_LEVEL)
        return self.none()

    def sro_involved(self) -> IncidentQuerySet:
        return self.filter(level__gte=SRO_LEVEL)


def default_retention() -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year + RETENTION_AGE)


class Incident(models.Model):
    """What happened, as the school logged it. Never hard-deleted by users; kept until
    `retention_until`."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="incidents")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="incidents_reported"
    )
    occurred_at = models.DateTimeField("when it happened")
    location = models.CharField("where", max_length=20, choices=Location.choices)
    category = models.ForeignKey(IncidentCategory, on_delete=models.PROTECT, related_name="incidents")
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MODERATE)
    description = models.TextField(max_length=10000)
    weapon_type = models.CharField("weapon involved", max_length=20, choices=WeaponType.choices, blank=True)
    injuries = models.CharField(max_length=10, choices=Injury.choices, default=Injury.NONE)
    # Actions taken
    parent_contacted = models.BooleanField(default=False)
    counseling = models.BooleanField(default=False)
    suspension = models.BooleanField(default=False)
    referred_to_law_enforcement = models.BooleanField("referral to law enforcement", default=False)
    school_related_arrest = models.BooleanField("school-related arrest", default=False)
    referred_to_community = models.BooleanField("referral to community resources", default=False)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REPORTED)
    outcome = models.TextField(blank=True, max_length=5000)
    # What the table said, and what applies (they differ only after an override).
    table_level = models.PositiveSmallIntegerField(choices=InterventionLevel.choices)
    level = models.PositiveSmallIntegerField("intervention level", choices=InterventionLevel.choices)
    response_minutes = models.PositiveIntegerField(null=True, blank=True)
    override_reason = models.TextField(blank=True, max_length=2000)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    retention_until = models.DateField(default=default_retention)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Rendered with the report form: a second POST of the same form finds this incident
    # instead of logging another (a double click, a resubmitted page).
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # How many of its people are offenders and victims (SSEC's offenders and targets/victims
    # of an incident), kept by `take_people` as people are saved (they are only ever
    # added, never removed or given another role), so the SSEC summary reads a year's counts
    # with its incidents instead of probing the people of each of ~6,000 incidents (~20 ms).
    offenders = models.PositiveIntegerField(default=0, editable=False)
    victims = models.PositiveIntegerField(default=0, editable=False)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            # A school's or a district's incidents in a date range; with each one's category and
            # id, a count of them by category (the program evaluation's periods) reads this index
            # alone: half the rows the covering index on occurred_at has to read for half the
            # district's schools.
            models.Index(
                fields=["school", "occurred_at"], include=["category", "id"], name="incident_school_when"
            ),
            models.Index(fields=["status"], name="incident_status"),
            models.Index(fields=["level", "occurred_at"], name="incident_level_when"),
            # District-wide figures for a date range (the dashboard, the monthly report) scan by
            # date alone; the columns they group and filter by ride along in the index, so a
            # year's aggregates read the index only, not ~7,000 heap pages (README, Benchmark).
            # PostgreSQL only: elsewhere it is a plain index on occurred_at. The SSEC summary's
            # split (injuries, location) and weapon count ride along too: its year was a bitmap
            # heap scan of ~4,300 pages (~14 ms) for 6,000 incidents; the index grew 1 MB of 18.
            # Its offenders and victims too, so the whole summary is read from the index.
            models.Index(
                fields=["occurred_at"],
                include=[
                    "id",
                    "school",
                    "level",
                    "table_level",
                    "category",
                    "injuries",
                    "location",
                    "weapon_type",
                    "offenders",
                    "victims",
                ],
                name="incident_when_covering",
            ),
            # The dashboard's newest threshold overrides: about 1 incident in 140, so the
            # covering index above read ~7,000 rows' heap pages to find a year's newest 50.
            models.Index(
                fields=["-occurred_at"],
                condition=~Q(level=models.F("table_level")),
                name="incident_overridden_when",
            ),
            # The equity report's SRO involvements (conduct_share: a year's incidents at the
            # SRO levels, by school and category, for each of five years): ~1 incident in 5,
            # so the covering index above read ~600 buffers a year to keep ~9,500 rows; this
            # one reads ~65 (each year's query 11 -> 4.5 ms on the large district).
            models.Index(
                fields=["occurred_at"],
                include=["id", "school", "category"],
                condition=Q(level__gte=SRO_LEVEL),
                name="incident_sro_when",
            ),
            # The equity report's code-of-conduct share looks up the category of each contact's
            # incident (~7,800 contacts over five years on the large district) by key: from
            # this index alone, not the primary key and a heap page each (that query 25-39 ->
            # 17-22 ms). PostgreSQL only: elsewhere a plain index on id.
            models.Index(fields=["id"], include=["category"], name="incident_category_by_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=models.F("table_level")) | ~Q(override_reason=""),
                name="incident_override_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.CLOSED) | ~Q(outcome=""),
                name="incident_closed_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} at {self.school} on {timezone.localtime(self.occurred_at):%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:detail", args=[self.pk])

    @property
    def is_overridden(self) -> bool:
        return self.level != self.table_level

    @property
    def sro_involved(self) -> bool:
        return self.level >= SRO_LEVEL

    def note_law_enforcement(self, people: Iterable[IncidentPerson]) -> None:
        """A referral or a school-related arrest of anyone involved is the incident's too (the
        reporter may also tick them for the incident alone, so these people only ever set them)."""
        people = list(people)
        if any(p.referred_to_law_enforcement for p in people):
            self.referred_to_law_enforcement = True
        if any(p.arrest == Arrest.SCHOOL_RELATED for p in people):
            self.school_related_arrest = True

    def take_people(self, people: Iterable[IncidentPerson]) -> None:
        """What the incident keeps of these people, about to be saved with it: a referral or a
        school-related arrest of anyone (note_law_enforcement), and how many are offenders and
        victims. Every way people are added calls this, so the counts stay true."""
        people = list(people)
        self.note_law_enforcement(people)
        roles = [p.role for p in people]
        self.offenders += roles.count(PersonRole.OFFENDER)
        self.victims += roles.count(PersonRole.VICTIM)

    def compute_retention_until(self, people: Iterable[IncidentPerson] | None = None) -> datetime.date:
        """The day the youngest person involved turns 27 (by date of birth, else by age at
        the time; with no age known, 27 years from the incident, the longest it can be)."""
        occurred = timezone.localtime(self.occurred_at).date() if self.occurred_at else timezone.localdate()
        candidates = []
        for person in people if people is not None else self.people.all():
            if person.date_of_birth:
                candidates.append(_add_years(person.date_of_birth, RETENTION_AGE))
            elif person.age is not None:
                # Born at most `age + 1` years before: they turn 27 no later than this.
                candidates.append(_add_years(occurred, RETENTION_AGE - person.age))
        if not candidates:
            return _add_years(occurred, RETENTION_AGE)
        return max(candidates)

    def change_status(self, *, to: str, by: User, note: str = "", outcome: str = "") -> IncidentStatusChange:
        if to == self.status:
            raise ValidationError("The incident already has that status.")
        if to == Status.CLOSED and not (outcome or self.outcome).strip():
            raise ValidationError({"outcome": "Say how the incident was resolved before closing it."})
        change = IncidentStatusChange.objects.create(
            incident=self, from_status=self.status, to_status=to, changed_by=by, note=note
        )
        self.status = to
        if outcome:
            self.outcome = outcome
        self.save(update_fields=["status", "outcome", "updated_at"])
        return change

    def timeline(self, alerts: Iterable[Alert] | None = None) -> list[dict[str, Any]]:
        """Report, status changes and alerts, oldest first. `alerts`: this incident's alerts
        with officer, recipient and acknowledged_by, when the caller has them already."""
        events = [
            {"at": self.created_at, "what": "Reported", "by": self.reported_by, "note": ""},
        ]
        if self.is_overridden:
            events.append(
                {
                    "at": self.created_at,
                    "what": "Threshold overridden: "
                    f"{self.get_table_level_display()} → {self.get_level_display()}",
                    "by": self.overridden_by,
                    "note": self.override_reason,
                }
            )
        for change in self.status_changes.select_related("changed_by"):
            events.append(
                {
                    "at": change.changed_at,
                    "what": f"Status: {change.get_from_status_display()} → {change.get_to_status_display()}",
                    "by": change.changed_by,
                    "note": change.note,
                }
            )
        for correction in self.corrections.select_related("corrected_by"):
            events.append(
                {
                    "at": correction.corrected_at,
                    "what": f"Corrected: {correction.summary}",
                    "by": correction.corrected_by,
                    "note": correction.reason,
                }
            )
        if alerts is None:
            alerts = self.alerts.select_related("officer", "recipient", "acknowledged_by")
        for alert in alerts:
            if alert.sent_at:
                events.append(
                    {
                        "at": alert.sent_at,
                        "what": f"Alert reached {alert.recipient_name}",
                        "by": None,
                        "note": "",
                    }
                )
            if alert.acknowledged_at:
                events.append(
                    {
                        "at": alert.acknowledged_at,
                        "what": f"Alert acknowledged by {alert.acknowledged_by or alert.recipient_name}",
                        "by": alert.acknowledged_by,
                        "note": "",
                    }
                )
            if alert.escalated_at:
                events.append(
                    {
                        "at": alert.escalated_at,
                        "what": f"Alert to {alert.recipient_name} not acknowledged in time: escalated "
                        "to the supervisor and the coordinator",
                        "by": None,
                        "note": "",
                    }
                )
        return sorted(events, key=lambda e: e["at"])


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class PersonKind(models.TextChoices):
    STUDENT = "student", "Student"
    STAFF = "staff", "Staff"
    VISITOR = "visitor", "Visitor"


class PersonRole(models.TextChoices):
    OFFENDER = "offender", "Offender"
    VICTIM = "victim", "Victim"
    WITNESS = "witness", "Witness"


class Arrest(models.TextChoices):
    NOT_COLLECTED = "", "Not collected"
    NONE = "none", "Not arrested"
    SCHOOL_RELATED = "school_related", "School-related arrest"
    OTHER = "other", "Arrest not school-related"


# CRDC: a student referred to law enforcement, and every school-related arrest is a referral too
# (whatever the referral field says). The CRDC tables' filter (incidents.reports) and the
# partial index that serves it (person_referred_covering) are this one condition.
CRDC_REFERRED = Q(referred_to_law_enforcement=True) | Q(arrest=Arrest.SCHOOL_RELATED)


class IncidentPerson(models.Model):
    """Someone involved. A student is a link to the district's student record, whose
    demographics on the incident's date are copied here from the record
    (`students.services.sync_involvements`), never typed; a student who cannot be identified
    is recorded with a reason. People logged before student records existed keep what was
    typed (unlinked) until a coordinator links them. Demographic fields are for state and
    federal reporting; empty (null) means "not collected", which the reports keep apart from
    "no"."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="people")
    kind = models.CharField(max_length=10, choices=PersonKind.choices, default=PersonKind.STUDENT)
    student = models.ForeignKey(
        "students.Student", on_delete=models.PROTECT, null=True, blank=True, related_name="involvements"
    )
    unidentified_reason = models.CharField(
        "why the student is not identified",
        max_length=200,
        blank=True,
        help_text="For example: left before staff could identify them; a student of another district.",
    )
    local_id_or_initials = models.CharField("local ID or initials", max_length=20, blank=True)
    role = models.CharField(max_length=10, choices=PersonRole.choices)
    grade = models.CharField(max_length=2, choices=Grade.choices, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    race_ethnicity = models.CharField(
        "race / ethnicity", max_length=20, choices=RaceEthnicity.choices, blank=True
    )
    idea_disability = models.BooleanField("disability (IDEA)", null=True, blank=True)
    section_504 = models.BooleanField("Section 504 only", null=True, blank=True)
    english_learner = models.BooleanField("English learner", null=True, blank=True)
    referred_to_law_enforcement = models.BooleanField(null=True, blank=True)
    # CRDC counts school-related arrests only; an arrest for something else is recorded apart.
    arrest = models.CharField(max_length=20, choices=Arrest.choices, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["incident", "kind"], name="person_incident_kind"),
            # The CRDC tables read a year's referred and arrested students (a few hundred of the
            # year's ~80,000 people on the large district): from this small index alone, not a
            # scan of every person ever involved (README, Every page). Its condition is the
            # CRDC tables' own filter, CRDC_REFERRED.
            models.Index(
                fields=["incident"],
                include=[
                    "id",
                    "kind",
                    "grade",
                    "student",
                    "local_id_or_initials",
                    "sex",
                    "race_ethnicity",
                    "idea_disability",
                    "section_504",
                    "english_learner",
                    "arrest",
                ],
                condition=CRDC_REFERRED,
                name="person_referred_covering",
            ),
            # Students logged before the school had student records, not linked yet: the
            # coordinators' page to link them (students.selectors.unlinked_people) reads them
            # from this small index, with what was typed, not from every person ever involved.
            models.Index(
                fields=["incident"],
                include=["id", "local_id_or_initials"],
                condition=Q(kind=PersonKind.STUDENT, student__isnull=True, unidentified_reason=""),
                name="person_unlinked_student",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(age__isnull=True) | Q(age__lte=120), name="person_age_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.identifier} ({self.get_role_display()})"

    @property
    def identifier(self) -> str:
        """How the person is shown to anyone: the student's local ID, never a name."""
        if self.student is not None:
            return self.student.local_id
        if self.unidentified_reason:
            return "unidentified"
        return self.local_id_or_initials

    def label(self, *, names: bool) -> str:
        """Who, as shown on a page: a student's name and ID to those who may see names
        (students.models.can_see_student_names), the ID alone to anyone else."""
        if self.student is not None:
            return self.student.label(names=names)
        if self.unidentified_reason:
            return f"Unidentified student ({self.unidentified_reason})"
        return f"{self.get_kind_display()} {self.local_id_or_initials}"

    @property
    def is_unlinked_student(self) -> bool:
        """A student logged before student records existed, not yet linked to one."""
        return self.kind == PersonKind.STUDENT and self.student_id is None and not self.unidentified_reason


class CrdcCollectionQuerySet(models.QuerySet["CrdcCollection"]):
    def for_year(self, school_year: int, district: District | int | None) -> CrdcCollection | None:
        return self.filter(school_year=school_year, district=district).first()

    def by_district(self, school_year: int) -> dict[int, CrdcCollection]:
        """Each district's declaration for a school year (one query)."""
        return {c.district_id: c for c in self.filter(school_year=school_year) if c.district_id is not None}


class CrdcCollection(models.Model):
    """What a district (an LEA) declares it collects in a school year, for the CRDC's
    0-versus-blank rule: a count is 0 where the LEA collects the data and there is none, blank
    where it does not collect it. Declared per LEA, never inferred from a school's incidents."""

    district = models.ForeignKey(
        "schools.District",
        on_delete=models.PROTECT,
        related_name="crdc_collections",
        default=default_district_id,
    )
    school_year = models.PositiveSmallIntegerField()
    referrals = models.BooleanField("referrals to law enforcement", default=True)
    arrests = models.BooleanField("school-related arrests", default=True)
    race_sex = models.BooleanField("race/ethnicity and sex of the students", default=True)
    disability = models.BooleanField("IDEA and Section 504 status", default=True)
    english_learner = models.BooleanField("English-learner status", default=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    declared_at = models.DateTimeField(default=timezone.now)

    objects = CrdcCollectionQuerySet.as_manager()

    class Meta:
        ordering = ["-school_year", "district__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "school_year"], name="one_crdc_declaration_per_lea_year"
            )
        ]

    def __str__(self) -> str:
        return f"CRDC data {self.district} collects in {self.school_year}-{(self.school_year + 1) % 100:02d}"


class IncidentStatusChange(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class IncidentCorrection(models.Model):
    """A correction of a logged incident: who, when, why, and each field's old and new value
    (as shown to people). The audit trail keeps the raw values as well."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="corrections")
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True, max_length=2000)
    # {field label: [old, new]}
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["corrected_at", "pk"]

    def __str__(self) -> str:
        return f"Correction of incident {self.incident_id}"

    @property
    def summary(self) -> str:
        return "; ".join(f"{label}: {old} → {new}" for label, (old, new) in self.changes.items())


ALLOWED_ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".txt": "text/plain",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def attachment_path(instance: models.Model, filename: str) -> str:
    # A generated name: what the user called it is kept in `original_name` only.
    import uuid

    return f"incidents/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Attachment(models.Model):
    """A file kept under MEDIA_ROOT (outside the web root), served only by a permission-checked view."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class AlertKind(models.TextChoices):
    OFFICER = "officer", "Assigned SRO"
    COORDINATOR = "coordinator", "Coordinator"


class AlertQuerySet(models.QuerySet["Alert"]):
    def awaiting_escalation(self, now: datetime.datetime) -> AlertQuerySet:
        """Past their response window by `now`, not acknowledged and not escalated yet."""
        return self.filter(acknowledged_at__isnull=True, escalated_at__isnull=True, due_at__lte=now)


class Alert(models.Model):
    """One person told about one incident. Officer alerts must be acknowledged by `due_at`,
    else they escalate (once) to the officer's supervisor and the coordinator."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=12, choices=AlertKind.choices)
    officer = models.ForeignKey(
        "officers.Officer", on_delete=models.PROTECT, null=True, blank=True, related_name="alerts"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incident_alerts",
    )
    email = models.EmailField(blank=True)
    level = models.PositiveSmallIntegerField(choices=InterventionLevel.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # When it first reached the recipient: the in-app notification (at once, for a login) or
    # the mail server's acceptance of the email. Each channel's status is in core.Delivery.
    sent_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["acknowledged_at", "escalated_at", "due_at"], name="alert_pending"),
            # The banner every signed-in page polls (selectors.pending_alerts_for): a user's
            # unacknowledged alerts of the last day, without reading all the alerts they ever had.
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(acknowledged_at__isnull=True),
                name="alert_unacknowledged",
            ),
            # The equity report's SRO involvements by officer join a year's SRO-level incidents
            # to their officers' alerts: read from this small index (the ~45,000 officer alerts
            # of the large district) instead of every alert's heap pages (that query 15-19 ->
            # 9-10 ms).
            models.Index(
                fields=["incident"],
                include=["officer"],
                condition=Q(kind=AlertKind.OFFICER),
                name="alert_officer_incident",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(officer__isnull=False) | Q(recipient__isnull=False), name="alert_has_recipient"
            ),
            models.UniqueConstraint(
                fields=["incident", "officer"],
                condition=Q(officer__isnull=False),
                name="one_alert_per_officer",
            ),
            models.UniqueConstraint(
                fields=["incident", "recipient"],
                condition=Q(officer__isnull=True),
                name="one_alert_per_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"Alert to {self.recipient_name} about incident {self.incident_id}"

    @property
    def recipient_name(self) -> str:
        if self.officer_id:
            return str(self.officer)
        return str(self.recipient)

    def can_acknowledge(self, user: User) -> bool:
        return self.acknowledged_at is None and user.is_authenticated and self.recipient_id == user.pk


# --- Threat assessment (Comprehensive School Threat Assessment Guidelines) -----------------


class Classification(models.TextChoices):
    PENDING = "pending", "Being evaluated"
    TRANSIENT = "transient", "Transient"
    SERIOUS = "serious", "Serious substantive"
    VERY_SERIOUS = "very_serious", "Very serious substantive"


SUBSTANTIVE = [Classification.SERIOUS, Classification.VERY_SERIOUS]


class ActionKind(models.TextChoices):
    RESOLVE = "resolve", "Resolve with the student (clarify, explain, apologise, make amends)"
    NOTIFY_STUDENT_PARENTS = "notify_student_parents", "Notify the student's parents"
    NOTIFY_VICTIM = "notify_victim", "Notify the intended victim and their parents"
    PROTECTIVE_ACTION = "protective_action", "Take protective action"
    CONSULT_SRO = "consult_sro", "Consult the SRO / law enforcement"
    MENTAL_HEALTH = "mental_health", "Mental health evaluation"
    SAFETY_PLAN = "safety_plan", "Write and implement a safety plan"
    FOLLOW_UP = "follow_up", "Follow up with the student"


# The checklist each classification requires, with days to the due date.
CHECKLISTS: dict[str, list[tuple[str, int]]] = {
    Classification.TRANSIENT: [
        (ActionKind.RESOLVE, 0),
        (ActionKind.NOTIFY_STUDENT_PARENTS, 1),
        (ActionKind.FOLLOW_UP, 14),
    ],
    Classification.SERIOUS: [
        (ActionKind.NOTIFY_VICTIM, 0),
        (ActionKind.NOTIFY_STUDENT_PARENTS, 0),
        (ActionKind.PROTECTIVE_ACTION, 0),
        (ActionKind.CONSULT_SRO, 1),
        (ActionKind.FOLLOW_UP, 7),
    ],
    Classification.VERY_SERIOUS: [
        (ActionKind.NOTIFY_VICTIM, 0),
        (ActionKind.NOTIFY_STUDENT_PARENTS, 0),
        (ActionKind.PROTECTIVE_ACTION, 0),
        (ActionKind.CONSULT_SRO, 0),
        (ActionKind.MENTAL_HEALTH, 3),
        (ActionKind.SAFETY_PLAN, 5),
        (ActionKind.FOLLOW_UP, 7),
    ],
}


class ThreatStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ThreatAssessmentQuerySet(models.QuerySet["ThreatAssessment"]):
    def visible_to(self, user: User) -> ThreatAssessmentQuerySet:
        """Program coordinators: all. District coordinators: their district's schools.
        Administrators: their schools. Officers: substantive threats at the schools they are
        assigned to (the SRO is consulted on those)."""
        if user.is_program_coordinator:
            return self
        schools = user.schools_in_scope().values("pk")
        if user.is_district_coordinator or user.is_school_admin:
            return self.filter(school__in=schools)
        if user.is_officer:
            return self.filter(school__in=schools, classification__in=SUBSTANTIVE)
        return self.none()

    def open(self) -> ThreatAssessmentQuerySet:
        return self.filter(status=ThreatStatus.OPEN)


class ThreatAssessment(models.Model):
    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, null=True, blank=True, related_name="threat_assessments"
    )
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="threat_assessments")
    # The student's local ID as shown to everyone (initials for reports opened before student
    # records existed), and the record itself once the school has them.
    student = models.CharField("student (local ID or initials)", max_length=40)
    student_record = models.ForeignKey(
        "students.Student",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="threat_assessments",
    )
    reported_on = models.DateField()
    threat = models.TextField("what was said or done", max_length=5000)
    weapon_involved = models.BooleanField(
        "a weapon is involved or possessed",
        default=False,
        help_text="Possession of a weapon is presumed a threat.",
    )
    classification = models.CharField(
        max_length=20, choices=Classification.choices, default=Classification.PENDING
    )
    summary = models.TextField("evaluation summary", blank=True, max_length=5000)
    team_administrator = models.CharField("administrator", max_length=120, blank=True)
    team_counselor = models.CharField("counselor / psychologist", max_length=120, blank=True)
    team_sro = models.CharField("SRO", max_length=120, blank=True)
    team_teacher = models.CharField("teacher", max_length=120, blank=True)
    status = models.CharField(max_length=10, choices=ThreatStatus.choices, default=ThreatStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ThreatAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_on", "-pk"]
        indexes = [
            models.Index(fields=["school", "status"], name="threat_school_status"),
            # The list's order within a status: its page is the first rows, not a sort of them all.
            models.Index(fields=["status", "-reported_on", "-id"], name="threat_status_reported"),
            # A student's timeline finds the threats opened before the school had student records
            # by the local ID typed then (student_timeline): with this index and the one on
            # student_record, a bitmap OR of both rather than a scan of every assessment.
            models.Index(
                Upper("student"), condition=Q(student_record__isnull=True), name="threat_unlinked_student"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ThreatStatus.OPEN) | Q(closed_at__isnull=False),
                name="threat_closed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(weapon_involved=True, classification="transient"),
                name="threat_weapon_is_substantive",
            ),
        ]

    def __str__(self) -> str:
        return f"Threat by {self.student} at {self.school} ({self.get_classification_display()})"

    def get_absolute_url(self) -> str:
        return reverse("incidents:threat_detail", args=[self.pk])

    @property
    def identifier(self) -> str:
        """How the student is shown to anyone: the record's local ID now (the SIS may have
        changed it since, or given the old one to another student), else what was typed."""
        if self.student_record is not None:
            return self.student_record.local_id
        return self.student

    @property
    def is_substantive(self) -> bool:
        return self.classification in SUBSTANTIVE

    def open_required_actions(self) -> models.QuerySet[ThreatAction]:
        return self.actions.filter(required=True, done_at__isnull=True)

    def close(self, *, by: User) -> None:
        if self.classification == Classification.PENDING:
            raise ValidationError("Classify the threat before closing it.")
        open_steps = list(self.open_required_actions())
        if open_steps:
            names = "; ".join(a.get_kind_display() for a in open_steps)
            raise ValidationError(f"Required steps are still open: {names}.")
        if self.classification == Classification.VERY_SERIOUS:
            plan = getattr(self, "safety_plan", None)
            if plan is None or not plan.implemented_on:
                raise ValidationError(
                    "A very serious threat needs an implemented safety plan before closing."
                )
        self.status = ThreatStatus.CLOSED
        self.closed_at = timezone.now()
        self.closed_by = by
        self.save(update_fields=["status", "closed_at", "closed_by"])


class ThreatAction(models.Model):
    """One checklist step. Steps of a lower classification stay on record (not required)
    when a threat is reclassified."""

    assessment = models.ForeignKey(ThreatAssessment, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=30, choices=ActionKind.choices)
    required = models.BooleanField(default=True)
    due_date = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "kind"], name="one_action_kind_per_threat")
        ]
        indexes = [models.Index(fields=["done_at", "due_date"], name="threat_action_pending")]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_date is not None and self.due_date < timezone.localdate()


class SafetyPlan(models.Model):
    assessment = models.OneToOneField(ThreatAssessment, on_delete=models.CASCADE, related_name="safety_plan")
    plan = models.TextField(max_length=10000)
    implemented_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField("next monitoring review", null=True, blank=True)
    monitoring_notes = models.TextField(blank=True, max_length=5000)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Safety plan for {self.assessment}"


auditlog.register(IncidentCategory)
auditlog.register(Threshold)
auditlog.register(SsecCategory)
auditlog.register(SsecMapping)
auditlog.register(Incident)
auditlog.register(IncidentPerson)
auditlog.register(IncidentStatusChange)
auditlog.register(CrdcCollection)
auditlog.register(IncidentCorrection)
auditlog.register(Attachment)
auditlog.register(Alert)
auditlog.register(ThreatAssessment)
auditlog.register(ThreatAction)
auditlog.register(SafetyPlan)
