"""The NY SSEC summary by NYSED's categories and subcategories, versioned per school year, on
a hand-counted fixture (school year 2025-26, Alpha High School and Bravo Middle School)."""

import csv
import datetime
import io
import zoneinfo

import pytest
from django.urls import reverse

from incidents.models import IncidentCategory, SsecCategory, SsecMapping
from incidents.reports import ssec_summary

pytestmark = pytest.mark.django_db
NY = zoneinfo.ZoneInfo("America/New_York")

# (case, expected cell, why)
CASES = [
    ("assault with a minor injury at A", "A 3a incidents = 1", "3a physical injury"),
    ("assault with a serious injury at A, 2 offenders, 1 victim", "A 3b = 1; offenders 2, victims 1", "3b"),
    ("bullying online at A", "A 5b = 1, 5a = 0", "5b cyberbullying"),
    ("bullying in a hallway at A", "A 5a = 1", "5a all excluding cyberbullying"),
    (
        "'Other threat' (threat to shoot) in a hallway at A",
        "A 5a = 2 with the bullying one",
        "documented rule",
    ),
    ("weapons possession with a knife at A", "A 4b = 1, weapon-involved 1", "4b other"),
    ("weapon found at a routine security check at B", "B 4a = 1, weapon-involved 1", "4a"),
    ("forcible sex offense at B, 1 offender, 2 victims", "B 2a = 1", "2a"),
    ("a code-of-conduct fight at A", "nowhere", "not an SSEC category"),
    ("a bomb threat during summer school, July 10, 2025, at B", "B 6 = 1", "SSEC includes summer school"),
    ("All schools", "incidents 9, weapon-involved 2, 4a and 4b each 1", "the total carries every figure"),
    (
        "people added to a logged report (1 offender, then 1 offender and 1 victim)",
        "offenders 2, victims 1",
        "each incident keeps its offenders and victims as people are saved",
    ),
    (
        "coordinator maps 'Other threat' to not reported from 2026 on",
        "2025-26 unchanged (A 5a = 2); 2026-27 threat not counted",
        "past years stay as reported",
    ),
]


def at(*args):
    return datetime.datetime(*args, tzinfo=NY)


def who(role, sid="S1"):
    return {"local_id_or_initials": sid, "role": role, "grade": "10"}


@pytest.fixture
def year_2025(admin_a, admin_b, school_a, school_b, log_incident):
    def log(school, category, when, **extra):
        admin = admin_a if school == school_a else admin_b
        log_incident(school=school, reported_by=admin, category=category, occurred_at=when, **extra)

    log(school_a, "assault_injury", at(2025, 9, 10, 10), injuries="minor", people=[who("offender")])
    log(
        school_a,
        "assault_injury",
        at(2025, 9, 11, 10),
        injuries="serious",
        people=[who("offender", "S2"), who("offender", "S3"), who("victim", "S4"), who("witness", "S5")],
    )
    log(school_a, "bullying", at(2025, 10, 1, 10), location="online", people=[who("offender")])
    log(school_a, "bullying", at(2025, 10, 2, 10), location="hallway")
    log(school_a, "other_threat", at(2025, 10, 3, 10), location="hallway", people=[who("offender", "S6")])
    log(school_a, "weapons", at(2025, 11, 3, 10), weapon_type="knife", people=[who("offender", "S7")])
    log(school_a, "conduct", at(2025, 11, 4, 10))
    log(school_b, "weapon_security_check", at(2026, 1, 5, 8), weapon_type="knife")
    log(
        school_b,
        "forcible_sex_offense",
        at(2026, 2, 5, 12),
        people=[who("offender", "B1"), who("victim", "B2"), who("victim", "B3")],
    )
    log(school_b, "bomb_threat", at(2025, 7, 10, 10))
    log(school_a, "bomb_threat", at(2026, 7, 1, 0, 30))  # 2026-27


def cells(summary, row):
    codes = [c.code for c in summary["categories"]]
    return dict(zip(codes, summary["rows"][row]["cells"], strict=True))


