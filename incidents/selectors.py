"""Reads for the coordinator dashboard. Each takes (schools queryset, start, end) — start
and end are dates, both included — aggregates in the database and runs a fixed number of
queries however many incidents there are."""

from __future__ import annotations

import datetime
import logging
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from statistics import median
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Func, IntegerField, Q, QuerySet, Value, Window
from django.db.models.functions import Extract, TruncMonth
from django.utils import timezone

from accounts.models import User
from core.dates import months_between
from core.queries import at_schools
from schools.models import School

from .models import (
    SRO_LEVEL,
    Alert,
    AlertKind,
    Incident,
    IncidentCategory,
    InterventionLevel,
    ThreatAction,
    ThreatAssessment,
    ThreatStatus,
)

log = logging.getLogger("sro.incidents")


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz),
    )


def incidents_in(
    schools: QuerySet[School] | None, start: datetime.date, end: datetime.date
) -> QuerySet[Incident]:
    """The incidents of [start, end] at `schools` (None: every school, with no semi-join)."""
    low, high = _bounds(start, end)
    incidents = Incident.objects.filter(occurred_at__gte=low, occurred_at__lt=high)
    return at_schools(incidents, schools)


def _month(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _local_month(start: datetime.date, end: datetime.date) -> tuple[Any, Callable[[Any], datetime.date]]:
    """An expression for an incident's month in the current time zone (for incidents of
    [start, end]), and how to read its value as the month's first day. On PostgreSQL it is how
    many of the window's local month starts are at or before occurred_at: truncating each of a
    year's 16,000 timestamps in the time zone was half the cost of incident_counts."""
    if connection.vendor != "postgresql":
        return TruncMonth("occurred_at"), _month
    tz = timezone.get_current_timezone()
    months = months_between(start, end)
    starts = [datetime.datetime.combine(month, datetime.time.min, tzinfo=tz) for month in months]
    bucket = Func(F("occurred_at"), Value(starts), function="width_bucket", output_field=IntegerField())
    return bucket, lambda number: months[number - 1]


def incident_counts(
    schools: QuerySet[School] | None, start: datetime.date, end: datetime.date
) -> list[dict[str, Any]]:
    """[{month, category_id, category, conduct, level, table_level, count}]: the window's
    incidents counted by month, category, intervention level and the table's level, in one
    grouped query the covering index on occurred_at answers (a few hundred groups a year on the
    large district), and the categories' names. The bright-line tile, incidents by month and
    category, and levels over time are all sums of these groups: each used to read the window's
    incidents again."""
    month, month_of = _local_month(start, end)
    rows = (
        incidents_in(schools, start, end)
        .annotate(month=month)
        .values("month", "category_id", "level", "table_level")
        .annotate(count=Count("pk"))
        .order_by()
    )
    categories = {
        pk: (name, conduct)
        for pk, name, conduct in IncidentCategory.objects.values_list("pk", "name", "is_code_of_conduct")
    }
    return [
        {
            "month": month_of(r["month"]),
            "category_id": r["category_id"],
            "category": categories[r["category_id"]][0],
            "conduct": categories[r["category_id"]][1],
            "level": r["level"],
            "table_level": r["table_level"],
            "count": r["count"],
        }
        for r in rows
    ]


def incidents_by_month_and_category(counts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """[{month: date, category: name, category_id, count}] ordered by month, category, from
    `incident_counts`."""
    summed: dict[tuple[datetime.date, int], int] = defaultdict(int)
    names = {}
    for r in counts:
        summed[r["month"], r["category_id"]] += r["count"]
        names[r["category_id"]] = r["category"]
    return sorted(
        (
            {"month": month, "category": names[category_id], "category_id": category_id, "count": n}
            for (month, category_id), n in summed.items()
        ),
        key=lambda r: (r["month"], r["category"]),
    )


def incidents_by_school(
    schools: QuerySet[School] | None,
    start: datetime.date,
    end: datetime.date,
    *,
    listed: Iterable[School] | None = None,
) -> list[dict[str, Any]]:
    """[{school_id, school, count, sro_count}] for every school in `schools` (None: every
    school), 0 included. `listed`: those schools already read, by name (their names are not
    read again)."""
    # The window's incidents grouped by school (about 20,000 a year on the large district),
    # then every school's name: joining the schools to every incident ever logged and filtering
    # in the aggregate read all 250,000 (about 150 ms against 35).
    counted = (
        incidents_in(schools, start, end)
        .order_by()
        .values("school_id")
        .annotate(n=Count("pk"), sro=Count("pk", filter=Q(level__gte=SRO_LEVEL)))
    )
    counts = {row["school_id"]: (row["n"], row["sro"]) for row in counted}
    names = (
        [(school.pk, school.name) for school in listed]
        if listed is not None
        else (School.objects.all() if schools is None else schools).order_by("name").values_list("pk", "name")
    )
    return [
        {
            "school_id": pk,
            "school": name,
            "count": counts.get(pk, (0, 0))[0],
            "sro_count": counts.get(pk, (0, 0))[1],
        }
        for pk, name in names
    ]


def incidents_per_category(school_year: int) -> dict[int, int]:
    """{category id: incidents} of a school year (July 1 to June 30), in one grouped query
    the covering index on occurred_at answers: the category list counted every incident ever
    logged (250,000 on the large district) to show these."""
    start, end = datetime.date(school_year, 7, 1), datetime.date(school_year + 1, 6, 30)
    low, high = _bounds(start, end)
    rows = (
        Incident.objects.filter(occurred_at__gte=low, occurred_at__lt=high)
        .order_by()
        .values("category_id")
        .annotate(n=Count("pk"))
    )
    return {row["category_id"]: row["n"] for row in rows}


def incidents_by_level_over_time(counts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """[{month, level, level_label, count}] ordered by month, level, from `incident_counts`."""
    summed: dict[tuple[datetime.date, int], int] = defaultdict(int)
    for r in counts:
        summed[r["month"], r["level"]] += r["count"]
    return [
        {"month": month, "level": level, "level_label": InterventionLevel(level).label, "count": n}
        for (month, level), n in sorted(summed.items())
    ]


def school_vs_sro_share(
    schools: QuerySet[School], start: datetime.date, end: datetime.date
) -> dict[str, Any]:
    """How many incidents the school handled alone versus with the SRO involved."""
    totals = incidents_in(schools, start, end).aggregate(
        total=Count("pk"),
        school_alone=Count("pk", filter=Q(level=InterventionLevel.SCHOOL)),
        sro=Count("pk", filter=Q(level__gte=SRO_LEVEL)),
    )
    total = totals["total"]
    return {**totals, "sro_share": (totals["sro"] / total) if total else None}


def overrides(
    schools: QuerySet[School], start: datetime.date, end: datetime.date, *, limit: int = 50
) -> dict[str, Any]:
    """Incidents whose level differs from the table, with the reasons, newest first."""
    qs = incidents_in(schools, start, end).exclude(level=F("table_level"))
    counts = qs.aggregate(
        total=Count("pk"),
        raised=Count("pk", filter=Q(level__gt=F("table_level"))),
        lowered=Count("pk", filter=Q(level__lt=F("table_level"))),
    )
    items = list(qs.select_related("school", "category", "overridden_by").order_by("-occurred_at")[:limit])
    return {**counts, "items": items}


def bright_line(
    schools: QuerySet[School] | None,
    start: datetime.date,
    end: datetime.date,
    counts: list[dict[str, Any]],
    *,
    limit: int = 50,
) -> dict[str, Any]:
    """The bright-line tile's figures (the counts of `school_vs_sro_share` and `overrides`, and
    code-of-conduct incidents with the SRO involved) summed from `incident_counts`, then the
    newest overrides with their reasons."""
    figures = dict.fromkeys(
        ("total", "school_alone", "sro", "conduct_with_sro", "overrides", "raised", "lowered"), 0
    )
    for r in counts:
        n, level, table_level = r["count"], r["level"], r["table_level"]
        figures["total"] += n
        figures["school_alone"] += n if level == InterventionLevel.SCHOOL else 0
        figures["sro"] += n if level >= SRO_LEVEL else 0
        figures["conduct_with_sro"] += n if r["conduct"] and level >= SRO_LEVEL else 0
        figures["overrides"] += n if level != table_level else 0
        figures["raised"] += n if level > table_level else 0
        figures["lowered"] += n if level < table_level else 0
    # What the tile shows of each override (the incident's description and the rest are not),
    # as values: 50 rows as four model instances each were ~2 ms of the tile.
    items = list(
        incidents_in(schools, start, end)
        .filter(~Q(level=F("table_level")))
        .order_by("-occurred_at")
        .values(
            "pk",
            "occurred_at",
            "level",
            "table_level",
            "override_reason",
            "overridden_by_id",
            school_name=F("school__name"),
            category_name=F("category__name"),
            by_first_name=F("overridden_by__first_name"),
            by_last_name=F("overridden_by__last_name"),
            by_username=F("overridden_by__username"),
        )[:limit]
    )
    return {**figures, "override_items": items}


class PercentileCont(Aggregate):
    """PostgreSQL's continuous percentile (linear interpolation between neighbours)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        super().__init__(expression, fraction=float(fraction), **extra)


def _percentile(values: list[float], fraction: float) -> float | None:
    """The same interpolation as percentile_cont, for databases without it."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def alert_response_stats(
    schools: QuerySet[School] | None, start: datetime.date, end: datetime.date
) -> dict[str, Any]:
    """Officer alerts for incidents in the window (at `schools`; None: every school): count,
    acknowledged, median and p90 minutes to acknowledge, missed targets (acknowledged late or
    not at all past due)."""
    low, high = _bounds(start, end)
    alerts = Alert.objects.filter(
        kind=AlertKind.OFFICER, incident__occurred_at__gte=low, incident__occurred_at__lt=high
    )
    alerts = at_schools(alerts, schools, through="incident__school")
    now = timezone.now()
    counting = {
        "count": Count("pk"),
        "acknowledged": Count("pk", filter=Q(acknowledged_at__isnull=False)),
        "escalated": Count("pk", filter=Q(escalated_at__isnull=False)),
        "missed": Count(
            "pk",
            filter=Q(acknowledged_at__gt=F("due_at")) | Q(acknowledged_at__isnull=True, due_at__lt=now),
        ),
    }
    if connection.vendor == "postgresql":
        # One pass over the window's alerts: percentile_cont ignores the NULL durations of
        # alerts not (yet) acknowledged or never sent, as the filter below does elsewhere.
        seconds = Extract(F("acknowledged_at") - F("sent_at"), "epoch")
        result = alerts.aggregate(
            **counting, median=PercentileCont(seconds, 0.5), p90=PercentileCont(seconds, 0.9)
        )
        median_seconds, p90_seconds = result.pop("median"), result.pop("p90")
        counts = result
        median_minutes = median_seconds / 60 if median_seconds is not None else None
        p90_minutes = p90_seconds / 60 if p90_seconds is not None else None
    else:
        counts = alerts.aggregate(**counting)
        # SQLite has no percentile aggregate: one query returns the durations.
        answered = alerts.filter(acknowledged_at__isnull=False, sent_at__isnull=False)
        minutes = [
            (ack - sent).total_seconds() / 60
            for sent, ack in answered.values_list("sent_at", "acknowledged_at")
            if sent is not None and ack is not None  # the filter above; for the type checker
        ]
        median_minutes = median(minutes) if minutes else None
        p90_minutes = _percentile(minutes, 0.9)
    return {**counts, "median_minutes": median_minutes, "p90_minutes": p90_minutes}


def open_threats_by_level(
    schools: QuerySet[School] | None, start: datetime.date, end: datetime.date
) -> list[dict[str, Any]]:
    """Open threat assessments reported in the window (at `schools`; None: every school), by
    classification."""
    assessments = ThreatAssessment.objects.filter(
        status=ThreatStatus.OPEN, reported_on__gte=start, reported_on__lte=end
    )
    rows = (
        at_schools(assessments, schools)
        .values("classification")
        .annotate(count=Count("pk"))
        .order_by("classification")
    )
    from .models import Classification

    return [
        {
            "classification": r["classification"],
            "label": Classification(r["classification"]).label,
            "count": r["count"],
        }
        for r in rows
    ]


def overdue_steps(
    schools: QuerySet[School] | None, start: datetime.date, end: datetime.date, *, limit: int = 50
) -> dict[str, Any]:
    """Required threat-assessment steps past due on open assessments reported in the window
    (at `schools`; None: every school): how many, and the `limit` oldest with their
    assessment's student and school."""
    qs = ThreatAction.objects.filter(
        required=True,
        done_at__isnull=True,
        due_date__lt=timezone.localdate(),
        assessment__status=ThreatStatus.OPEN,
        assessment__reported_on__gte=start,
        assessment__reported_on__lte=end,
    )
    qs = at_schools(qs, schools, through="assessment__school")
    # The student as ThreatAssessment.identifier shows them (the record's local ID now).
    shown = (
        "kind",
        "due_date",
        "assessment__student",
        "assessment__student_record__local_id",
        "assessment__school__name",
    )
    # How many there are rides along with the oldest (a window over them all): one query. Steps
    # due the same day come in the order they were set, so the 50 shown are the same each time.
    items = list(
        qs.select_related("assessment__school", "assessment__student_record")
        .only(*shown)
        .annotate(overdue=Window(Count("pk")))
        .order_by("due_date", "pk")[:limit]
    )
    return {"count": items[0].overdue if items else 0, "items": items}


def with_deliveries(alerts: list[Alert]) -> list[Alert]:
    """Attach to each alert `.deliveries`: its in-app and email deliveries from the ledger
    (those of a level raised by a correction too), in-app first, in one query."""
    from core.models import Delivery

    by_alert: dict[int, list[Delivery]] = {a.pk: [] for a in alerts}
    if alerts:
        wanted = Q()
        for alert in alerts:
            wanted |= Q(occasion=f"incident-alert:{alert.pk}") | Q(
                occasion__startswith=f"incident-alert:{alert.pk}:"
            )
        for delivery in Delivery.objects.filter(wanted).order_by("-channel", "pk"):
            by_alert[int(delivery.occasion.split(":")[1])].append(delivery)
    for alert in alerts:
        alert.deliveries = by_alert[alert.pk]  # type: ignore[attr-defined]
    return alerts


# Beat escalates every minute (CELERY_BEAT_SCHEDULE): an alert still waiting this long after
# its window closed was missed, because beat or the alerts worker is not running.
ESCALATION_LATE_AFTER = datetime.timedelta(minutes=2)


def late_escalations(now: datetime.datetime) -> int:
    """How many alerts should have been escalated by now and were not (for monitoring)."""
    return Alert.objects.awaiting_escalation(now - ESCALATION_LATE_AFTER).count()


def alert_status(incident: Incident, alerts: list[Alert]) -> dict[str, Any]:
    """Who was alerted about `incident` and where each message is, for its page and the JSON
    the page polls: per person, their phone, each channel's delivery, acknowledgement and
    escalation, and in words what happens next. Alerts come `with_deliveries`."""
    from core.templatetags.dates import clock, moment

    people = []
    for alert in alerts:
        phone = ""
        if alert.officer is not None:
            phone = alert.officer.phone
        elif alert.recipient is not None:
            phone = alert.recipient.phone
        people.append(
            {
                "id": alert.pk,
                "name": alert.recipient_name,
                "role": alert.get_kind_display(),
                "phone": phone,
                "deliveries": [
                    {
                        "channel": d.get_channel_display(),
                        "status": d.status,
                        "words": d.status_in_words,
                        "sent_at": moment(d.sent_at),
                    }
                    for d in alert.deliveries  # type: ignore[attr-defined]  # with_deliveries
                ],
                "acknowledged": moment(alert.acknowledged_at),
                "acknowledged_by": str(alert.acknowledged_by or "") if alert.acknowledged_at else "",
                "escalated": moment(alert.escalated_at),
                "due": moment(alert.due_at),
            }
        )
    waiting = [a for a in alerts if a.due_at and not a.acknowledged_at and not a.escalated_at]
    if not alerts:
        next_step = ""
    elif any(a.acknowledged_at for a in alerts if a.kind == AlertKind.OFFICER):
        next_step = "An SRO has acknowledged the alert and is responding."
    elif waiting:
        due = min(a.due_at for a in waiting if a.due_at is not None)
        told = sorted({str(user) for user, _ in escalation_recipients(waiting[0]) if user is not None})
        whom = ", ".join(told) if told else "the program coordinator"
        now = timezone.now()
        if due > now:
            next_step = f"If nobody has acknowledged by {clock(due)}, {whom} will be alerted."
        elif due > now - ESCALATION_LATE_AFTER:
            next_step = f"Nobody acknowledged by {clock(due)}: alerting {whom} now."
        else:
            # Escalation is beat's; the page must not promise what is not happening.
            next_step = (
                f"Nobody acknowledged by {clock(due)} and the alert to {whom} "
                "has not gone out yet: call them."
            )
    elif any(a.escalated_at for a in alerts):
        next_step = "Not acknowledged in time: the alert was escalated."
    else:
        next_step = "The coordinators have been told; no acknowledgement is asked of them."
    return {"incident": incident.pk, "alerts": people, "next_step": next_step}


def escalation_recipients(alert: Alert) -> list[tuple[User | None, str]]:
    """(user, email) told when `alert` is not acknowledged in time."""
    recipients: list[tuple[User | None, str]] = []
    if alert.kind == AlertKind.OFFICER:
        supervisor = alert.officer.supervisor if alert.officer is not None else None
        if supervisor is not None:
            recipients.append((supervisor.user, supervisor.contact_email))
        # The program's coordinators and the school's district's.
        recipients += [(user, user.email) for user in User.objects.coordinators_for(alert.incident.school)]
        return recipients
    others = list(User.objects.coordinators_for(alert.incident.school).exclude(pk=alert.recipient_id))
    if not others:
        # Nobody else to turn to: tell the same coordinator again, louder.
        log.error("alert %s: no other coordinator or superuser to escalate to", alert.pk)
        return [(alert.recipient, alert.email)]
    return [(user, user.email) for user in others]


def pending_alerts_for(user: User) -> list[dict[str, Any]]:
    """`user`'s alerts not yet acknowledged (newest first, at most 10), for the banner every
    page shows: incident, school, place and level; no student data. One query."""
    from django.urls import reverse

    alerts = (
        Alert.objects.filter(
            recipient=user,
            acknowledged_at__isnull=True,
            created_at__gte=timezone.now() - datetime.timedelta(hours=24),
        )
        .exclude(incident__status="closed")
        .select_related("incident__school", "incident__category")
        .order_by("-created_at")[:10]
    )
    return [
        {
            "id": a.pk,
            "incident": a.incident_id,
            "title": f"{a.incident.category} at {a.incident.school}",
            "where": a.incident.get_location_display(),
            "level": a.get_level_display(),
            "url": a.incident.get_absolute_url(),
            "acknowledge_url": reverse("incidents:alert_acknowledge", args=[a.pk]),
        }
        for a in alerts
    ]


def what_will_happen(
    *, school: School, category: IncidentCategory, severity: str, today: datetime.date | None = None
) -> str:
    """In words, what logging this would do under the threshold table: who is alerted, with
    their phone, and how fast (for the report form, before it is sent)."""
    from schools.models import Assignment

    from .models import threshold_for

    level, minutes = threshold_for(category, severity)
    if level == InterventionLevel.SCHOOL:
        return "The school handles this: no SRO is involved (the program's agreement)."
    today = today or timezone.localdate()
    officers = {a.officer for a in Assignment.objects.sros_at(school, today)}
    if officers:
        names = ", ".join(
            f"{o}, on duty at {school}" + (f", {o.phone}" if o.phone else "")
            for o in sorted(officers, key=lambda o: o.pk)
        )
        who = f"{names} will be"
    else:
        who = f"No SRO is on duty at {school} today: the program coordinators will be"
    if level == InterventionLevel.IMMEDIATE:
        return f"{who} alerted at once. Call 911 now."
    if level == InterventionLevel.RESPONDS:
        return f"{who} asked to respond within {minutes} minutes; the coordinators are told."
    return f"{who} informed" + (f" and asked to acknowledge within {minutes} minutes." if minutes else ".")
