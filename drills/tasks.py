"""Thin Celery tasks: ids in, services out. `today` is an ISO date so a test (or an operator
catching up) can run a given day; by default it is the district's today."""

from __future__ import annotations

from celery import shared_task

from core.scheduling import SEND_RETRY as RETRY
from core.scheduling import task_day as _day

from . import services


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
