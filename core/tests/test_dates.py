"""One date and time format everywhere (core/templatetags/dates.py): "Tue 1 Dec 2026, 5:07 pm"
for a moment, "Tue 1 Dec 2026" for a day, in the district's time zone, on pages and in emails.
Templates write ISO only where a machine reads it: a <time datetime>, a link, a date input."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core.templatetags.dates import clock, day, moment

TEMPLATES = Path(settings.BASE_DIR) / "templates"
UTC = datetime.UTC


def test_a_moment_reads_the_same_everywhere_in_the_districts_time_zone():
    assert moment(datetime.datetime(2026, 12, 1, 22, 7, tzinfo=UTC)) == "Tue 1 Dec 2026, 5:07 pm"
    assert clock(datetime.datetime(2026, 12, 1, 17, 0, tzinfo=UTC)) == "12:00 pm"  # noon in New York
    assert clock(datetime.datetime(2026, 12, 2, 5, 30, tzinfo=UTC)) == "12:30 am"
    assert moment(None) == day(None) == clock(None) == ""


def test_a_day_of_a_moment_is_the_districts_day_and_a_date_shows_as_a_day():
    late_evening = datetime.datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # 10 pm on the 1st in New York
    assert day(late_evening) == "Tue 1 Dec 2026"
    assert day(datetime.date(2027, 3, 14)) == moment(datetime.date(2027, 3, 14)) == "Sun 14 Mar 2027"


MACHINE_READABLE = re.compile(
    r"""(?:datetime="\{\{ [^}|]+\|date:'c' \}\}"""
    r"""|(?:href|value)="[^"]*\{\{ [^}|]+\|date:'Y-m-d' \}\})"""
)


def test_templates_format_dates_only_through_the_date_filters():
    strays = []
    for path in sorted(TEMPLATES.rglob("*")):
        if not path.is_file():
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            allowed = MACHINE_READABLE.sub("", line)
            if re.search(r"\|date\b|\|time\b|naturaltime|naturalday|timesince|timeuntil", allowed):
                strays.append(f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()[:120]}")
    assert strays == [], "format dates with |moment, |day or |clock (core/templatetags/dates.py)"


@pytest.mark.django_db
def test_a_note_shows_its_day_and_when_it_was_filed_in_the_one_format(officer_a, officer_a_client, school_a):
    from officers.models import ActivityNote

    note = ActivityNote.objects.create(
        officer=officer_a.officer, school=school_a, date=datetime.date(2026, 11, 30), category="patrol",
        minutes=30, follow_up=True, follow_up_date=datetime.date(2026, 12, 4),
        created_at=datetime.datetime(2026, 12, 1, 22, 7, tzinfo=UTC),
    )  # fmt: skip
    page = officer_a_client.get(reverse("officers:note_detail", args=[note.pk])).content.decode()
    assert "<title>Activity note, Mon 30 Nov 2026 · " in page
    assert "By Fri 4 Dec 2026" in page
    assert "Tue 1 Dec 2026, 5:07 pm" in page
    assert "Nov. 30, 2026" not in page and "Dec. 1, 2026" not in page  # Django's own format


@pytest.mark.django_db
def test_the_threat_checklist_says_when_each_step_is_due_in_the_one_format(admin_a_client, admin_a, school_a):
    from incidents.models import ThreatAssessment

    threat = ThreatAssessment.objects.create(
        school=school_a, student="S-1", reported_on=datetime.date(2026, 12, 1), threat="Said it.",
        created_by=admin_a,
    )  # fmt: skip
    page = admin_a_client.get(reverse("incidents:threat_detail", args=[threat.pk])).content.decode()
    assert "Tue 1 Dec 2026 by " in page
    assert "2026-12-01" not in page
