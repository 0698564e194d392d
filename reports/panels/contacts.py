"""Police contacts: arrests and uses of force with no recorded parent notification."""

from __future__ import annotations

import datetime

from django.utils import timezone

from contacts import selectors
from contacts.models import PoliceContact
from core.csv_export import ChoiceLabels
from core.links import record_urls
from core.queries import at_schools

from ..filters import DashboardFilters
from ..tiles import Link, Table, Tile, list_url, plural


def _tile(count: int, rows: list[PoliceContact]) -> Tile:
    if count:
        answer = (
            f"{plural(count, 'arrest or use of force', 'arrests or uses of force')} with no parent or "
            "guardian notification recorded. Notify them and record when."
        )
    else:
        answer = "Yes: every arrest and use of force has a recorded parent notification."
    urls = record_urls("contacts:detail", (c.pk for c in rows))
    display = ChoiceLabels(PoliceContact, "kind")
    return Tile(
        key="parent-notice",
        title="Parents told of every arrest and use of force?",
        answer=answer,
        figures=[("Without a recorded notification", count)],
        table=Table(
            caption="Arrests and uses of force without a recorded parent notification, latest first",
            columns=["When", "Kind", "School", "Student"],
            rows=[
                [
                    Link(f"{timezone.localtime(c.occurred_at):%Y-%m-%d %H:%M}", url),
                    display(c, "kind"),
                    c.school.name,
                    c.student_identifier,
                ]
                for c, url in zip(rows, urls, strict=True)
            ],
        ),
        link=list_url("contacts:list", {"notice": "due"}),
    )


def parent_notice_tile(filters: DashboardFilters) -> Tile:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(filters.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(filters.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    contacts = at_schools(PoliceContact.objects.between(start, end), filters.school_scope)
    return _tile(*selectors.parent_notice_due(contacts))


def officer_parent_notice_tile(*, officer, today: datetime.date) -> Tile:
    return _tile(*selectors.parent_notice_due(PoliceContact.objects.filter(officer=officer)))
