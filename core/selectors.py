"""Reads of the delivery ledger for the coordinators' page and for monitoring."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import QuerySet
from django.utils import timezone

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
    }


def deliveries_to_review(show: str) -> tuple[QuerySet[Delivery], dict[str, int]]:
    now = timezone.now()
    base = Delivery.objects.select_related("recipient")
    rows = SHOW.get(show, SHOW["overdue"])(base, now).order_by("-created_at", "-pk")
    counts = {name: pick(Delivery.objects.all(), now).count() for name, pick in SHOW.items()}
    return rows, counts
