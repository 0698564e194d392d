"""The monthly program report and the list of reports."""

import datetime

import pytest
import time_machine
from django.urls import reverse

MONTHLY = reverse("reports:monthly")
INDEX = reverse("reports:index")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 10, 14, 15, 0), tick=False):
        yield


def test_monthly_report_defaults_to_last_month(coordinator_client, officer_a):
    response = coordinator_client.get(MONTHLY)
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.filters.start, report.filters.end) == (
        datetime.date(2026, 9, 1),
        datetime.date(2026, 9, 30),
    )
    assert "SRO program report, September 2026" in response.content.decode()


def test_monthly_report_for_a_chosen_month_reports_coverage_at_its_end(coordinator_client, officer_a):
    response = coordinator_client.get(MONTHLY, {"month": "2026-02"})
    report = response.context["report"]
    assert report.filters.end == datetime.date(2026, 2, 28)
    assert report.filters.today == datetime.date(2026, 2, 28)
    body = response.content.decode()
    assert "Primary SRO by school on Sat 28 Feb 2026" in body
    assert "Prepared Wed 14 Oct 2026" in body


def test_monthly_report_refuses_a_month_not_yet_started(coordinator_client):
    response = coordinator_client.get(MONTHLY, {"month": "2027-01"})
    assert "That month has not started yet." in response.content.decode()
    assert response.context["report"].month == datetime.date(2026, 9, 1)


def test_monthly_report_is_printable_with_tables_open(coordinator_client, officer_a):
    body = coordinator_client.get(MONTHLY).content.decode()
    assert "css/reports.css" in body
    assert '<details class="tile-data" open>' in body
    assert "data-print" in body


def test_school_administrator_gets_the_monthly_report_for_their_schools(admin_a_client, officer_a, officer_b):
    response = admin_a_client.get(MONTHLY)
    assert response.status_code == 200
    assert [s.name for s in response.context["report"].filters.schools] == ["Alpha High School"]
    assert "Bravo Middle School" not in response.content.decode()


def test_officer_cannot_open_the_monthly_report(officer_a_client):
    assert officer_a_client.get(MONTHLY).status_code == 403


def test_reports_index_links_the_reports_that_exist(coordinator_client):
    response = coordinator_client.get(INDEX)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'href="{MONTHLY}"' in body
    assert f'href="{reverse("reports:dashboard_csv")}"' in body


def test_reports_index_links_every_lists_csv_export(coordinator_client):
    body = coordinator_client.get(INDEX).content.decode()
    for url in [
        reverse("incidents:crdc_report"),
        reverse("incidents:ssec_report"),
        reverse("incidents:export"),
        reverse("officers:note_export"),
        reverse("training:record_csv"),
        reverse("training:matrix_csv"),
        reverse("drills:log") + "?format=csv",
        reverse("incidents:crdc_report") + "?format=csv",
        reverse("surveys:list"),
    ]:
        assert f'href="{url}"' in body, url


@pytest.mark.parametrize("persona", ["admin_a_client", "officer_a_client"])
def test_only_coordinators_open_the_reports_index(request, persona):
    assert request.getfixturevalue(persona).get(INDEX).status_code == 403


def test_anonymous_visitor_cannot_open_reports(client):
    for url in (INDEX, MONTHLY, reverse("reports:dashboard_csv")):
        assert client.get(url).status_code == 302
