"""PDFs drawn on the server by WeasyPrint from the same templates as the pages they print.

WeasyPrint is given its stylesheet by name (read from the app's static files) and no way to
fetch anything else: every URL in the page is refused, so stored text that somehow carried a
URL can make the server load nothing, local or remote."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from core.validators import one_line

STYLESHEET = "css/pdf.css"


def pdf_bytes(html: str, *, stylesheet: str = STYLESHEET) -> bytes:
    # Imported on a worker's first PDF, not at start: WeasyPrint (pango, fonts) costs a worker
    # about 40 MB and half a second that most workers never need.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class NothingFetched(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            raise ValueError(f"PDFs load nothing from URLs ({url!r})")

    path = finders.find(stylesheet)
    assert isinstance(path, str), f"no static file {stylesheet}"
    fetcher = NothingFetched()
    with open(path, encoding="utf-8") as handle:
        css = CSS(string=handle.read(), url_fetcher=fetcher)
    return HTML(string=html, base_url="about:blank", url_fetcher=fetcher).write_pdf(stylesheets=[css])


def pdf_response(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    filename: str,
    stylesheet: str = STYLESHEET,
) -> HttpResponse:
    """The template rendered as a PDF download named `filename`."""
    html = render_to_string(template, context, request=request)
    response = HttpResponse(pdf_bytes(html, stylesheet=stylesheet), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{one_line(filename)}"'
    return response