def test_nyseds_categories_and_subcategories_are_seeded(categories):
    codes = list(SsecCategory.objects.in_year(2025).values_list("code", flat=True))
    assert codes == ["1", "2a", "2b", "3a", "3b", "4a", "4b", "5a", "5b", "6", "7", "8", "9"]


def test_incidents_are_counted_under_nyseds_subcategories(year_2025, school_a, school_b):
    summary = ssec_summary(schools=[school_a, school_b], year=2025)
    alpha, bravo = cells(summary, 0), cells(summary, 1)
    assert (alpha["3a"]["incidents"], alpha["3b"]["incidents"]) == (1, 1)
    assert (alpha["3b"]["offenders"], alpha["3b"]["victims"]) == (2, 1)
    assert (alpha["5a"]["incidents"], alpha["5b"]["incidents"]) == (2, 1)  # hallway bullying + threat
    assert alpha["4b"] == {"incidents": 1, "weapon": 1, "offenders": 1, "victims": 0}
    assert summary["rows"][0]["total"]["incidents"] == 6  # the fight is not SSEC
    assert bravo["4a"]["weapon"] == 1
    assert bravo["2a"] == {"incidents": 1, "weapon": 0, "offenders": 1, "victims": 2}
    assert bravo["6"]["incidents"] == 1  # summer school counts for SSEC


def test_all_schools_total_carries_every_figure_including_weapons(year_2025, school_a, school_b):
    summary = ssec_summary(schools=[school_a, school_b], year=2025)
    # offenders: 1 + 2 (assaults) + 1 (online bullying) + 1 (threat) + 1 (knife) + 1 (B1)
    assert summary["total"] == {"incidents": 9, "weapon": 2, "offenders": 7, "victims": 3}
    by_code = dict(zip([c.code for c in summary["categories"]], summary["totals"], strict=True))
    assert (by_code["4a"]["weapon"], by_code["4b"]["weapon"]) == (1, 1)


