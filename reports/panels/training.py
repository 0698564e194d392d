"""Training compliance: the share of officers current on every required course, and who is out."""

from __future__ import annotations

import datetime

from django.db.models import Q

from core.links import record_urls
from officers.models import Officer, OfficerQuerySet
from schools.models import Assignment
from training.selectors import State, due_for_officer, matrix

from ..filters import DashboardFilters
from ..tiles import Chart, Link, Table, Tile, list_url, plural


def officers_in(filters: DashboardFilters) -> OfficerQuerySet:
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


def training_tile(filters: DashboardFilters) -> Tile:
    # Compliance is a fact about today, whatever period the rest of the page shows. The tile
    # shows officers' names; their start dates count (not their agency, which matrix() would
    # join for a queryset).
    shown = officers_in(filters).active().only("first_name", "last_name", "sro_start_date")
    result = matrix(list(shown), today=filters.today)
    officers, compliant = len(result.rows), result.compliant_count
    out = result.out_of_compliance
    urls = record_urls("training:officer", (row.officer.pk for row in out))
    if not officers:
        answer = "No active officers in this view."
    elif not out:
        every = f"all {officers} officers are" if officers > 1 else "the officer is"
        answer = f"Nobody is out: {every} current on required training."
    else:
        names = ", ".join(row.officer.full_name for row in out[:3])
        more = f" and {len(out) - 3} more" if len(out) > 3 else ""
        answer = (
            f"{result.percent_compliant}% of officers compliant ({compliant} of {officers}); "
            f"{plural(len(out), 'officer')} out: {names}{more}."
        )
    return Tile(
        key="training",
        title="Training compliance",
        answer=answer,
        figures=[("Compliant", f"{result.percent_compliant}%" if officers else "—"), ("Out", len(out))],
        chart=Chart(
            kind="bar",
            labels=[State.LABELS[s] for s in State.ALL],
            series=[("Required courses", [result.totals.get(s, 0) for s in State.ALL])],
            description="Officers' required courses by state: "
            + "; ".join(f"{State.LABELS[s]} {result.totals.get(s, 0)}" for s in State.ALL),
        )
        if officers and result.requirements
        else None,
        table=Table(
            caption="Officers' required courses by state",
            columns=["State", "Courses"],
            rows=[[State.LABELS[s], result.totals.get(s, 0)] for s in State.ALL],
        ),
        detail=Table(
            caption="Who is out of training compliance, and why",
            columns=["Officer", "Why"],
            rows=[
                [Link(row.officer.full_name, url), "; ".join(row.reasons)]
                for row, url in zip(out, urls, strict=True)
            ],
        ),
        # The compliance matrix is the coordinator's.
        link=list_url("training:matrix", {"show": "out"}) if filters.coordinator else None,
    )


def officer_training_tile(*, officer, today: datetime.date) -> Tile:
    items = due_for_officer(officer, today=today)
    urgent = [i for i in items if i["state"] in State.OUT_OF_COMPLIANCE]
    if not items:
        answer = "Your required training is current."
    elif urgent:
        answer = f"Out of compliance: {', '.join(i['course'].name for i in urgent)}."
    else:
        answer = f"{plural(len(items), 'course')} coming due: {', '.join(i['course'].name for i in items)}."
    return Tile(
        key="my-training",
        title="My training",
        answer=answer,
        table=Table(
            caption="Required training that needs action, most urgent first",
            columns=["Course", "State", "Awaiting verification"],
            rows=[[i["course"].name, i["label"], i["pending"] or "—"] for i in items],
        ),
        link=list_url("training:my_training"),
    )
