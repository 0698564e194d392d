"""Dashboards and reports per district: a district coordinator sees their district, the
program coordinator picks one or sees the program's totals; hand counts from the September
fixture of test_incident_tiles (school A, district A: 4 incidents in September, 3 handled by
the school alone; school B, district B: 2, 1 handled alone). Query counts do not grow with
the number of districts."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schools.models import District

from . import test_incident_tiles

september = test_incident_tiles.september  # the hand-counted month, as a fixture here too

TZ = timezone.get_default_timezone()


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 10, 14, 15, 0, tzinfo=TZ), tick=False):
        yield


def bright_line(client, **params) -> str:
    tiles, _ = test_incident_tiles.tiles_for(client, **params)
    return tiles["bright-line"].answer


def test_each_district_coordinator_sees_their_districts_figures(
    september, coordinator_a_client, coordinator_b_client
):
    assert bright_line(coordinator_a_client).startswith(
        "Yes: 75% of incidents (3 of 4) handled by schools alone"
    )
    assert bright_line(coordinator_b_client).startswith(
        "Yes: 50% of incidents (1 of 2) handled by schools alone"
    )


def test_the_program_coordinator_sees_the_totals_or_picks_a_district(september, coordinator_client, school_b):
    assert bright_line(coordinator_client).startswith(
        "Yes: 67% of incidents (4 of 6) handled by schools alone"
    )
    only_b = bright_line(coordinator_client, district=school_b.district_id)
    assert only_b.startswith("Yes: 50% of incidents (1 of 2) handled by schools alone")


def test_a_district_coordinator_cannot_pick_another_district(september, coordinator_a_client, school_b):
    mine = bright_line(coordinator_a_client, district=school_b.district_id)
    assert mine.startswith("Yes: 75% of incidents (3 of 4)")


def test_the_dashboard_offers_the_district_filter_to_the_program_coordinator_only(
    september, coordinator_client, coordinator_a_client, school_b
):
    program = coordinator_client.get(reverse("reports:dashboard"), {"district": school_b.district_id})
    assert 'name="district"' in program.text
    assert f"{school_b.district.name}" in program.text
    assert 'name="district"' not in coordinator_a_client.get(reverse("reports:dashboard")).text
    # The links behind the tiles keep the district, so the list shows the same figures.
    assert f"district={school_b.district_id}" in program.text


def test_the_monthly_report_names_the_district(september, coordinator_a_client, school_a):
    page = coordinator_a_client.get(reverse("reports:monthly"), {"month": "2026-09"})
    assert f"SRO program report, {school_a.district.name}, September 2026" in page.text


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url_name",
    [
        "reports:dashboard",
        "reports:monthly",
        "incidents:list",
        "incidents:crdc_report",
        "schools:list",
        "schools:district_list",
        "officers:agency_list",
        "training:matrix",
        "drills:list",
        "surveys:list",
    ],
)
def test_query_count_is_flat_in_the_number_of_districts(
    district, coordinator, coordinator_a, agency, url_name, settings
):
    """2 districts, then 6, each with schools, officers and a month of records."""
    settings.DATA_CACHE_SECONDS = 0
    url = reverse(url_name)
    for i, existing in enumerate(District.objects.all()):
        district(2, prefix=f"D{i}", district=existing)
    counts: dict[str, list[int]] = {coordinator.username: [], coordinator_a.username: []}
    for total in (2, 6):
        while District.objects.count() < total:
            n = District.objects.count()
            new = District.objects.create(name=f"District {n}", nces_id=f"39{n:05d}")
            district(2, prefix=f"D{n}", district=new)
        for persona in (coordinator, coordinator_a):
            client = Client()
            client.force_login(persona)
            counts[persona.username].append(_queries(client, url))
    for username, (few, many) in counts.items():
        assert few == many, f"{url_name} as {username}: {few} queries with 2 districts, {many} with 6"
