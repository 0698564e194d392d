"""Reads of the delivery ledger for the coordinators' page and for monitoring, and of the audit
trail."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from incidents.selectors import late_escalations

from .models import Delivery, DeliveryQuerySet, DeliveryStatus

Pick = Callable[[DeliveryQuerySet, datetime.datetime], "QuerySet[Delivery]"]

SHOW: dict[str, Pick] = {
    # Not made within its alert's response window (still waiting, or made late).
    "overdue": lambda qs, now: qs.overdue(now),
    "failed": lambda qs, now: qs.filter(status=DeliveryStatus.FAILED),
    "retrying": lambda qs, now: qs.filter(status__in=[DeliveryStatus.RETRYING, DeliveryStatus.SENDING]),
}


def delivery_health() -> dict[str, int]:
    now = timezone.now()
    waiting = Delivery.objects.not_made()
    return {
        "overdue": waiting.filter(due_at__lt=now).count(),
        "pending": waiting.exclude(status=DeliveryStatus.FAILED).count(),
        "failed": Delivery.objects.filter(status=DeliveryStatus.FAILED).count(),
        # Alerts nobody acknowledged whose escalation is late: beat or the alerts worker is down.
        "escalations_late": late_escalations(now),
    }


def deliveries_to_review(show: str) -> tuple[QuerySet[Delivery], dict[str, int]]:
    now = timezone.now()
    base = Delivery.objects.select_related("recipient")
    rows = SHOW.get(show, SHOW["overdue"])(base, now).order_by("-created_at", "-pk")
    counts = {name: pick(Delivery.objects.all(), now).count() for name, pick in SHOW.items()}
    counts["escalations_late"] = late_escalations(now)
    return rows, counts


def audited_content_types() -> QuerySet[ContentType]:
    """The record types the audit trail has entries of. One index probe per content type (a
    few dozen), where DISTINCT over the entries read every one of them (230 ms at 1,000,000)."""
    entries = LogEntry.objects.filter(content_type=OuterRef("pk"))
    return ContentType.objects.filter(Exists(entries)).order_by("app_label", "model")
