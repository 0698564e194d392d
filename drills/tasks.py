"""Thin Celery tasks: ids in, services out. `today` is an ISO date so a test (or an operator
catching up) can run a given day; by default it is the district's today."""

from __future__ import annotations

import datetime
import smtplib

from celery import shared_task
from django.utils import timezone

from . import services

RETRY = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 6,
}


def _day(today: str | None) -> datetime.date:
    return datetime.date.fromisoformat(today) if today else timezone.localdate()


@shared_task
def queue_drill_reminders(today: str | None = None) -> int:
    """Beat, daily: one task per drill with a 7-day, 1-day or overdue reminder due."""
    day = _day(today)
    due = services.due_drill_reminders(today=day)
    for drill_id, kind in due:
        send_drill_reminder.delay(drill_id, kind, day.isoformat())
    return len(due)


@shared_task(**RETRY)
def send_drill_reminder(drill_id: int, kind: str, today: str | None = None) -> int:
    return services.send_drill_reminder(drill_id=drill_id, kind=kind, today=_day(today))


@shared_task(**RETRY)
def warn_at_risk_schools(today: str | None = None) -> int:
    return services.send_at_risk_warnings(today=_day(today))


@shared_task(**RETRY)
def send_district_digest(today: str | None = None) -> int:
    return services.send_district_digest(today=_day(today))
