"""One way to show a moment or a day everywhere: "Tue 1 Dec 2026, 5:07 pm" and "Tue 1 Dec 2026"
(in the district's time zone). CSV exports keep ISO dates."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

register = template.Library()


def moment(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{day(local.date())}, {clock(local)}"


def day(value: datetime.date | None) -> str:
    if value is None:
        return ""
    return f"{value:%a} {value.day} {value:%b %Y}"


def clock(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    hour = local.hour % 12 or 12
    return f"{hour}:{local:%M} {'am' if local.hour < 12 else 'pm'}"


register.filter("moment", moment)
register.filter("day", day)
register.filter("clock", clock)
