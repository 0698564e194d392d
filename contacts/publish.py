"""The equity report and the evaluation as tables and charts (reports.tiles' Table and Chart,
drawn by static/js/charts.js), internal or published. The published version carries
suppressed figures only: a withheld cell reads "*", and so does every figure derived from it."""

from __future__ import annotations

import datetime
from typing import Any

from reports.tiles import Chart, Table

from .selectors import (
    DIMENSIONS,
    EquityReport,
    EquityTable,
    Evaluation,
    ShareRow,
    conduct_share,
    equity_report,
    minimum_cell,
    sentence,
)

HIDDEN = "*"
# Marks, on the internal report, a cell the published version withholds.
WITHHELD = " (withheld when published)"


def _num(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def equity_table(table: EquityTable, *, published: bool, key: str) -> dict[str, Any]:
    rows = []
    for r in table.rows:
        hide = published and r.suppressed
        students = HIDDEN if hide else f"{r.students:,}" + (WITHHELD if r.suppressed else "")
        interval = (
            f"{_num(r.relative.low, 2)} to {_num(r.relative.high, 2)}" if r.relative.low is not None else "—"
        )
        rows.append(
            [
                r.label,
                f"{r.enrolled:,}",
                students,
                HIDDEN if hide else _num(r.rate),
                HIDDEN if hide else _num(r.relative.index, 2),
                HIDDEN if hide else interval,
            ]
        )
    total_hidden = published and table.total_suppressed
    rows.append(
        [
            "All students",
            f"{table.total_enrolled:,}",
            HIDDEN if total_hidden else f"{table.total_students:,}",
            HIDDEN
            if total_hidden
            else _num(100 * 10 * table.total_students / table.total_enrolled)
            if table.total_enrolled
            else "—",
            "1.00",
            "—",
        ]
    )
    rates = [None if (published and r.suppressed) else r.rate for r in table.rows]
    return {
        "key": key,
        "heading": table.heading,
        "table": Table(
            caption=f"{table.heading}: students with a contact, rate per 1,000 enrolled, relative rate index",
            columns=[
                "Group",
                "Enrolled",
                "Students with a contact",
                "Rate per 1,000",
                "Relative rate index",
                "95% confidence interval",
            ],
            rows=rows,
        ),
        "chart": Chart(
            kind="bar",
            labels=[r.label for r in table.rows],
            series=[("Rate per 1,000 enrolled", [round(x, 1) if x is not None else None for x in rates])],
            description=f"Rate per 1,000 enrolled students by {table.heading.lower()}; "
            "the table below has the figures.",
            horizontal=True,
        ),
        "chart_id": f"chart-{key}",
    }


def share_tables(share: dict[str, Any], *, published: bool) -> dict[str, Any]:
    """The code-of-conduct share by school (and, internally, by officer) and its trend."""

    def table(caption: str, rows: list[ShareRow], what: str) -> Table:
        out = []
        for r in rows:
            small = published and 0 < r.total < minimum_cell()
            out.append(
                [
                    r.label,
                    HIDDEN if small else r.total,
                    HIDDEN if small else r.conduct,
                    HIDDEN if small else (f"{r.share:.0f}%" if r.share is not None else "—"),
                ]
            )
        return Table(caption=caption, columns=["", what, "Code-of-conduct matters", "Share"], rows=out)

    trend = share["trend"]
    tables = {
        "contacts_by_school": table(
            "Police contacts with an incident, by school",
            share["contacts_by_school"],
            "Contacts with an incident",
        ),
        "involvements_by_school": table(
            "SRO involvements (incidents at an SRO level), by school",
            share["involvements_by_school"],
            "Involvements",
        ),
        "trend": Table(
            caption="Share of code-of-conduct matters by school year",
            columns=[
                "School year",
                "Contacts",
                "Of them code of conduct",
                "Involvements",
                "Of them code of conduct",
            ],
            rows=[
                [
                    t["label"],
                    t["contacts"].total,
                    _share(t["contacts"]),
                    t["involvements"].total,
                    _share(t["involvements"]),
                ]
                for t in trend
            ],
        ),
        "trend_chart": Chart(
            kind="line",
            labels=[t["label"] for t in trend],
            series=[
                ("Contacts: % code of conduct", [_pct(t["contacts"]) for t in trend]),
                ("SRO involvements: % code of conduct", [_pct(t["involvements"]) for t in trend]),
            ],
            description="Share of police contacts and SRO involvements that were code-of-conduct matters, "
            "by school year; the table below has the figures.",
            y_title="% code of conduct",
        ),
    }
    if not published:
        tables["contacts_by_officer"] = table(
            "Police contacts with an incident, by officer",
            share["contacts_by_officer"],
            "Contacts with an incident",
        )
        tables["involvements_by_officer"] = table(
            "SRO involvements, by officer alerted", share["involvements_by_officer"], "Involvements"
        )
    latest = trend[-1] if trend else None
    tables["sentence"] = (
        f"In {latest['label']}, {_share(latest['contacts'])} of the police contacts tied to an incident and "
        f"{_share(latest['involvements'])} of SRO involvements were code-of-conduct matters, which the "
        "agreement leaves to the school."
        if latest
        else ""
    )
    return tables


def _pct(row: ShareRow) -> float | None:
    return round(row.share, 1) if row.share is not None else None


def _share(row: ShareRow) -> str:
    return f"{row.share:.0f}% ({row.conduct} of {row.total})" if row.share is not None else "none recorded"


def published_report(*, schools: Any, year: int, roster_on: datetime.date, district: Any) -> dict[str, Any]:
    """Every measure, suppressed, for a school board."""
    report: EquityReport = equity_report(schools=schools, year=year, roster_on=roster_on)
    measures = []
    for measure in report.measures:
        measures.append(
            {
                "measure": measure,
                "tables": [
                    {
                        **equity_table(t, published=True, key=f"{measure.key}-{t.dimension}"),
                        "sentence": sentence(t, measure.label, year, published=True),
                    }
                    for t in measure.tables
                ],
            }
        )
    return {
        "report": report,
        "measures": measures,
        # The published report names no officer: their alerts and names are not read.
        "share": share_tables(conduct_share(schools=schools, year=year, by_officer=False), published=True),
        "district": district,
        "dimensions": DIMENSIONS,
    }


def evaluation_chart(evaluation: Evaluation) -> dict[str, Any]:
    labels = [label for _, label, _, _ in evaluation.rows]

    def r(value: float | None) -> float | None:
        return round(value, 2) if value is not None else None

    chart = Chart(
        kind="bar",
        labels=labels,
        series=[
            ("Program schools, before", [r(d.treated_before) for _, _, d, _ in evaluation.rows]),
            ("Program schools, after", [r(d.treated_after) for _, _, d, _ in evaluation.rows]),
            ("Other schools, before", [r(d.comparison_before) for _, _, d, _ in evaluation.rows]),
            ("Other schools, after", [r(d.comparison_after) for _, _, d, _ in evaluation.rows]),
        ],
        description="Incidents per 100 students before and after the change, at the program's schools and at "
        "the district's other schools; the table below has the figures.",
        y_title="Incidents per 100 students",
    )
    table = Table(
        caption="Incidents per 100 students, and the difference in differences",
        columns=[
            "Incidents",
            "Program schools before",
            "Program schools after",
            "Other schools before",
            "Other schools after",
            "Difference in differences",
            "95% interval",
        ],
        rows=[
            [
                label,
                f"{_num(d.treated_before, 2)} ({f['treated_before']})",
                f"{_num(d.treated_after, 2)} ({f['treated_after']})",
                f"{_num(d.comparison_before, 2)} ({f['comparison_before']})",
                f"{_num(d.comparison_after, 2)} ({f['comparison_after']})",
                _num(d.effect, 2),
                f"{_num(d.low, 2)} to {_num(d.high, 2)}" if d.low is not None else "—",
            ]
            for _, label, d, f in evaluation.rows
        ],
    )
    return {"chart": chart, "table": table}
