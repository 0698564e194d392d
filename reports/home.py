"""A school administrator's home page: what needs them today at their schools."""

from __future__ import annotations

import datetime

from django.utils import timezone

from drills.models import Drill
from incidents.models import Alert, AlertKind, Incident, Status, ThreatAction, ThreatStatus

# What the page shows of an alert: its incident's category and school, the officer alerted
# (an officer alert always names one), and when it was sent, is due and was escalated.
ALERT_SHOWN = (
    "created_at",
    "due_at",
    "escalated_at",
    "officer_id",
    "incident__school__name",
    "incident__category__name",
    "officer__rank",
    "officer__first_name",
    "officer__last_name",
)


def admin_home(*, user, today: datetime.date | None = None) -> dict:
    """Open incidents, alerts not yet acknowledged, drills coming up and threat-assessment
    steps due, at the administrator's schools. A fixed number of queries, each reading only
    the columns the page shows (the rows' every column took longer to build into SQL than
    the database took to answer)."""
    today = today or timezone.localdate()
    now = timezone.now()
    # The page lists the schools; the alerts, drills and steps are those at the schools read
    # for it, by id (as a subquery of the administrator's schools each was planned with two
    # more joins: ~0.4 ms a query on the large district).
    schools = list(user.schools_in_scope().order_by("name"))
    school_ids = [school.pk for school in schools]
    open_incidents = list(
        Incident.objects.visible_to(user)
        .exclude(status=Status.CLOSED)
        .select_related("school", "category")
        .only("occurred_at", "status", "school__name", "category__name")
        .order_by("-occurred_at")[:10]
    )
    waiting_alerts = list(
        Alert.objects.filter(
            incident__school_id__in=school_ids,
            kind=AlertKind.OFFICER,
            acknowledged_at__isnull=True,
            created_at__gte=now - datetime.timedelta(days=2),
        )
        .select_related("incident__school", "incident__category", "officer")
        .only(*ALERT_SHOWN)
        .order_by("due_at")[:10]
    )
    drills = list(
        Drill.objects.scheduled()
        .filter(
            school_id__in=school_ids, scheduled_at__date__range=(today, today + datetime.timedelta(days=14))
        )
        .select_related("school")
        .only("drill_type", "scheduled_at", "school__name")
        .order_by("scheduled_at")[:10]
    )
    steps = list(
        ThreatAction.objects.filter(
            assessment__school_id__in=school_ids,
            assessment__status=ThreatStatus.OPEN,
            required=True,
            done_at__isnull=True,
            due_date__lte=today + datetime.timedelta(days=7),
        )
        .select_related("assessment__school")
        .only("kind", "due_date", "assessment__school__name")
        .order_by("due_date")[:10]
    )
    return {
        "today": today,
        "schools": schools,
        "open_incidents": open_incidents,
        "waiting_alerts": waiting_alerts,
        "drills": drills,
        "steps": steps,
    }
