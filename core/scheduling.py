"""What every app's Celery tasks share."""

from __future__ import annotations

import datetime

from django.utils import timezone


def task_day(today: str | None) -> datetime.date:
    """Tasks take the day as an ISO string so a test, or an operator catching up, can run a
    given day; by default it is the district's today."""
    return datetime.date.fromisoformat(today) if today else timezone.localdate()
