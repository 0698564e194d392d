"""Thin Celery tasks for surveys. `today` is an ISO date (default: the district's today)."""

from __future__ import annotations

import datetime

from celery import shared_task

from core.scheduling import SEND_RETRY as RETRY
from core.scheduling import task_day as _day

from . import services
from .models import Survey


@shared_task
def run_daily(today: str | None = None) -> int:
    """Beat, daily: invitations for surveys that opened, reminders, summaries of closed ones."""
    day = _day(today)
    queued = 0
    for survey_id in Survey.objects.open_on(day).values_list("pk", flat=True):
        send_invitations.delay(survey_id, day.isoformat())
        send_reminders.delay(survey_id, day.isoformat())
        queued += 2
    recently_closed = Survey.objects.launched().filter(
        closes_on__lt=day, closes_on__gte=day - datetime.timedelta(days=30)
    )
    for survey_id in recently_closed.values_list("pk", flat=True):
        send_close_summary.delay(survey_id, day.isoformat())
        queued += 1
    return queued


@shared_task(**RETRY)
def send_invitations(survey_id: int, today: str | None = None) -> int:
    return services.send_invitations(survey_id=survey_id, today=_day(today))


@shared_task(**RETRY)
def send_reminders(survey_id: int, today: str | None = None) -> int:
    return services.send_reminders(survey_id=survey_id, today=_day(today))


@shared_task(**RETRY)
def send_close_summary(survey_id: int, today: str | None = None) -> int:
    return services.send_close_summary(survey_id=survey_id, today=_day(today))
