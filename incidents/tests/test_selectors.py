"""Dashboard reads: right numbers, and a fixed number of queries however many incidents."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents import selectors
from incidents.models import Alert, Classification, ThreatAssessment
from incidents.services import acknowledge_alert, classify_threat

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
START, END = datetime.date(2025, 7, 1), datetime.date(2026, 6, 30)


def make_incidents(n, *, school, admin, log_incident, officer=None):
    for i in range(n):
        when = datetime.datetime(2025, 9 + (i % 3), 1 + i % 20, 14, tzinfo=UTC)
        with time_machine.travel(when, tick=False):
            incident = log_incident(
                school=school,
                reported_by=admin,
                occurred_at=when - datetime.timedelta(hours=1),
                category=["weapons", "conduct", "drugs"][i % 3],
                severity="moderate",
                **(
                    {"level_override": 2, "override_reason": "Sale to younger students"}
                    if i % 3 == 2 and i % 2 == 0
                    else {}
                ),
            )
        alert = incident.alerts.filter(kind="officer").first()
        if alert and officer and i % 2 == 0:
            Alert.objects.filter(pk=alert.pk).update(sent_at=when)
            with time_machine.travel(when + datetime.timedelta(minutes=2 + i), tick=False):
                alert.refresh_from_db()
                acknowledge_alert(alert=alert, user=officer)


ALL = [
    selectors.incident_counts,
    selectors.incidents_by_school,
    selectors.school_vs_sro_share,
    selectors.overrides,
    selectors.alert_response_stats,
    selectors.open_threats_by_level,
    selectors.overdue_steps,
]


def query_counts(schools):
    counts = []
    for selector in ALL:
        with CaptureQueriesContext(connection) as ctx:
            selector(schools, START, END)
        counts.append(len(ctx.captured_queries))
    return counts


def test_selectors_run_a_fixed_number_of_queries(admin_a, officer_a, school_a, school_b, log_incident):
    from schools.models import School

    schools = School.objects.all()
    make_incidents(6, school=school_a, admin=admin_a, log_incident=log_incident, officer=officer_a)
    few = query_counts(schools)
    make_incidents(30, school=school_a, admin=admin_a, log_incident=log_incident, officer=officer_a)
    assert query_counts(schools) == few
    assert max(few) <= 2


def test_selector_numbers(admin_a, officer_a, school_a, school_b, log_incident):
    from schools.models import School

    make_incidents(6, school=school_a, admin=admin_a, log_incident=log_incident, officer=officer_a)
    schools = School.objects.all()
    share = selectors.school_vs_sro_share(schools, START, END)
    # i = 0..5: weapons (0, 3) immediate; conduct (1, 4) school;
    # drugs (2, 5) informed, and 2 overridden to responds.
    assert share == {"total": 6, "school_alone": 2, "sro": 4, "sro_share": 4 / 6}
    by_school = selectors.incidents_by_school(schools, START, END)
    assert [(r["school"], r["count"], r["sro_count"]) for r in by_school] == [
        ("Alpha High School", 6, 4),
        ("Bravo Middle School", 0, 0),
    ]
    overrides = selectors.overrides(schools, START, END)
    assert overrides["total"] == 1 and overrides["raised"] == 1
    assert overrides["items"][0].override_reason == "Sale to younger students"
    counts = selectors.incident_counts(schools, START, END)
    bright = selectors.bright_line(schools, START, END, counts)
    assert {k: bright[k] for k in ("total", "school_alone", "sro", "conduct_with_sro")} == {
        "total": 6,
        "school_alone": 2,
        "sro": 4,
        "conduct_with_sro": 0,
    }
    assert (bright["overrides"], bright["raised"], bright["lowered"]) == (1, 1, 0)
    assert [i["override_reason"] for i in bright["override_items"]] == ["Sale to younger students"]
    months = selectors.incidents_by_month_and_category(counts)
    assert sum(r["count"] for r in months) == 6
    assert {r["month"] for r in months} == {
        datetime.date(2025, 9, 1),
        datetime.date(2025, 10, 1),
        datetime.date(2025, 11, 1),
    }
    levels = selectors.incidents_by_level_over_time(counts)
    assert sum(r["count"] for r in levels if r["level"] == 0) == 2
    stats = selectors.alert_response_stats(schools, START, END)
    # Officer alerts: i = 0, 2, 3, 5 (weapons and drugs); acknowledged when i is even: 0 (2 min), 2 (4 min).
    assert stats["count"] == 4 and stats["acknowledged"] == 2
    assert stats["median_minutes"] == pytest.approx(3.0)
    assert stats["p90_minutes"] == pytest.approx(3.8)  # interpolated between 2 and 4 minutes
    # Unacknowledged alerts are past due now; none of the acknowledged ones was late (targets 5 and 30 min).
    assert stats["missed"] == 2


def test_threat_selectors(admin_a, school_a):
    with time_machine.travel(datetime.datetime(2025, 10, 1, 16, tzinfo=UTC), tick=False):
        for classification in ["transient", "serious", "serious", "very_serious"]:
            t = ThreatAssessment.objects.create(
                school=school_a,
                student="X",
                reported_on=datetime.date(2025, 10, 1),
                threat="x",
                created_by=admin_a,
            )
            classify_threat(assessment=t, classification=classification, by=admin_a)
    from schools.models import School

    by_level = {
        r["classification"]: r["count"]
        for r in selectors.open_threats_by_level(School.objects.all(), START, END)
    }
    assert by_level == {
        Classification.TRANSIENT: 1,
        Classification.SERIOUS: 2,
        Classification.VERY_SERIOUS: 1,
    }
    overdue = selectors.overdue_steps(School.objects.all(), START, END)
    assert overdue["count"] == 3 + 5 + 5 + 7


def test_incidents_by_school_groups_the_windows_incidents_in_two_queries(
    admin_a, officer_a, school_a, school_b, log_incident, django_assert_num_queries
):
    from schools.models import School

    make_incidents(6, school=school_a, admin=admin_a, log_incident=log_incident, officer=officer_a)
    with django_assert_num_queries(2) as ctx:
        rows = selectors.incidents_by_school(School.objects.all(), START, END)
    grouped = ctx.captured_queries[0]["sql"]
    # The window's incidents grouped by school; never the schools joined to every incident.
    assert "GROUP BY" in grouped and "schools_school" not in grouped.split("WHERE")[0]
    assert [(r["school"], r["count"], r["sro_count"]) for r in rows] == [
        ("Alpha High School", 6, 4),
        ("Bravo Middle School", 0, 0),
    ]


def test_incident_counts_put_each_incident_in_its_local_month(admin_a, school_a, school_b, log_incident):
    """Months are the program's time zone's: an incident a minute before local midnight on a
    month's last day is that month's, one at midnight the next month's, across a change of
    clocks (New York left daylight time on 2 November 2025) and in a window starting mid-month.
    With no schools given (None), every school's incidents count."""
    from zoneinfo import ZoneInfo

    from schools.models import School

    ny = ZoneInfo("America/New_York")
    times = [
        datetime.datetime(2025, 8, 20, 12, tzinfo=ny),
        datetime.datetime(2025, 10, 31, 23, 59, tzinfo=ny),
        datetime.datetime(2025, 11, 1, 0, 0, tzinfo=ny),
        datetime.datetime(2025, 11, 30, 23, 59, tzinfo=ny),
        datetime.datetime(2025, 12, 1, 0, 0, tzinfo=ny),
        datetime.datetime(2026, 3, 31, 23, 59, tzinfo=ny),
    ]
    for i, when in enumerate(times):
        with time_machine.travel(when + datetime.timedelta(hours=1), tick=False):
            log_incident(school=school_a if i % 2 else school_b, reported_by=admin_a, occurred_at=when)

    def months(schools, start, end):
        counted: dict[datetime.date, int] = {}
        for r in selectors.incident_counts(schools, start, end):
            counted[r["month"]] = counted.get(r["month"], 0) + r["count"]
        return counted

    assert months(None, START, END) == {
        datetime.date(2025, 8, 1): 1,
        datetime.date(2025, 10, 1): 1,
        datetime.date(2025, 11, 1): 2,
        datetime.date(2025, 12, 1): 1,
        datetime.date(2026, 3, 1): 1,
    }
    assert months(School.objects.filter(pk=school_a.pk), START, END) == {
        datetime.date(2025, 10, 1): 1,
        datetime.date(2025, 11, 1): 1,
        datetime.date(2026, 3, 1): 1,
    }
    mid = months(None, datetime.date(2025, 8, 15), datetime.date(2025, 11, 30))
    assert mid == {datetime.date(2025, 8, 1): 1, datetime.date(2025, 10, 1): 1, datetime.date(2025, 11, 1): 2}
