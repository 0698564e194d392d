"""An auditor's hand count of the NY SSEC summary, category by category, against NYSED's
question 1 as the README quotes it: "Incidents in the 9 categories listed below that occur on
school property or during a school-sponsored function off grounds are reportable in all
circumstances, whether the offender is known or unknown", and the SSEC page: "the current
school year and summer months (July 1st through June 30th), including the summer school
session". School year 2025-26, America/New_York, the seeded mapping. Every expected figure
was counted by hand from the incidents in `audit` before the summary was run."""

import csv
import datetime
import io
import re
import zoneinfo

import pytest
from django.urls import reverse

from incidents.reports import ssec_summary
from incidents.services import correct_incident

pytestmark = pytest.mark.django_db
NY = zoneinfo.ZoneInfo("America/New_York")

# (case, hand count, why)
CASES = [
    (
        "homicide at A, nobody identified",
        "A 1 = 1, offenders 0",
        "reportable whether the offender is known or unknown",
    ),
    ("forcible sex offense at A, 1 offender, 1 victim", "A 2a = 1", "2a"),
    ("sexual offense at A", "A 2b = 1", "2b"),
    (
        "assault, minor injury, firearm, at A: 2 student offenders, 1 visitor offender, "
        "1 student victim, 1 staff victim, 1 witness",
        "A 3a = 1, weapon 1, offenders 3, victims 2",
        "offenders and targets/victims of each incident, whoever they are; witnesses are neither",
    ),
    ("assault, serious injury, at A", "A 3b += 1", "3b"),
    ("assault logged minor, corrected to serious", "A 3b += 1 (3b = 2), 3a unchanged", "as corrected"),
    ("knife found in a routine security check at A", "A 4a = 1, weapon 1", "4a"),
    ("weapons possession (knife) at A", "A 4b = 1, weapon 1", "4b"),
    ("bullying in a hallway at A", "A 5a = 1", "5a"),
    ("bullying online and an 'other threat' online at A", "A 5b = 2", "5b; documented rule for threats"),
    ("bomb threat, false alarm, alcohol at A", "A 6, 7, 9 = 1 each", "one category each"),
    ("drugs with a knife at A", "A 8 += 1, weapon += 1", "a weapon in another category"),
    ("weapons (knife) logged, category corrected to drugs", "A 8 = 2, weapon 2; 4b stays 1", "as corrected"),
    ("a fight and a theft at A", "nowhere", "code-of-conduct categories are not SSEC"),
    ("alcohol logged at A, school corrected to B", "B 9 = 1, A 9 = 1 (its own)", "counted where it now is"),
    ("bomb threat during summer school, 20 July 2025, at B", "B 6 = 1", "summer school included"),
    ("false alarm at B, 30 June 2026 23:30 New York (1 July UTC)", "B 7 = 1", "the year ends local midnight"),
    ("false alarm at B, 1 July 2026 00:30 New York", "not in 2025-26", "next year"),
    ("drugs on the school bus at B", "B 8 = 1", "a school bus is school property (Education Law §11(1))"),
    (
        "weapons (knife) at B, 'off campus, at a school-sponsored event'",
        "B 4b = 1, weapon 1",
        "reportable: 'during a school-sponsored function off grounds'",
    ),
    (
        "weapons (knife) at B, 'off campus, elsewhere (with a school nexus)'",
        "nowhere",
        "neither on school property nor at a school-sponsored function",
    ),
    (
        "All schools",
        "incidents 16 + 5 = 21, weapon 5 + 1 = 6, offenders 4, victims 3",
        "the sum of the schools",
    ),
]


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=NY)


