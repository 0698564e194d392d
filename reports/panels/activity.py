"""Officers' time by duty category (from their activity notes), and follow-ups."""

from __future__ import annotations

import datetime

from core.queries import at_schools
from core.templatetags.dates import day as day_label
from officers.models import ActivityNote, DutyCategory
from officers.selectors import follow_ups_due, time_by_category, week_start, week_summary

from ..filters import DashboardFilters
from ..tiles import Chart, Table, Tile, list_url, percent

LABELS = dict(DutyCategory.choices)


def _short(label: str) -> str:
    """A chart axis label: the category's name without its explanation (the table has it all)."""
    return label.split(" (")[0].split(" / ")[0]


def _hours(minutes: int) -> float:
    return round(minutes / 60, 1)


def time_tile(filters: DashboardFilters) -> Tile:
    schools = filters.school_scope
    minutes = time_by_category(schools=schools, start=filters.start, end=filters.end)
    total = sum(minutes.values())
    ranked = sorted(minutes.items(), key=lambda kv: (-kv[1], LABELS[kv[0]]))
    if total:
        top = [f"{_short(LABELS[k]).lower()} {percent(v, total)}%" for k, v in ranked[:3] if v]
        answer = f"{_hours(total):g} hours logged; most on " + ", ".join(top) + "."
    else:
        answer = "No activity notes in this period."
    # officers.selectors has follow-ups for one officer only; this count is the district's.
    late = ActivityNote.objects.follow_ups_due().filter(follow_up_date__lt=filters.today)
    overdue = at_schools(late, schools).count()
    if overdue:
        answer += f" {overdue} follow-up{'s' if overdue != 1 else ''} overdue."
    shown = [(k, v) for k, v in ranked if v]
    return Tile(
        key="time",
        title="Officers' time by duty",
        answer=answer,
        figures=[("Hours logged", f"{_hours(total):g}"), ("Follow-ups overdue", overdue)],
        chart=Chart(
            kind="bar",
            labels=[_short(LABELS[k]) for k, _ in shown],
            series=[("Hours", [_hours(v) for _, v in shown])],
            description="Hours logged by duty category: "
            + "; ".join(f"{LABELS[k]} {_hours(v):g} h" for k, v in shown),
            horizontal=True,
        )
        if shown
        else None,
        table=Table(
            caption="Hours logged by duty category",
            columns=["Duty category", "Hours", "Share"],
            rows=[[LABELS[k], _hours(v), f"{percent(v, total)}%"] for k, v in shown],
        ),
        link=list_url("officers:note_list", filters.params()),
    )


def follow_ups_tile(*, officer, today: datetime.date) -> Tile:
    due = list(follow_ups_due(officer))
    late = [n for n in due if n.follow_up_date and n.follow_up_date < today]
    if due:
        answer = f"{len(due)} follow-up{'s' if len(due) != 1 else ''} open"
        answer += f", {len(late)} overdue." if late else ", none overdue."
    else:
        answer = "No follow-ups open."
    return Tile(
        key="follow-ups",
        title="My follow-ups",
        answer=answer,
        table=Table(
            caption="Open follow-ups, oldest due first",
            columns=["School", "Due", "Duty", "Noted on"],
            rows=[[n.school.name, n.follow_up_date, n.get_category_display(), n.date] for n in due],
        ),
        link=list_url("officers:my_week"),
    )


def week_tile(*, officer, today: datetime.date) -> Tile:
    week = week_summary(officer, week_start(today))
    when = f"since {day_label(week.start)}"
    if not week.notes:
        # Early in a week with nothing logged yet, last week says more.
        week = week_summary(officer, week.start - datetime.timedelta(days=7))
        when = f"last week (from {day_label(week.start)}); nothing yet this week"
    return Tile(
        key="week",
        title="My week",
        answer=f"{week.total_hours:g} hours logged {when}.",
        chart=Chart(
            kind="bar",
            labels=[_short(label) for label, _ in week.by_category],
            series=[("Hours", [_hours(m) for _, m in week.by_category])],
            description="My hours by duty: "
            + "; ".join(f"{label} {_hours(m):g} h" for label, m in week.by_category),
            horizontal=True,
        )
        if week.by_category
        else None,
        table=Table(
            caption=f"My hours by duty category, week of {day_label(week.start)}",
            columns=["Duty category", "Hours"],
            rows=[[label, _hours(m)] for label, m in week.by_category],
        ),
        link=list_url("officers:my_week"),
    )
