"""An auditor's hand count of a school's §807 drill compliance against Education Law §807(1)
as the README quotes it: "Such drills shall be held at least twelve times in each school
year, eight of which required drills shall be held between September first and December
thirty-first of each such year. Eight of all such drills shall be evacuation drills, four of
which shall be through use of ... identified secondary means of egress. Four of all such
required drills shall be lock-down drills. Drills shall be conducted at different times of
the school day. ... At least two additional drills shall be held during summer school in
buildings where summer school is conducted, and one of such drills shall be held during the
first week of summer school."

School year 2025-26 at Alpha High School (America/New_York), summer school 7 July - 8 August
2025 (its first week ends 13 July). Every expected figure was counted by hand from `YEAR`."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from drills.compliance import Status
from drills.models import Drill, DrillType, SummerSession
from drills.selectors import compliance_by_school, compliance_for_school

pytestmark = pytest.mark.django_db
NY = zoneinfo.ZoneInfo("America/New_York")
E, S, L, BUS = (
    DrillType.EVACUATION,
    DrillType.EVACUATION_SECONDARY,
    DrillType.LOCKDOWN,
    DrillType.BUS_EVACUATION,
)

# (local date and time, type, lunch or assembly)
YEAR = [
    (datetime.datetime(2025, 7, 8, 10), E, ""),  # summer school, first week
    (datetime.datetime(2025, 7, 10, 10), BUS, ""),  # summer school, first week: not a §807 drill
    (datetime.datetime(2025, 7, 22, 10), E, ""),  # summer school
    (datetime.datetime(2025, 8, 28, 9, 30), E, ""),  # before September 1
    (datetime.datetime(2025, 9, 8, 8, 30), E, ""),
    (datetime.datetime(2025, 9, 15, 10), S, ""),
    (datetime.datetime(2025, 9, 22, 12), L, "lunch"),
    (datetime.datetime(2025, 10, 6, 14), S, ""),
    (datetime.datetime(2025, 10, 20, 10), E, ""),
    (datetime.datetime(2025, 11, 3, 10), S, ""),
    (datetime.datetime(2025, 12, 1, 10), E, ""),
    # The deadline day, in the evening: 1 January 00:30 in UTC.
    (datetime.datetime(2025, 12, 31, 19, 30), S, ""),
    (datetime.datetime(2026, 1, 12, 10), L, ""),
    (datetime.datetime(2026, 2, 9, 10), L, ""),
    (datetime.datetime(2026, 3, 9, 10), L, ""),
    (datetime.datetime(2026, 4, 13, 10), E, ""),
]

# (requirement, hand count, why)
CASES = [
    ("At least 12 drills", "12: 8 evacuations + 4 lockdowns from 1 September", "the twelve (§807(1))"),
    (
        "8 drills between September 1 and December 31",
        "8, the last on 31 December at 19:30 (stored 1 January UTC)",
        "the deadline day counts, by its local date",
    ),
    ("8 evacuation drills", "8 (4 plain, 4 by secondary exits)", "secondary-exit drills are evacuations"),
    ("4 evacuation drills using secondary exits", "4", "§807(1)"),
    ("4 lockdown drills", "4", "§807(1)"),
    (
        "Drills at 3 different times of the school day",
        "4 times of day",
        "before 9, 9-11:29, 11:30-13:29, later",
    ),
    ("1 drill held during a lunch period or assembly", "1 (the lockdown of 22 September)", "§807(1)"),
    (
        "2 drills in summer school",
        "2 (the evacuations of 8 and 22 July; not the bus evacuation of 10 July)",
        "'two additional drills': more of the same evacuation and lock-down drills",
    ),
    ("1 drill in the first week of summer school", "1 (the evacuation of 8 July)", "as above"),
    (
        "the evacuation of 28 August",
        "counted in none of the above",
        "the twelve are counted from 1 September",
    ),
]


def log(school, entries):
    for when, drill_type, lunch in entries:
        Drill.objects.create(
            school=school,
            drill_type=drill_type,
            conducted_at=when.replace(tzinfo=NY),
            duration_minutes=10,
            lunch_or_assembly=lunch,
        )


@pytest.fixture
def summer(school_a):
    return SummerSession.objects.create(
        school=school_a,
        school_year=2025,
        start_date=datetime.date(2025, 7, 7),
        end_date=datetime.date(2025, 8, 8),
    )


def done(row):
    return {r.requirement.label: (r.done, r.status) for r in row.results}


@time_machine.travel("2026-07-01 09:00 -04:00", tick=False)
def test_a_full_year_counted_by_hand(school_a, summer):
    """Hand count in CASES: every requirement met, so the school is complete once the year
    is over; the drill of 28 August is in none of the counts."""
    log(school_a, YEAR)
    row = compliance_for_school(school_a, 2025)
    complete = Status.COMPLETE
    assert done(row) == {
        "At least 12 drills in the school year": (12, complete),
        "8 drills between September 1 and December 31": (8, complete),
        "8 evacuation drills": (8, complete),
        "4 evacuation drills using secondary exits": (4, complete),
        "4 lockdown drills": (4, complete),
        "Drills at 3 different times of the school day": (4, complete),
        "1 drill held during a lunch period or assembly (or its procedure taught)": (1, complete),
        "2 drills in summer school": (2, complete),
        "1 drill in the first week of summer school": (1, complete),
    }
    assert (row.status, row.reason) == (complete, "All 9 requirements met.")
    assert row.conducted == 16


@time_machine.travel("2025-12-31 12:00 -05:00", tick=False)
def test_on_the_deadline_day_one_drill_short_is_on_track_for_one_more_week(school_a, summer):
    """§807(1): eight "between September first and December thirty-first": on 31 December, with
    7 of them done, the day itself is left (one drill that day meets it)."""
    log(school_a, [entry for entry in YEAR if entry[0] < datetime.datetime(2025, 12, 31)])
    eight = next(
        r for r in compliance_for_school(school_a, 2025).results if r.requirement.label.startswith("8 drills")
    )
    assert (eight.done, eight.status) == (7, Status.ON_TRACK)
    assert eight.reason == (
        "8 drills between September 1 and December 31: 7 of 8 done; 1 more by Wed 31 Dec 2025 (1 week left)."
    )


@time_machine.travel("2026-01-01 09:00 -05:00", tick=False)
def test_the_day_after_the_deadline_the_page_says_what_is_missing_and_by_when(
    school_a, summer, admin_a_client
):
    """Seven drills by 31 December: out of compliance from 1 January, and the school's page
    says which requirement, how many and the date."""
    log(school_a, [entry for entry in YEAR if entry[0] < datetime.datetime(2025, 12, 31)])
    page = admin_a_client.get(reverse("drills:school", args=[school_a.pk]), {"year": 2025}).text
    assert "Out of compliance" in page
    assert "only 7 of 8 drills by Wed 31 Dec 2025; the deadline has passed." in page
    [row] = compliance_by_school(2025, schools=[school_a])
    assert row.status == Status.OUT_OF_COMPLIANCE


@time_machine.travel("2026-01-02 09:00 -05:00", tick=False)
def test_a_drill_late_on_the_deadline_day_counts_for_that_day(school_a, summer):
    """The drill of 31 December at 19:30 New York time is stored as 1 January 00:30 UTC; it
    was held on the deadline day, so the eight are met."""
    log(school_a, [entry for entry in YEAR if entry[0] < datetime.datetime(2026, 1, 1)])
    eight = next(
        r for r in compliance_for_school(school_a, 2025).results if r.requirement.label.startswith("8 drills")
    )
    assert (eight.done, eight.status) == (8, Status.COMPLETE)


def test_summer_school_dates_belong_to_the_school_year_they_are_entered_for(admin_a_client, school_a):
    """§807's summer drills and the CRDC's "not including ... summer" both read a school
    year's summer school, and a school year runs "July 1st through June 30th" (NYSED's SSEC
    page, as the README quotes it). The summer after 2025-26 (July 2026) is 2026-27's: typed
    on the 2025-26 page, its drills counted nowhere (2025-26 said "0 of 2" for drills held in
    July 2026) and the CRDC of 2026-27 counted that summer's incidents. The form refuses it;
    the same dates entered for 2026-27 count that summer's drills."""
    url = reverse("drills:summer", args=[school_a.pk])
    july_2026 = {"start_date": "2026-07-06", "end_date": "2026-08-07"}
    refused = admin_a_client.post(f"{url}?year=2025", july_2026)
    assert "Summer school of 2025-26 is between Tue 1 Jul 2025 and Tue 30 Jun 2026" in refused.text
    assert not SummerSession.objects.exists()
    assert admin_a_client.post(f"{url}?year=2026", july_2026).status_code == 302
    log(school_a, [(datetime.datetime(2026, 7, 7, 10), E, ""), (datetime.datetime(2026, 7, 20, 10), L, "")])
    with time_machine.travel("2026-08-10 09:00 -04:00", tick=False):
        summer = done(compliance_for_school(school_a, 2026))
    assert summer["2 drills in summer school"] == (2, Status.COMPLETE)
    assert summer["1 drill in the first week of summer school"] == (1, Status.COMPLETE)


@time_machine.travel("2026-07-01 09:00 -04:00", tick=False)
def test_each_requirement_says_how_it_was_met(school_a, summer):
    """The reasons on the school's page read as sentences: one drill is "1 drill"."""
    log(school_a, YEAR)
    reasons = {r.requirement.label: r.reason for r in compliance_for_school(school_a, 2025).results}
    assert reasons["1 drill in the first week of summer school"] == (
        "1 drill in the first week of summer school: met (1 drill)."
    )
    assert reasons["4 lockdown drills"] == "4 lockdown drills: met (4 drills)."
    assert reasons["Drills at 3 different times of the school day"].endswith(
        "met (4 different times of day)."
    )
