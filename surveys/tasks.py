"""Thin Celery tasks for surveys: they call services, which write the emails to the delivery
ledger. `today` is an ISO date (default: the district's today)."""

from __future__ import annotations

from celery import shared_task

from core.scheduling import task_day as _day

from . import services


@shared_task
def run_daily(today: str | None = None) -> int:
    """Beat, daily: invitations for surveys that opened, reminders, summaries of closed ones."""
    return services.run_daily(today=_day(today))
