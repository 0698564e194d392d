"""The monthly report as a PDF drawn on the server from the page's template."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

MONTHLY = reverse("reports:monthly")
MONTHLY_PDF = reverse("reports:monthly_pdf")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 10, 14, 15, 0), tick=False):
        yield


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_pdf_of_last_month_has_the_reports_title_summary_and_tables(coordinator_client, officer_a):
    response = coordinator_client.get(MONTHLY_PDF)
    assert response["Content-Disposition"] == 'attachment; filename="sro-report-2026-09.pdf"'
    text = pdf_text(response)
    assert "SRO program report, September 2026" in text
    assert "Summary" in text
    assert "Prepared Wed 14 Oct 2026" in text
    # Each tile's answer is there as on the page.
    page = coordinator_client.get(MONTHLY)
    for tile in page.context["report"].tiles:
        assert tile.title in text
    assert "Page 1 of" in text


def test_pdf_follows_the_month_chosen(coordinator_client, officer_a):
    text = pdf_text(coordinator_client.get(MONTHLY_PDF, {"month": "2026-02"}))
    assert "SRO program report, February 2026" in text
    assert "Primary SRO by school on Sat 28 Feb 2026" in text


def test_page_links_to_the_pdf_of_the_month_shown(coordinator_client):
    body = coordinator_client.get(MONTHLY, {"month": "2026-02"}).content.decode()
    assert f'href="{MONTHLY_PDF}?month=2026-02" download' in body


def test_school_administrator_gets_their_schools_only(admin_a_client, officer_a, officer_b):
    text = pdf_text(admin_a_client.get(MONTHLY_PDF))
    assert "Your schools" in text
    assert "Alpha High School" in text
    assert "Bravo Middle School" not in text


def test_officer_gets_no_monthly_pdf(officer_a_client):
    assert officer_a_client.get(MONTHLY_PDF).status_code == 403
