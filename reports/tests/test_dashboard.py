"""The dashboard: each role's home page, scoped to what the user may see."""

import csv
import datetime

import pytest
import time_machine
from django.urls import reverse

from schools.models import Assignment, Level, School

URL = reverse("reports:dashboard")
TODAY = datetime.date(2026, 10, 14)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 10, 14, 15, 0), tick=False):
        yield


def tile_answer(response, key: str) -> str:
    return next(t.answer for t in response.context["tiles"] if t.key == key)


def test_home_page_is_the_dashboard(coordinator_client):
    response = coordinator_client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url == URL


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_coordinator_sees_whole_district_for_this_school_year(coordinator_client, officer_a, officer_b):
    response = coordinator_client.get(URL)
    assert response.status_code == 200
    assert "school year 2026–27" in response.content.decode()
    assert list(response.context["filters"].schools) == list(School.objects.order_by("name"))
    assert tile_answer(response, "coverage") == (
        "Yes: all 2 schools have a primary SRO today. No gaps in the next 30 days."
    )


def test_coverage_names_schools_without_a_primary_sro_today(coordinator_client, officer_a, school_b):
    response = coordinator_client.get(URL)
    answer = tile_answer(response, "coverage")
    # A school that has no SRO today and still has none tomorrow is not a new "gap".
    assert answer == (
        "No: 1 of 2 schools have no primary SRO today (Bravo Middle School). No gaps in the next 30 days."
    )


def test_coverage_lists_an_upcoming_gap_when_an_assignment_ends(coordinator_client, officer_a, school_a):
    Assignment.objects.filter(school=school_a).update(end_date=datetime.date(2026, 10, 20))
    response = coordinator_client.get(URL)
    tile = next(t for t in response.context["tiles"] if t.key == "coverage")
    assert "1 gap in the next 30 days" in tile.answer
    gap = ["Alpha High School", "Officer_A Officer", datetime.date(2026, 10, 20)]
    assert tile.detail.rows == [gap]


def test_school_administrator_sees_only_their_schools(admin_a_client, officer_a, officer_b):
    response = admin_a_client.get(URL)
    assert response.status_code == 200
    assert [s.name for s in response.context["filters"].schools] == ["Alpha High School"]
    body = response.content.decode()
    assert "Bravo Middle School" not in body
    assert "Your schools" in body


def test_school_administrator_cannot_filter_to_another_school(admin_a_client, school_b):
    response = admin_a_client.get(URL, {"school": school_b.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert [s.name for s in response.context["filters"].schools] == ["Alpha High School"]


def test_filtering_by_school_narrows_every_tile(coordinator_client, officer_a, officer_b, school_b):
    response = coordinator_client.get(URL, {"school": school_b.pk})
    assert [s.name for s in response.context["filters"].schools] == ["Bravo Middle School"]
    assert tile_answer(response, "coverage").startswith("Yes: the school has a primary SRO today.")


def test_filtering_by_agency_keeps_the_schools_its_officers_serve(coordinator_client, officer_a, district):
    from officers.models import Agency

    district(2, prefix="Sheriff", records=False)
    sheriff = Agency.objects.get(name="Sheriff County Sheriff")
    response = coordinator_client.get(URL, {"agency": sheriff.pk})
    names = sorted(s.name for s in response.context["filters"].schools)
    assert names == ["Sheriff School 0", "Sheriff School 1"]


def test_a_date_range_replaces_the_school_year(coordinator_client):
    response = coordinator_client.get(URL, {"start": "2026-09-01", "end": "2026-09-30"})
    filters = response.context["filters"]
    assert (filters.start, filters.end) == (datetime.date(2026, 9, 1), datetime.date(2026, 9, 30))
    assert "Tue 1 Sep 2026 to Wed 30 Sep 2026" in response.content.decode()


def test_an_earlier_school_year_can_be_chosen(coordinator_client):
    response = coordinator_client.get(URL, {"year": "2025"})
    filters = response.context["filters"]
    assert (filters.start, filters.end) == (datetime.date(2025, 7, 1), datetime.date(2026, 6, 30))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-09-30", "end": "2026-09-01"}, "The end date is before the start date."),
        ({"start": "2026-09-01"}, "Give both dates of the range"),
        ({"start": "2026-13-45", "end": "2026-09-01"}, "Enter a valid date."),
        ({"start": "2000-01-01", "end": "2026-09-01"}, "Choose a range of five years or less."),
    ],
)
def test_bad_dates_say_what_is_wrong_and_keep_the_defaults(coordinator_client, params, message):
    response = coordinator_client.get(URL, params)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "The filters were not applied" in body
    filters = response.context["filters"]
    assert (filters.start, filters.end) == (datetime.date(2026, 7, 1), datetime.date(2027, 6, 30))
    # What the user typed is still in the form.
    assert f'value="{params["start"]}"' in body


