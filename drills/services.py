"""Drill workflows with side effects: logging drills and writing reminders to the delivery
ledger (core.deliveries), each at most once per (drill, occasion, recipient)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core import datacache
from core.deliveries import notify
from schools.models import Assignment, School

from .compliance import Status
from .models import Drill, DrillRequirement, school_year_for, school_year_label, section_807_defaults
from .selectors import compliance_by_school

# Reminders before a scheduled drill: "7d" when the drill is 2 to 7 days away, "1d" when it
# is tomorrow or today. Windows rather than exact days, so a day the beat missed is caught up.
REMINDER_WINDOWS = {"7d": (2, 7), "1d": (0, 1)}
# Overdue notices look back this far, so a fresh install does not mail about old drills.
OVERDUE_LOOKBACK_DAYS = 14


@dataclass(frozen=True)
class Recipient:
    key: str
    email: str
    user: User | None


def school_recipients(school: School, day: datetime.date) -> list[Recipient]:
    """The school's administrators and the officers assigned to it on `day`."""
    people: dict[str, Recipient] = {}
    for user in school.administrators.filter(is_active=True):
        if user.email:
            people[user.email.lower()] = Recipient(f"user:{user.pk}", user.email, user)
    for assignment in Assignment.objects.sros_at(school, day):
        officer = assignment.officer
        email = officer.contact_email
        if email and email.lower() not in people:
            key = f"user:{officer.user_id}" if officer.user_id else f"officer:{officer.pk}"
            people[email.lower()] = Recipient(key, email, officer.user)
    return list(people.values())


def ensure_requirements(school_year: int) -> list[DrillRequirement]:
    """Create the year's requirements from §807 if a coordinator has not set any up."""
    with transaction.atomic():
        if not DrillRequirement.objects.for_year(school_year).exists():
            DrillRequirement.objects.bulk_create(
                DrillRequirement(**row) for row in section_807_defaults(school_year)
            )
            datacache.bump("drills")  # bulk_create sends no signals
    return list(DrillRequirement.objects.for_year(school_year))


def due_reminder_kind(drill: Drill, today: datetime.date) -> str | None:
    if drill.is_conducted or drill.scheduled_at is None:
        return None
    days = (timezone.localdate(drill.scheduled_at) - today).days
    for kind, (low, high) in REMINDER_WINDOWS.items():
        if low <= days <= high:
            return kind
    if -OVERDUE_LOOKBACK_DAYS <= days < 0:
        return "overdue"
    return None


def due_drill_reminders(*, today: datetime.date) -> list[tuple[int, str]]:
    """(drill id, kind) for every scheduled drill with a reminder due today."""
    drills = Drill.objects.scheduled().filter(
        scheduled_at__date__range=(
            today - datetime.timedelta(days=OVERDUE_LOOKBACK_DAYS),
            today + datetime.timedelta(days=7),
        )
    )
    due = []
    for drill in drills:
        kind = due_reminder_kind(drill, today)
        if kind:
            due.append((drill.pk, kind))
    return due


@transaction.atomic
def queue_drill_reminders(*, today: datetime.date) -> int:
    """Write every 7-day, 1-day and overdue reminder due today to the delivery ledger.
    Returns the deliveries written now (a second run the same day writes none)."""
    drills = Drill.objects.select_related("school").filter(
        pk__in=[pk for pk, _ in due_drill_reminders(today=today)]
    )
    return sum(
        write_drill_reminder(drill=drill, kind=due_reminder_kind(drill, today) or "", today=today)
        for drill in drills
    )


def write_drill_reminder(*, drill: Drill, kind: str, today: datetime.date) -> int:
    """One reminder (7d, 1d or overdue) about a drill to each recipient once."""
    if not kind:
        return 0
    scheduled_day = timezone.localdate(drill.scheduled_at)
    days = (scheduled_day - today).days
    when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
    sent = 0
    for person in school_recipients(drill.school, scheduled_day):
        sent += len(
            notify(
                occasion=f"drill-{kind}:{drill.pk}:{scheduled_day.isoformat()}:{person.key}",
                template_prefix=f"drills/email/{'overdue' if kind == 'overdue' else 'reminder'}",
                context={"drill": drill, "when": when, "scheduled_day": scheduled_day, "recipient": person},
                user=person.user,
                email=person.email,
                title=f"Drill not logged: {drill}" if kind == "overdue" else f"Drill {when}: {drill}",
                url=drill.get_absolute_url(),
                level="warning" if kind == "overdue" else "info",
            )
        )
    return sent


@transaction.atomic
def send_at_risk_warnings(*, today: datetime.date) -> int:
    """Warn a school's administrators and SRO once per requirement that falls at risk."""
    school_year = school_year_for(today)
    sent = 0
    for row in compliance_by_school(school_year, today=today):
        if row.status != Status.AT_RISK:
            continue
        at_risk = [r for r in row.results if r.status == Status.AT_RISK]
        for person in school_recipients(row.school, today):
            for result in at_risk:
                sent += len(
                    notify(
                        occasion=f"drill-at-risk:{row.school.pk}:{school_year}:{result.requirement.order}:{person.key}",
                        template_prefix="drills/email/at_risk",
                        context={"row": row, "result": result, "year": school_year_label(school_year)},
                        user=person.user,
                        email=person.email,
                        title=f"Drills at risk at {row.school}",
                        url=reverse("drills:school", args=[row.school.pk]),
                        level="warning",
                    )
                )
    return sent


@transaction.atomic
def send_district_digest(*, today: datetime.date) -> int:
    """The week's district overview for coordinators, once per week (keyed by its Monday)."""
    monday = today - datetime.timedelta(days=today.weekday())
    school_year = school_year_for(today)
    rows = compliance_by_school(school_year, today=today)
    upcoming = list(
        Drill.objects.scheduled()
        .filter(scheduled_at__date__range=(today, today + datetime.timedelta(days=7)))
        .select_related("school")
        .order_by("scheduled_at")
    )
    sent = 0
    for coordinator in User.objects.active_coordinators().exclude(email=""):
        # Email only: the digest is a weekly read, not something to act on in the app.
        sent += len(
            notify(
                occasion=f"drill-digest:{monday.isoformat()}:user:{coordinator.pk}",
                template_prefix="drills/email/digest",
                context={
                    "rows": rows,
                    "upcoming": upcoming,
                    "monday": monday,
                    "year": school_year_label(school_year),
                },
                user=coordinator,
                email=coordinator.email,
            )
        )
    return sent
