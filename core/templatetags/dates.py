"""One way to show a moment or a day everywhere: "Tue 1 Dec 2026, 5:07 pm" and "Tue 1 Dec 2026"
(in the district's time zone), in pages and emails alike; tests/test_dates.py keeps templates
from formatting dates any other way. Machine-readable dates stay ISO: `|date:"c"` in a
`<time datetime>`, `|date:"Y-m-d"` in links and date inputs, and CSV exports."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

register = template.Library()


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def moment(value: datetime.date | None) -> str:
    """ "Tue 1 Dec 2026, 5:07 pm"; a date without a time shows as a day."""
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime.datetime):
        return day(value)
    local = _local(value)
    return f"{day(local.date())}, {clock(local)}"


def day(value: datetime.date | None) -> str:
    """ "Tue 1 Dec 2026"; a moment shows its day in the district's time zone."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value).date()
    return f"{value:%a} {value.day} {value:%b %Y}"


def clock(value: datetime.datetime | None) -> str:
    """ "5:07 pm"."""
    if value is None or value == "":
        return ""
    local = _local(value)
    hour = local.hour % 12 or 12
    return f"{hour}:{local:%M} {'am' if local.hour < 12 else 'pm'}"


register.filter("moment", moment)
register.filter("day", day)
register.filter("clock", clock)