def test_officer_gets_a_personal_dashboard(officer_a_client, officer_a):
    response = officer_a_client.get(URL)
    assert response.status_code == 200
    assert response.templates[0].name == "reports/officer_dashboard.html"
    body = response.content.decode()
    assert "Today you are assigned to" in body
    assert "Alpha High School" in body


def test_every_chart_has_a_table_and_an_accessible_name(coordinator_client, officer_a):
    response = coordinator_client.get(URL)
    body = response.content.decode()
    for tile in response.context["tiles"]:
        if tile.chart:
            assert f'data-chart="{tile.chart_id}" role="img" aria-label="' in body
            assert f'<script id="{tile.chart_id}" type="application/json">' in body
            assert tile.table is not None
    assert "<script>" not in body  # no inline scripts: a strict CSP is coming
    assert 'style="' not in body


def test_dashboard_csv_has_every_figure_of_the_tiles(coordinator_client, officer_a, school_b):
    response = coordinator_client.get(reverse("reports:dashboard_csv"))
    assert response["Content-Type"] == "text/csv"
    assert "attachment;" in response["Content-Disposition"]
    rows = list(csv.reader(b"".join(response.streaming_content).decode().splitlines()))
    assert rows[1] == ["Tile", "Table", "Row", "Column", "Value"]
    caption = "Primary SRO by school on Wed 14 Oct 2026"
    assert ["Coverage today", caption, "Bravo Middle School", "Primary SRO today", "None"] in rows
    assert ["Coverage today", caption, "Alpha High School", "Primary SRO today", "Officer_A Officer"] in rows


def test_dashboard_csv_neutralises_formulas_in_names(coordinator_client):
    School.objects.create(name="=HYPERLINK(evil)", level=Level.HIGH)
    response = coordinator_client.get(reverse("reports:dashboard_csv"))
    content = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(evil)" in content


def test_officer_cannot_download_the_district_figures(officer_a_client):
    assert officer_a_client.get(reverse("reports:dashboard_csv")).status_code == 403


def test_names_in_tile_tables_are_escaped(coordinator_client):
    School.objects.create(name="<script>alert(1)</script> Academy", level=Level.HIGH)
    body = coordinator_client.get(URL).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Academy" in body


def test_figures_are_kept_for_a_minute_per_scope_and_filters(
    settings, coordinator_client, admin_a_client, officer_a, school_b
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.REPORTS_CACHE_SECONDS = 60
    cache.clear()
    coordinator_client.get(URL)
    with CaptureQueriesContext(connection) as again:
        warm = coordinator_client.get(URL)
    # The kept tables are still HTML (not escaped again) when served from the cache.
    assert '<th scope="row">Alpha High School</th>' in warm.content.decode()
    with CaptureQueriesContext(connection) as first:
        coordinator_client.get(URL, {"school": school_b.pk})
    assert len(again) < len(first)
    # The same filters in another scope are computed for that scope, not served the district's.
    response = admin_a_client.get(URL)
    assert [t.answer for t in response.context["tiles"] if t.key == "coverage"] == [
        "Yes: the school has a primary SRO today. No gaps in the next 30 days."
    ]
    assert "Figures as of" in response.content.decode()
    cache.clear()


def test_a_school_administrator_lands_on_their_schools_today(
    admin_a_client, admin_a, school_a, school_b, officer_a
):
    from django.utils import timezone

    from incidents.models import IncidentCategory
    from incidents.services import report_incident

    weapons = IncidentCategory.objects.get(code="weapons")
    report_incident(
        school=school_a, reported_by=admin_a, category=weapons, severity="moderate",
        occurred_at=timezone.now(), location="hallway", description="A knife in a backpack.",
    )  # fmt: skip
    home = admin_a_client.get("/", follow=True)
    assert home.redirect_chain[-1][0] == reverse("reports:my_schools")
    assert "Log an incident" in home.text
    assert "Weapons possession at Alpha High School" in home.text  # alert not yet acknowledged
    assert "Bravo" not in home.text


def test_my_schools_makes_as_many_queries_for_three_times_the_rows(
    admin_a_client, admin_a, school_a, officer_a, django_assert_num_queries
):
    """Each section reads the columns it shows at once: none is read again row by row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from incidents.models import IncidentCategory
    from incidents.services import report_incident

    weapons = IncidentCategory.objects.get(code="weapons")
    url = reverse("reports:my_schools")

    def report(n):
        for _ in range(n):
            report_incident(
                school=school_a, reported_by=admin_a, category=weapons, severity="moderate",
                occurred_at=timezone.now(), location="hallway", description="A knife in a backpack.",
            )  # fmt: skip

    report(1)
    with CaptureQueriesContext(connection) as one:
        response = admin_a_client.get(url)
    assert (len(response.context["open_incidents"]), len(response.context["waiting_alerts"])) == (1, 1)
    report(2)
    with django_assert_num_queries(len(one.captured_queries)):
        response = admin_a_client.get(url)
    assert (len(response.context["open_incidents"]), len(response.context["waiting_alerts"])) == (3, 3)
