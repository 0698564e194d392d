"""Calendar arithmetic several apps share."""

from __future__ import annotations

import datetime


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first day of every month from start's to end's, both included."""
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months
