"""What every app's Celery tasks share."""

from __future__ import annotations

import datetime
import smtplib

from django.utils import timezone

# Options for a task that sends mail: a refused or unreachable mail server is retried with
# backoff (send_once released its claim, so the retry sends; a success is never repeated).
SEND_RETRY = {
    "autoretry_for": (smtplib.SMTPException, OSError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 6,
}


def task_day(today: str | None) -> datetime.date:
    """Tasks take the day as an ISO string so a test, or an operator catching up, can run a
    given day; by default it is the district's today."""
    return datetime.date.fromisoformat(today) if today else timezone.localdate()
