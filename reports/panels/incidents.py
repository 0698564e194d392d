"""Incidents: the bright line (school alone vs with the SRO, overrides), incidents by month,
category, school and intervention level, escalation response and open threat assessments."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils import timezone

from accounts.models import User
from core.csv_export import ChoiceLabels
from core.dates import months_between
from core.links import record_urls
from core.templatetags.dates import day as day_label
from core.templatetags.dates import moment
from incidents import selectors
from incidents.models import SRO_LEVEL, Alert, AlertKind, Incident, InterventionLevel, ThreatAction

from ..filters import DashboardFilters
from ..tiles import (
    Chart,
    Link,
    Table,
    Tile,
    list_url,
    list_urls,
    percent,
    plural,
)

# Detail tables on a tile list at most this many rows; the list behind the tile has them all.
DETAIL_ROWS = 10
# Beyond this many categories, the rest are drawn as "Other" (the table keeps them all).
CHART_CATEGORIES = 6


def incident_params(filters: DashboardFilters, **extra: object) -> dict[str, object]:
    """The incident list's own filter names (incidents/filters.py)."""
    params: dict[str, object] = {"date_from": filters.start.isoformat(), "date_to": filters.end.isoformat()}
    if filters.school:
        params["school"] = filters.school.pk
    return {**params, **extra}


