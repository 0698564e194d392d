"""PDFs drawn on the server by WeasyPrint from the same templates as the pages they print.

WeasyPrint is given its stylesheet by name (read from the app's static files) and no way to
fetch anything else: every URL in the page is refused, so stored text that somehow carried a
URL can make the server load nothing, local or remote.

The template is rendered in the request's process (it reads the database); the layout is drawn
in a short-lived child process forked for each PDF. Python keeps the memory WeasyPrint's layout
used (about 70 MB for the monthly report on the large district, more under gunicorn) long after
the PDF is sent; in a child it goes back to the system when the child exits, so a worker's
memory stays that of a worker serving pages (README, Every page (issue 19)). A layout that runs
past `PDF_TIMEOUT_SECONDS` is stopped, and the person is told to try again or print the page."""

from __future__ import annotations

import functools
import logging
import multiprocessing
from multiprocessing.connection import Connection
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from core.validators import one_line

STYLESHEET = "css/pdf.css"

logger = logging.getLogger(__name__)


class PdfFailed(Exception):
    """The layout failed or ran too long; nothing was drawn."""


def _draw(html: str, css_text: str) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class NothingFetched(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            raise ValueError(f"PDFs load nothing from URLs ({url!r})")

    fetcher = NothingFetched()
    css = CSS(string=css_text, url_fetcher=fetcher)
    return HTML(string=html, base_url="about:blank", url_fetcher=fetcher).write_pdf(stylesheets=[css])


def _draw_in_child(sink: Connection, html: str, css_text: str) -> None:
    try:
        sink.send((True, _draw(html, css_text)))
    except Exception as error:  # noqa: BLE001 - any failure of the layout; the parent raises PdfFailed
        # Its kind only: a message may quote the page, and the page may name students.
        sink.send((False, f"the layout raised {type(error).__name__}"))
    finally:
        sink.close()


@functools.cache
def _load_weasyprint() -> None:
    """Loaded in the worker on its first PDF, not at start (pango and its fonts cost about 45 MB
    that most workers never need). One small drawing of fixed text loads the fonts and
    WeasyPrint's own stylesheet in the worker itself, so every child forked after it starts with
    them instead of loading them again (about 40 ms of each PDF; README, Every page)."""
    from weasyprint import HTML

    HTML(string="<p><b>PDF</b> <i>ready</i></p>").write_pdf()


def pdf_bytes(html: str, *, stylesheet: str = STYLESHEET) -> bytes:
    """The PDF of `html`, drawn in a child process (see the module's docstring)."""
    _load_weasyprint()
    path = finders.find(stylesheet)
    assert isinstance(path, str), f"no static file {stylesheet}"
    with open(path, encoding="utf-8") as handle:
        css_text = handle.read()
    context = multiprocessing.get_context("fork")
    source, sink = context.Pipe(duplex=False)
    child = context.Process(target=_draw_in_child, args=(sink, html, css_text), daemon=True)
    child.start()
    sink.close()  # the child holds its own end; recv() then sees the child's exit as EOF
    try:
        if not source.poll(settings.PDF_TIMEOUT_SECONDS):
            raise PdfFailed(f"the layout ran past {settings.PDF_TIMEOUT_SECONDS} s")
        try:
            drawn, payload = source.recv()
        except EOFError as error:
            raise PdfFailed(f"the drawing process ended without a PDF (exit {child.exitcode})") from error
    finally:
        source.close()
        if child.is_alive():
            child.kill()
        child.join()
    if not drawn:
        raise PdfFailed(payload)
    return payload


def pdf_response(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    filename: str,
    stylesheet: str = STYLESHEET,
) -> HttpResponse:
    """The template rendered as a PDF download named `filename`, or a page saying it could not
    be made (503) when the layout fails or runs too long."""
    html = render_to_string(template, context, request=request)
    try:
        drawn = pdf_bytes(html, stylesheet=stylesheet)
    except PdfFailed as error:
        # The path and the kind of failure only: the page itself may name students.
        logger.error("PDF of %s not made: %s", request.path, error)
        return render(request, "core/pdf_failed.html", status=503)
    response = HttpResponse(drawn, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{one_line(filename)}"'
    return response
