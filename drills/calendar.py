"""iCalendar (RFC 5545) feeds of drills, for calendar apps to subscribe to."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar, Event

from core.validators import one_line

from .models import Drill

DEFAULT_MINUTES = 30


def drill_uid(drill: Drill) -> str:
    # Stable for the life of the drill, whatever is edited, so apps update the same event.
    host = settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "sro-program"
    return f"drill-{drill.pk}@{host}"


def build_calendar(drills: Iterable[Drill], *, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//SRO Program Manager//Drills//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", one_line(name))
    for drill in drills:
        start = drill.when
        if start is None:  # a drill has a scheduled or a conducted time (DrillForm.clean)
            continue
        event = Event()
        event.add("uid", drill_uid(drill))
        event.add("dtstamp", drill.updated_at)
        event.add("last-modified", drill.updated_at)
        event.add("dtstart", start)
        event.add("dtend", start + datetime.timedelta(minutes=drill.duration_minutes or DEFAULT_MINUTES))
        done = " (conducted)" if drill.is_conducted else ""
        # Names are checked on input (core.validators), but a feed must never fail for what
        # is stored: rows loaded in bulk or before the check are made one line here.
        school = one_line(drill.school.name)
        event.add("summary", f"{drill.get_drill_type_display()} drill: {school}{done}")
        event.add("location", one_line(drill.school.address) or school)
        event.add("status", "CONFIRMED")
        event.add("url", f"{settings.SITE_URL}{drill.get_absolute_url()}")
        cal.add_component(event)
    return cal.to_ical()
