"""Thin Celery tasks: they call services, which write reminders to the delivery ledger.
`today` is an ISO date so a test (or an operator catching up) can run a given day; by default
it is the district's today."""

from __future__ import annotations

from celery import shared_task

from core.scheduling import task_day as _day

from . import services


@shared_task
def queue_drill_reminders(today: str | None = None) -> int:
    """Beat, daily: the 7-day, 1-day and overdue reminders due today."""
    return services.queue_drill_reminders(today=_day(today))


@shared_task
def warn_at_risk_schools(today: str | None = None) -> int:
    return services.send_at_risk_warnings(today=_day(today))


@shared_task
def send_district_digest(today: str | None = None) -> int:
    return services.send_district_digest(today=_day(today))
