"""PDFs are drawn in a child process: a layout that fails or runs too long gives a page that
says so, and leaves no process behind."""

import io
import logging
import multiprocessing
import os

from django.urls import reverse
from pypdf import PdfReader

from core import pdf

MONTHLY_PDF = reverse("reports:monthly_pdf")


def test_the_pdf_is_drawn_by_a_child_that_is_gone_afterwards():
    drawn = pdf.pdf_bytes(f"<h1>Drawn for {os.getpid()}</h1>")
    assert "Drawn for" in PdfReader(io.BytesIO(drawn)).pages[0].extract_text()
    assert multiprocessing.active_children() == []


def test_a_layout_that_fails_says_so_and_logs_no_content(coordinator_client, monkeypatch, caplog):
    def broken(html, css_text):
        raise ValueError(f"cannot lay out {html}")

    monkeypatch.setattr(pdf, "_draw", broken)
    with caplog.at_level(logging.ERROR, logger="core.pdf"):
        response = coordinator_client.get(MONTHLY_PDF)
    assert response.status_code == 503
    body = response.content.decode()
    assert "The PDF could not be made just now" in body
    assert "print it" in body
    # The log names the page and the kind of failure, never what the page said.
    assert [record.getMessage() for record in caplog.records if record.name == "core.pdf"] == [
        f"PDF of {MONTHLY_PDF} not made: the layout raised ValueError"
    ]
    assert "cannot lay out" not in caplog.text
    assert multiprocessing.active_children() == []


def test_a_layout_past_the_time_limit_is_stopped(coordinator_client, settings):
    settings.PDF_TIMEOUT_SECONDS = 0
    response = coordinator_client.get(MONTHLY_PDF)
    assert response.status_code == 503
    assert multiprocessing.active_children() == []
