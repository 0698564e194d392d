"""Reads for the dashboards and the monthly report.

Each tile is built from the owning app's `selectors.py` (incidents, officers, schools,
training, drills, surveys), so the rules for what counts live with the data. Every builder
issues a fixed number of queries: aggregates grouped in the database, never a query per
school, officer or incident."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .filters import DashboardFilters
from .panels import activity, contacts, coverage, drills, incidents, surveys, training
from .tiles import Tile, list_url

if TYPE_CHECKING:
    from accounts.models import User

# --- The dashboards -----------------------------------------------------------------------------

# The page shows the tiles in this order: the questions a coordinator asks first come first.
DISTRICT_TILES: list[Callable[[DashboardFilters], Tile]] = [
    incidents.bright_line_tile,
    coverage.coverage_tile,
    training.training_tile,
    drills.drills_tile,
    incidents.by_month_tile,
    incidents.by_school_tile,
    incidents.level_over_time_tile,
    incidents.escalation_tile,
    incidents.threats_tile,
    contacts.parent_notice_tile,
    activity.time_tile,
    surveys.surveys_tile,
]

# The officer's own page: their alerts, follow-ups, training due and their week.
OFFICER_TILES: list[Callable[..., Tile]] = [
    incidents.officer_alerts_tile,
    contacts.officer_parent_notice_tile,
    activity.follow_ups_tile,
    training.officer_training_tile,
    activity.week_tile,
]


@dataclass
class Figures:
    tiles: list[Tile]
    as_of: datetime.datetime


def dashboard_figures(filters: DashboardFilters) -> Figures:
    """The district tiles for these filters. On a large district their aggregates are the
    costliest part of the page (README, Benchmark), so they are kept for REPORTS_CACHE_SECONDS
    (default a minute; 0 turns it off) per scope and filters; the page says how fresh its
    figures are."""
    seconds = getattr(settings, "REPORTS_CACHE_SECONDS", 60)
    if seconds:
        cached: Figures | None = cache.get(filters.cache_key)
        if cached is not None:
            return cached
    figures = Figures(tiles=[build(filters) for build in DISTRICT_TILES], as_of=timezone.now())
    if seconds:
        for tile in figures.tiles:  # build the tables' HTML once, before it is kept
            for table in filter(None, (tile.table, tile.detail)):
                table.body  # noqa: B018
        cache.set(filters.cache_key, figures, seconds)
    return figures


def dashboard_tiles(filters: DashboardFilters) -> list[Tile]:
    return dashboard_figures(filters).tiles


def officer_dashboard(*, user: User, today: datetime.date) -> dict[str, Any]:
    officer = user.officer_record
    if officer is None:
        return {"officer": None, "assignments": [], "tiles": [], "today": today}
    assignments = list(officer.assignments.current_on(today).select_related("school").order_by("kind"))
    tiles = [build(officer=officer, today=today) for build in OFFICER_TILES]
    return {"officer": officer, "assignments": assignments, "tiles": tiles, "today": today}


# --- The list of reports -----------------------------------------------------------------------

# (section, [(label, URL name, query parameters, what it is)]).
REPORTS: list[tuple[str, list[tuple[str, str, dict[str, Any], str]]]] = [
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
            (
                "Equity in police contacts",
                "contacts:equity",
                {},
                "Referrals, arrests and every kind of police contact by race, sex, disability and "
                "English-learner status: rates, relative rate indexes, and a suppressed version to publish.",
            ),
            (
                "Program changes and their evaluation",
                "contacts:change_list",
                {},
                "Incident rates before and after a pilot or an expansion, against the other schools.",
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
    (
        "Student records",
        [
            (
                "Import students from the SIS (OneRoster)",
                "students:import_list",
                {},
                "Upload the district's OneRoster CSV export as a zip: checked first, then imported; "
                "the imports so far.",
            ),
        ],
    ),
]


def report_links() -> list[dict[str, Any]]:
    return [
        {
            "title": title,
            "items": [
                {"label": label, "url": list_url(url_name, params), "description": description}
                for label, url_name, params, description in entries
            ],
        }
        for title, entries in REPORTS
    ]