@pytest.fixture
def audit(school_a, school_b, admin_a, admin_b, log_incident, categories):
    def log(school, category, when, **extra):
        admin = admin_a if school == school_a else admin_b
        return log_incident(school=school, reported_by=admin, category=category, occurred_at=when, **extra)

    a, b = school_a, school_b
    log(a, "homicide", at(2025, 9, 2, 10))
    log(
        a,
        "forcible_sex_offense",
        at(2025, 9, 3, 10),
        people=[
            {"local_id_or_initials": "S1", "role": "offender", "grade": "11"},
            {"local_id_or_initials": "S2", "role": "victim", "grade": "10"},
        ],
    )
    log(a, "sexual_offense", at(2025, 9, 4, 10))
    log(
        a,
        "assault_injury",
        at(2025, 9, 5, 10),
        injuries="minor",
        weapon_type="firearm",
        people=[
            {"local_id_or_initials": "S3", "role": "offender", "grade": "11"},
            {"local_id_or_initials": "S4", "role": "offender", "grade": "11"},
            {"kind": "visitor", "local_id_or_initials": "V1", "role": "offender"},
            {"local_id_or_initials": "S5", "role": "victim", "grade": "9"},
            {"kind": "staff", "local_id_or_initials": "T1", "role": "victim"},
            {"local_id_or_initials": "S6", "role": "witness", "grade": "9"},
        ],
    )
    log(a, "assault_injury", at(2025, 9, 8, 10), injuries="serious")
    corrected_injury = log(a, "assault_injury", at(2025, 9, 9, 10), injuries="minor")
    correct_incident(
        incident=corrected_injury, by=admin_a, changes={"injuries": "serious"}, reason="hospital"
    )
    log(a, "weapon_security_check", at(2025, 9, 10, 8), weapon_type="knife")
    log(a, "weapons", at(2025, 9, 11, 10), weapon_type="knife")
    log(a, "bullying", at(2025, 9, 12, 10), location="hallway")
    log(a, "bullying", at(2025, 9, 15, 10), location="online")
    log(a, "other_threat", at(2025, 9, 16, 10), location="online")
    log(a, "bomb_threat", at(2025, 9, 17, 10))
    log(a, "false_alarm", at(2025, 9, 18, 10))
    log(a, "alcohol", at(2025, 9, 19, 10))
    log(a, "drugs", at(2025, 9, 22, 10), weapon_type="knife")
    recategorized = log(a, "weapons", at(2025, 9, 23, 10), weapon_type="knife")
    correct_incident(
        incident=recategorized, by=admin_a, changes={"category": categories["drugs"]}, reason="a drug deal"
    )
    log(a, "fight", at(2025, 9, 24, 10))
    log(a, "theft", at(2025, 9, 25, 10))
    moved = log(a, "alcohol", at(2025, 9, 26, 10))
    correct_incident(incident=moved, by=admin_a, changes={"school": b}, reason="wrong school")
    log(b, "bomb_threat", at(2025, 7, 20, 10))
    log(b, "false_alarm", at(2026, 6, 30, 23, 30))
    log(b, "false_alarm", at(2026, 7, 1, 0, 30))
    log(b, "drugs", at(2025, 10, 1, 15), location="bus")
    log(b, "weapons", at(2025, 10, 2, 19), location="school_event", weapon_type="knife")
    log(b, "weapons", at(2025, 10, 3, 16), location="off_campus", weapon_type="knife")
    return [school_a, school_b]


def _by_code(summary, row=None):
    codes = [c.code for c in summary["categories"]]
    values = summary["totals"] if row is None else summary["rows"][row]["cells"]
    return {code: cell for code, cell in zip(codes, values, strict=True) if any(cell.values())}


def test_each_category_and_subcategory_at_each_school(audit):
    """ "Incidents in the 9 categories ... are reportable ..., whether the offender is known or
    unknown": one incident in one category, offenders and targets/victims counted per
    incident (witnesses neither). Hand count in CASES."""
    summary = ssec_summary(schools=audit, year=2025)

    def figures(incidents, weapon=0, offenders=0, victims=0):
        return {"incidents": incidents, "weapon": weapon, "offenders": offenders, "victims": victims}

    assert _by_code(summary, 0) == {
        "1": figures(1),
        "2a": figures(1, offenders=1, victims=1),
        "2b": figures(1),
        "3a": figures(1, weapon=1, offenders=3, victims=2),
        "3b": figures(2),
        "4a": figures(1, weapon=1),
        "4b": figures(1, weapon=1),
        "5a": figures(1),
        "5b": figures(2),
        "6": figures(1),
        "7": figures(1),
        "8": figures(2, weapon=2),
        "9": figures(1),
    }
    assert summary["rows"][0]["total"] == figures(16, weapon=5, offenders=4, victims=3)
    assert _by_code(summary, 1) == {
        "4b": figures(1, weapon=1),
        "6": figures(1),
        "7": figures(1),
        "8": figures(1),
        "9": figures(1),
    }
    assert summary["total"] == figures(21, weapon=6, offenders=4, victims=3)
    totals = _by_code(summary)
    assert (totals["4a"]["weapon"], totals["4b"]["weapon"], totals["8"]["incidents"]) == (1, 2, 3)


def test_the_csv_says_what_the_page_says(audit, coordinator_client):
    """Every figure of every row of the page (each school and "All schools") is the CSV's."""
    page = coordinator_client.get(reverse("incidents:ssec_report"), {"year": 2025}).text
    on_page = {
        name: cells.split("</td><td>")
        for name, cells in re.findall(r'<tr><th scope="row">([^<]+)</th><td>(.*?)</td></tr>', page)
    }
    response = coordinator_client.get(reverse("incidents:ssec_report"), {"year": 2025, "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    in_csv = {row[0]: row[1:] for row in rows[1:]}
    assert set(in_csv) == {"Alpha High School", "Bravo Middle School", "All schools"}
    assert on_page == in_csv
    assert in_csv["All schools"][-4:] == ["21", "6", "4", "3"]
