"""Reads for the dashboards and the monthly report.

Each tile is built from the owning app's `selectors.py` (incidents, officers, schools,
training, drills, surveys), so the rules for what counts live with the data. Every builder
issues a fixed number of queries: aggregates grouped in the database, never a query per
school, officer or incident."""

from __future__ import annotations

import datetime
import importlib
import importlib.util
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone

from officers.models import Officer
from schools.models import Assignment

from .filters import DashboardFilters
from .tiles import Tile, list_url


def app_ready(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def officers_in(filters: DashboardFilters) -> QuerySet[Officer]:
    """Officers the filters cover: those assigned to a school in scope at some point in the
    period (the program coordinator with no school filter also sees unassigned officers, e.g.
    sergeants; a district with no school filter, the officers serving it)."""
    officers = Officer.objects.all()
    if filters.district is not None and filters.school is None:
        officers = officers.serving(filters.district)
    elif not filters.whole_district:
        assigned = Assignment.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=filters.start),
            start_date__lte=filters.end,
            school__in=filters.schools,
        ).values("officer_id")
        officers = officers.filter(pk__in=assigned)
    if filters.agency is not None:
        officers = officers.filter(agency=filters.agency)
    return officers


# --- The dashboards -----------------------------------------------------------------------------

# (the module a tile reads, "panel.function" in reports/panels/). The page shows the tiles in
# this order: the questions a coordinator asks first come first. A tile appears once its
# app's selectors exist, the way core.nav shows an entry once its URL exists.
DISTRICT_TILES: list[tuple[str, str]] = [
    ("incidents.selectors", "incidents.bright_line_tile"),
    ("schools.selectors", "coverage.coverage_tile"),
    ("training.selectors", "training.training_tile"),
    ("drills.selectors", "drills.drills_tile"),
    ("incidents.selectors", "incidents.by_month_tile"),
    ("incidents.selectors", "incidents.by_school_tile"),
    ("incidents.selectors", "incidents.level_over_time_tile"),
    ("incidents.selectors", "incidents.escalation_tile"),
    ("incidents.selectors", "incidents.threats_tile"),
    ("officers.selectors", "activity.time_tile"),
    ("surveys.selectors", "surveys.surveys_tile"),
]

# The officer's own page: their alerts, follow-ups, training due and their week.
OFFICER_TILES: list[tuple[str, str]] = [
    ("incidents.selectors", "incidents.officer_alerts_tile"),
    ("officers.selectors", "activity.follow_ups_tile"),
    ("training.selectors", "training.officer_training_tile"),
    ("officers.selectors", "activity.week_tile"),
]


def _builders(registry: list[tuple[str, str]]):
    for needs, target in registry:
        if app_ready(needs):
            panel, function = target.split(".")
            yield getattr(importlib.import_module(f"reports.panels.{panel}"), function)


@dataclass
class Figures:
    tiles: list[Tile]
    as_of: datetime.datetime


def dashboard_figures(filters: DashboardFilters) -> Figures:
    """The district tiles for these filters. On a large district they cost about a second of
    aggregates, so they are kept for REPORTS_CACHE_SECONDS (default a minute; 0 turns it off)
    per scope and filters; the page says how fresh its figures are."""
    seconds = getattr(settings, "REPORTS_CACHE_SECONDS", 60)
    if seconds:
        cached = cache.get(filters.cache_key)
        if cached is not None:
            return cached
    figures = Figures(tiles=[build(filters) for build in _builders(DISTRICT_TILES)], as_of=timezone.now())
    if seconds:
        for tile in figures.tiles:  # build the tables' HTML once, before it is kept
            for table in filter(None, (tile.table, tile.detail)):
                table.body  # noqa: B018
        cache.set(filters.cache_key, figures, seconds)
    return figures


def dashboard_tiles(filters: DashboardFilters) -> list[Tile]:
    return dashboard_figures(filters).tiles


def officer_dashboard(*, user, today: datetime.date) -> dict:
    officer = user.officer_record
    if officer is None:
        return {"officer": None, "assignments": [], "tiles": [], "today": today}
    assignments = list(officer.assignments.active_on(today).select_related("school").order_by("kind"))
    tiles = [build(officer=officer, today=today) for build in _builders(OFFICER_TILES)]
    return {"officer": officer, "assignments": assignments, "tiles": tiles, "today": today}


# --- The list of reports -----------------------------------------------------------------------

# (section, [(label, URL name, query parameters, what it is)]). Entries whose URL does not
# exist are left out, so a report shows up here once its app provides it.
REPORTS: list[tuple[str, list[tuple[str, str, dict, str]]]] = [
    (
        "Reports",
        [
            (
                "Monthly program report",
                "reports:monthly",
                {},
                "The month's figures and charts on one printable page, for the superintendent "
                "and the police chief.",
            ),
            (
                "CRDC law-enforcement tables",
                "incidents:crdc_report",
                {},
                "Referrals to law enforcement and school-related arrests for a school year, by "
                "student group, with a CSV per school.",
            ),
            (
                "New York SSEC summary",
                "incidents:ssec_report",
                {},
                "Incidents by SSEC category and school for a school year, as CSV.",
            ),
        ],
    ),
    (
        "CSV exports",
        [
            (
                "Dashboard figures",
                "reports:dashboard_csv",
                {},
                "Every figure on the dashboard for this school year, one row per figure.",
            ),
            ("Incidents", "incidents:export", {}, "Every incident you may see, one row each (streamed)."),
            ("Activity notes", "officers:note_export", {}, "Officers' activity notes with duty and minutes."),
            ("Training records", "training:record_csv", {}, "Every training record, verified or not."),
            ("Training compliance", "training:matrix_csv", {}, "Officers by required course, with reasons."),
            ("Drills", "drills:log", {"format": "csv"}, "Every drill scheduled or conducted."),
            (
                "CRDC law-enforcement tables (all schools)",
                "incidents:crdc_report",
                {"format": "csv"},
                "This school year's CRDC tables as CSV; per school from the report page.",
            ),
            (
                "NY SSEC summary",
                "incidents:ssec_report",
                {"format": "csv"},
                "This school year's SSEC summary.",
            ),
            (
                "Survey results",
                "surveys:list",
                {},
                "Each survey's results page exports its scores by question, school and audience.",
            ),
        ],
    ),
]


def report_links() -> list[dict]:
    sections = []
    for title, entries in REPORTS:
        items = []
        for label, url_name, params, description in entries:
            url = list_url(url_name, params)
            if url:
                items.append({"label": label, "url": url, "description": description})
        if items:
            sections.append({"title": title, "items": items})
    return sections