def _minutes(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 90:
        return f"{round(value)} min"
    return f"{value / 60:.1f} h"


def _counts(filters: DashboardFilters) -> list[dict]:
    """The period's incidents counted once by month, category and level for the three tiles
    that sum them (bright line, by month, levels over time)."""
    return filters.shared(
        "incident_counts", lambda: selectors.incident_counts(filters.school_scope, filters.start, filters.end)
    )


def bright_line_tile(filters: DashboardFilters) -> Tile:
    figures = selectors.bright_line(filters.school_scope, filters.start, filters.end, _counts(filters))
    overrides = {
        "total": figures["overrides"],
        "raised": figures["raised"],
        "lowered": figures["lowered"],
        "items": figures["override_items"],
    }
    # Code-of-conduct matters are the school's alone: any with the SRO involved is a red flag.
    conduct_with_sro = figures["conduct_with_sro"]
    total, alone, sro = figures["total"], figures["school_alone"], figures["sro"]
    if not total:
        answer = "No incidents in this period. "
    else:
        verdict = "Yes" if conduct_with_sro == 0 else "Not entirely"
        answer = (
            f"{verdict}: {percent(alone, total)}% of incidents ({alone} of {total}) handled by "
            f"schools alone; {percent(sro, total)}% with the SRO involved. "
        )
        if conduct_with_sro:
            answer += f"{plural(conduct_with_sro, 'code-of-conduct incident')} involved the SRO. "
        else:
            answer += "No code-of-conduct incident involved the SRO. "
    answer += f"{plural(overrides['total'], 'threshold override')} in this period."
    shown = len(overrides["items"])
    urls = record_urls("incidents:detail", (i["pk"] for i in overrides["items"]))
    display = ChoiceLabels(Incident, "level", "table_level")
    return Tile(
        key="bright-line",
        title="The bright line: school alone or with the SRO",
        answer=answer.strip(),
        figures=[
            ("Handled by schools alone", f"{percent(alone, total)}%" if total else "—"),
            ("Code-of-conduct with SRO", conduct_with_sro),
            ("Overrides (raised / lowered)", f"{overrides['raised']} / {overrides['lowered']}"),
        ],
        chart=Chart(
            kind="doughnut",
            labels=["School alone", "With the SRO"],
            series=[("Incidents", [alone, sro])],
            description=f"Incidents handled by the school alone: {alone}; with the SRO involved: {sro}.",
        )
        if total
        else None,
        table=Table(
            caption="Incidents by who handled them",
            columns=["Handled by", "Incidents", "Share"],
            rows=[
                ["School alone", alone, f"{percent(alone, total)}%" if total else "—"],
                ["With the SRO involved", sro, f"{percent(sro, total)}%" if total else "—"],
            ],
        ),
        detail=Table(
            caption=(
                f"Every threshold override, with its reason (newest {shown} of {overrides['total']})"
                if overrides["total"] > shown
                else "Every threshold override, with its reason"
            ),
            columns=["Incident", "School", "Table said", "Set to", "Reason", "By"],
            rows=[
                [
                    Link(f"{i['category_name']} on {day_label(i['occurred_at'])}", url),
                    i["school_name"],
                    display.label("table_level", i["table_level"]),
                    display.label("level", i["level"]),
                    i["override_reason"],
                    User.name_of(i["by_first_name"], i["by_last_name"], i["by_username"])
                    if i["overridden_by_id"]
                    else "—",
                ]
                for i, url in zip(overrides["items"], urls, strict=True)
            ],
        ),
        link=list_url("incidents:list", incident_params(filters, level=InterventionLevel.SCHOOL)),
        wide=True,
    )


def _months(filters: DashboardFilters) -> list:
    """The months of the period up to this one: later months have nothing to show yet."""
    return months_between(filters.start, max(filters.start, min(filters.end, filters.today)))


def by_month_tile(filters: DashboardFilters) -> Tile:
    rows = selectors.incidents_by_month_and_category(_counts(filters))
    months = _months(filters)
    counts: dict[str, dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[r["category"]][r["month"].replace(day=1)] += r["count"]
        totals[r["category"]] += r["count"]
    ranked = sorted(totals, key=lambda c: (-totals[c], c))
    top, rest = ranked[:CHART_CATEGORIES], ranked[CHART_CATEGORIES:]
    series = [(c, [counts[c][m] for m in months]) for c in top]
    if rest:
        series.append(("Other", [sum(counts[c][m] for c in rest) for m in months]))
    total = sum(totals.values())
    labels = [f"{m:%b %Y}" for m in months]
    per_month = [sum(counts[c][m] for c in ranked) for m in months]
    if total:
        busiest = max(range(len(months)), key=lambda i: per_month[i])
        answer = (
            f"{plural(total, 'incident')}; most often {ranked[0]} ({totals[ranked[0]]}). "
            f"Busiest month: {labels[busiest]} ({per_month[busiest]})."
        )
    else:
        answer = "No incidents in this period."
    return Tile(
        key="by-month",
        title="Incidents by month and category",
        answer=answer,
        chart=Chart(
            kind="bar",
            labels=labels,
            series=series,
            stacked=True,
            description="Incidents per month, stacked by category: "
            + "; ".join(f"{label} {n}" for label, n in zip(labels, per_month, strict=True)),
        )
        if total
        else None,
        table=Table(
            caption="Incidents by category and month",
            columns=["Category", *labels, "Total"],
            rows=[[c, *[counts[c][m] for m in months], totals[c]] for c in ranked]
            + ([["All categories", *per_month, total]] if total else []),
        ),
        link=list_url("incidents:list", incident_params(filters)),
    )


def by_school_tile(filters: DashboardFilters) -> Tile:
    rows = selectors.incidents_by_school(
        filters.school_scope, filters.start, filters.end, listed=filters.school_list()
    )
    total = sum(r["count"] for r in rows)
    ranked = sorted(rows, key=lambda r: (-r["count"], r["school"]))
    urls = list_urls("incidents:list", (incident_params(filters, school=r["school_id"]) for r in ranked))
    if total:
        top = ranked[0]
        answer = (
            f"Most incidents at {top['school']} ({top['count']} of {total}, {top['sro_count']} with the SRO)."
        )
    else:
        answer = "No incidents in this period."
    return Tile(
        key="by-school",
        title="Incidents by school",
        answer=answer,
        chart=Chart(
            kind="bar",
            labels=[r["school"] for r in ranked],
            series=[
                ("School alone", [r["count"] - r["sro_count"] for r in ranked]),
                ("With the SRO", [r["sro_count"] for r in ranked]),
            ],
            stacked=True,
            horizontal=True,
            description="Incidents by school: " + "; ".join(f"{r['school']} {r['count']}" for r in ranked),
        )
        if total
        else None,
        table=Table(
            caption="Incidents by school",
            columns=["School", "Incidents", "With the SRO", "School alone"],
            rows=[
                [Link(r["school"], url), r["count"], r["sro_count"], r["count"] - r["sro_count"]]
                for r, url in zip(ranked, urls, strict=True)
            ],
        ),
        link=list_url("incidents:list", incident_params(filters)),
    )


def level_over_time_tile(filters: DashboardFilters) -> Tile:
    rows = selectors.incidents_by_level_over_time(_counts(filters))
    months = _months(filters)
    labels = [f"{m:%b %Y}" for m in months]
    counts: dict[int, dict[datetime.date, int]] = {level: defaultdict(int) for level in InterventionLevel}
    for r in rows:
        counts[r["level"]][r["month"].replace(day=1)] += r["count"]
    totals = {level: sum(counts[level].values()) for level in InterventionLevel}
    involved = sum(n for level, n in totals.items() if level >= SRO_LEVEL)
    immediate = totals[InterventionLevel.IMMEDIATE]
    total = sum(totals.values())
    answer = (
        f"The SRO was involved in {plural(involved, 'incident')} of {total}; "
        f"{plural(immediate, 'immediate emergency', 'immediate emergencies')}."
        if total
        else "No incidents in this period."
    )
    short = {
        InterventionLevel.SCHOOL: "School handles",
        InterventionLevel.INFORMED: "SRO informed",
        InterventionLevel.RESPONDS: "SRO responds",
        InterventionLevel.IMMEDIATE: "Immediate (911)",
    }
    return Tile(
        key="levels",
        title="Intervention level over time",
        answer=answer,
        chart=Chart(
            kind="line",
            labels=labels,
            series=[(short[level], [counts[level][m] for m in months]) for level in InterventionLevel],
            description="Incidents per month by intervention level: "
            + "; ".join(f"{short[level]} {totals[level]}" for level in InterventionLevel),
        )
        if total
        else None,
        table=Table(
            caption="Incidents by intervention level and month",
            columns=["Intervention level", *labels, "Total"],
            rows=[
                [
                    Link(
                        level.label,
                        list_url("incidents:list", incident_params(filters, level=int(level))),
                    ),
                    *[counts[level][m] for m in months],
                    totals[level],
                ]
                for level in InterventionLevel
            ],
        ),
        link=list_url("incidents:list", incident_params(filters, level=int(InterventionLevel.IMMEDIATE))),
    )


def escalation_tile(filters: DashboardFilters) -> Tile:
    stats = selectors.alert_response_stats(filters.school_scope, filters.start, filters.end)
    sent, missed = stats["count"], stats["missed"]
    if sent:
        answer = (
            f"{plural(sent, 'alert')} sent to SROs; half acknowledged within "
            f"{_minutes(stats['median_minutes'])}, 90% within {_minutes(stats['p90_minutes'])}. "
            f"{plural(missed, 'missed target')}"
            + (f", {plural(stats['escalated'], 'escalation')} to supervisors." if missed else ".")
        )
    else:
        answer = "No alerts sent to SROs in this period."
    return Tile(
        key="escalation",
        title="Escalation response",
        answer=answer,
        figures=[
            ("Alerts sent", sent),
            ("Median to acknowledge", _minutes(stats["median_minutes"])),
            ("90th percentile", _minutes(stats["p90_minutes"])),
            ("Missed targets", missed),
        ],
        table=Table(
            caption="Alerts to SROs and how fast they were acknowledged",
            columns=["Measure", "Value"],
            rows=[
                ["Alerts sent", sent],
                ["Acknowledged", stats["acknowledged"]],
                ["Median time to acknowledge", _minutes(stats["median_minutes"])],
                ["90th percentile time to acknowledge", _minutes(stats["p90_minutes"])],
                ["Missed targets (late or not acknowledged)", missed],
                ["Escalated to supervisor and coordinator", stats["escalated"]],
            ],
        ),
        link=list_url("incidents:list", incident_params(filters, level=int(InterventionLevel.RESPONDS))),
    )


def threats_tile(filters: DashboardFilters) -> Tile:
    args = (filters.school_scope, filters.start, filters.end)
    by_level = selectors.open_threats_by_level(*args)
    # Only the oldest steps the tile lists are read (their count comes with them).
    overdue = selectors.overdue_steps(*args, limit=DETAIL_ROWS)
    open_total = sum(r["count"] for r in by_level)
    steps = overdue["items"]
    if open_total:
        parts = ", ".join(f"{r['count']} {r['label'].lower()}" for r in by_level)
        answer = f"{plural(open_total, 'open threat assessment')} ({parts}); "
    else:
        answer = "No open threat assessments; "
    answer += f"{plural(overdue['count'], 'required step')} overdue."
    urls = record_urls("incidents:threat_detail", (a.assessment_id for a in steps))
    display = ChoiceLabels(ThreatAction, "kind")
    return Tile(
        key="threats",
        title="Open threat assessments",
        answer=answer,
        chart=Chart(
            kind="bar",
            labels=[r["label"] for r in by_level],
            series=[("Open assessments", [r["count"] for r in by_level])],
            description="Open threat assessments by classification: "
            + "; ".join(f"{r['label']} {r['count']}" for r in by_level),
        )
        if open_total
        else None,
        table=Table(
            caption="Open threat assessments by classification",
            columns=["Classification", "Open"],
            rows=[[r["label"], r["count"]] for r in by_level],
        ),
        detail=Table(
            caption=f"Overdue required steps (oldest {len(steps)} of {overdue['count']})"
            if overdue["count"] > len(steps)
            else "Overdue required steps",
            columns=["Assessment", "School", "Step", "Due"],
            rows=[
                [
                    Link(f"Threat by {a.assessment.identifier}", url),
                    a.assessment.school.name,
                    display(a, "kind"),
                    a.due_date,
                ]
                for a, url in zip(steps, urls, strict=True)
            ],
        ),
        link=list_url("incidents:threat_list", {"status": "open"}),
    )


def officer_alerts_tile(*, officer, today: datetime.date) -> Tile:
    """Alerts waiting for this officer's acknowledgement, oldest first. The incidents app has
    no selector for one officer's pending alerts, so this is the one query of its own."""
    pending = list(
        Alert.objects.filter(officer=officer, kind=AlertKind.OFFICER, acknowledged_at__isnull=True)
        .select_related("incident__school", "incident__category")
        .order_by("due_at", "pk")
    )
    now = timezone.now()
    late = [a for a in pending if a.due_at and a.due_at < now]
    if pending:
        answer = f"{plural(len(pending), 'alert')} waiting for you to acknowledge"
        answer += f", {len(late)} past the target." if late else "."
    else:
        answer = "No alerts waiting for you."
    return Tile(
        key="my-alerts",
        title="Alerts to acknowledge",
        answer=answer,
        table=Table(
            caption="Alerts waiting for your acknowledgement",
            columns=["Incident", "School", "Intervention level", "Acknowledge by"],
            rows=[
                [
                    Link(str(a.incident.category), a.incident.get_absolute_url()),
                    a.incident.school.name,
                    a.get_level_display(),
                    moment(a.due_at) if a.due_at else "—",
                ]
                for a in pending
            ],
        ),
        link=list_url("incidents:list"),
    )