def test_csv_all_schools_row_has_the_weapon_figures(year_2025, coordinator_client):
    response = coordinator_client.get(reverse("incidents:ssec_report"), {"year": 2025, "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    total = dict(zip(rows[0], rows[-1], strict=True))
    assert total["School"] == "All schools"
    assert total["4b. Other: with a weapon involved"] == "1"
    assert total["Total: with a weapon involved"] == "2"
    assert total["Total: incidents"] == "9"
    assert "" not in rows[-1]


def test_a_mapping_changed_from_a_year_on_leaves_past_years_as_reported(
    year_2025, school_a, school_b, coordinator_client, admin_a_client, admin_a, log_incident
):
    threat = IncidentCategory.objects.get(code="other_threat")
    form = {"category": threat.pk, "from_year": 2026, "ssec": "", "split": "", "note": "Police handle these."}
    assert admin_a_client.post(reverse("incidents:ssec_mappings"), form).status_code == 403
    assert coordinator_client.post(reverse("incidents:ssec_mappings"), form).status_code == 302
    log_incident(school=school_a, reported_by=admin_a, category="other_threat", occurred_at=at(2026, 9, 9, 9))
    assert cells(ssec_summary(schools=[school_a], year=2025), 0)["5a"]["incidents"] == 2
    assert ssec_summary(schools=[school_a], year=2026)["total"]["incidents"] == 1  # the bomb threat only
    assert SsecMapping.objects.filter(category=threat).count() == 2
    page = coordinator_client.get(reverse("incidents:ssec_mappings"))
    assert "Police handle these." in page.text


def test_a_split_needs_its_second_category(categories, coordinator_client):
    threat = categories["other_threat"]
    response = coordinator_client.post(
        reverse("incidents:ssec_mappings"),
        {
            "category": threat.pk,
            "from_year": 2026,
            "ssec": SsecCategory.objects.get(code="5a").pk,
            "split": "online",
        },
    )
    assert "Choose the second NYSED category" in response.text


def test_categories_page_shows_where_each_category_is_reported(categories, coordinator_client):
    page = coordinator_client.get(reverse("incidents:categories"))
    assert "3a. Physical injury / 3b. Serious physical injury" in page.text


def test_ssec_query_count_does_not_grow_with_incidents(
    year_2025, school_a, school_b, admin_a, log_incident, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        ssec_summary(schools=[school_a, school_b], year=2025)
    for n in range(20):
        log_incident(
            school=school_a,
            reported_by=admin_a,
            category="weapons",
            occurred_at=at(2026, 3, 2, 10) + datetime.timedelta(hours=n),
            people=[who("offender", f"X{n}")],
        )
    with django_assert_num_queries(len(before.captured_queries)):
        summary = ssec_summary(schools=[school_a, school_b], year=2025)
    assert cells(summary, 0)["4b"]["incidents"] == 21


def test_categories_page_counts_this_school_years_incidents_in_a_fixed_number_of_queries(
    categories, coordinator_client, school_a, admin_a, log_incident, time_machine
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    time_machine.move_to(datetime.datetime(2026, 3, 2, 15, tzinfo=datetime.UTC), tick=False)

    def log_weapons(n, start):
        for i in range(n):
            log_incident(
                school=school_a,
                reported_by=admin_a,
                category="weapons",
                occurred_at=start + datetime.timedelta(hours=i),
            )

    log_weapons(2, at(2025, 3, 2, 10))  # 2024-25: not counted
    log_weapons(3, at(2025, 9, 2, 10))
    with CaptureQueriesContext(connection) as few:
        page = coordinator_client.get(reverse("incidents:categories"))
    assert "Incidents 2025–2026" in page.text
    assert page.context["rows"][[c.code for c, _, _ in page.context["rows"]].index("weapons")][2] == 3
    log_weapons(6, at(2025, 10, 2, 10))
    with CaptureQueriesContext(connection) as many:
        page = coordinator_client.get(reverse("incidents:categories"))
    assert page.context["rows"][[c.code for c, _, _ in page.context["rows"]].index("weapons")][2] == 9
    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_page_shows_each_schools_figures_and_the_all_schools_row(year_2025, coordinator_client):
    response = coordinator_client.get(reverse("incidents:ssec_report"), {"year": 2025})
    page = response.text
    assert response.status_code == 200
    # The all-schools row ends with the totals: incidents, with a weapon, offenders, victims.
    assert '<th scope="row">All schools</th>' in page
    assert "<td>9</td><td>2</td><td>7</td><td>3</td></tr></tfoot>" in page
    # Bravo's 2a (incidents 1, weapon 0, offenders 1, victims 2) is a row's run of four cells.
    assert "<td>1</td><td>0</td><td>1</td><td>2</td>" in page


def test_people_added_to_a_logged_report_are_counted_as_offenders_and_victims(
    school_a, admin_a, log_incident
):
    from incidents.models import PersonRole
    from incidents.services import add_people

    incident = log_incident(
        school=school_a,
        reported_by=admin_a,
        category="weapons",
        occurred_at=at(2025, 9, 10, 10),
        people=[who("offender")],
    )
    add_people(incident=incident, by=admin_a, people=[who("offender", "S2"), who("victim", "S3")])
    incident.refresh_from_db()
    roles = list(incident.people.values_list("role", flat=True))
    assert (incident.offenders, incident.victims) == (2, 1)
    assert (roles.count(PersonRole.OFFENDER), roles.count(PersonRole.VICTIM)) == (2, 1)
    figures = cells(ssec_summary(schools=[school_a], year=2025), 0)["4b"]
    assert (figures["offenders"], figures["victims"]) == (2, 1)


def test_a_mappings_split_rows_are_its_categorys_incidents_that_go_to_the_second_category(year_2025):
    from incidents.models import Incident

    def split_of(code):
        mapping = SsecMapping.objects.get(category__code=code)
        rows = mapping.split_rows()
        if rows is None:
            return None
        return list(Incident.objects.filter(rows).values_list("injuries", "location"))

    assert split_of("assault_injury") == [("serious", "hallway")]  # not the minor injury
    assert [location for _, location in split_of("bullying")] == ["online"]  # not the hallway's
    assert split_of("weapons") is None
    mapping = SsecMapping.objects.get(category__code="bullying")
    assert (mapping.ssec_for(split=True).code, mapping.ssec_for(split=False).code) == ("5b", "5a")
