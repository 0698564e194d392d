"""The latest survey: average score per topic and response rates, with the change since the
previous survey of the same template.

The tile needs only averages and rates, so it asks the database for them, adding up the
results page's cells (surveys.selectors): a fixed handful of aggregate queries however many
responses there are."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from core.queries import at_schools
from surveys.models import Invitation, QuestionKind, Response
from surveys.selectors import MIN_GROUP, latest_survey, whole_means

from ..filters import DashboardFilters
from ..tiles import Chart, Table, Tile


def _change(now: float | None, before: float | None) -> float | None:
    return round(now - before, 2) if now is not None and before is not None else None


def _signed(change: float | None) -> str:
    if change is None:
        return "—"
    return f"{change:+.2f}".replace("-", "−")


def surveys_tile(filters: DashboardFilters) -> Tile:
    # Every school (None) only when no filter narrows them: an agency keeps the schools it serves.
    schools = filters.school_scope
    survey = latest_survey(filters.today, schools)
    if survey is None:
        return Tile(key="surveys", title="Latest survey", answer="No survey has been run yet.")
    likert = list(survey.template.questions.filter(kind=QuestionKind.LIKERT).order_by("order"))
    responses = at_schools(Response.objects.filter(survey=survey), schools)
    previous = survey.previous()
    # As on the results page: no score from fewer than MIN_GROUP responses (one parent's
    # answer is not an average), for this survey or the one it is compared with.
    # Read as the results page reads the previous survey (surveys.selectors.whole_means):
    # each response's answers once, one cell of them all.
    means = whole_means(responses, likert)
    before: list[float | None] = [None] * len(likert)
    if previous:
        before = whole_means(at_schools(Response.objects.filter(survey=previous), schools), likert)
    questions: list[dict[str, Any]] = [
        {"topic": q.topic, "text": q.text, "mean": mean, "change": _change(mean, mean_before)}
        for q, mean, mean_before in zip(likert, means, before, strict=True)
    ]
    # COUNT(*), not of the ids: the index on (survey, school, audience) answers it alone.
    counts = dict(responses.order_by().values_list("school_id").annotate(n=Count("*")))
    rates = {
        school_id: (invited, answered)
        for school_id, invited, answered in at_schools(Invitation.objects.filter(survey=survey), schools)
        .order_by()
        .values_list("school_id")
        .annotate(invited=Count("pk"), answered=Count("pk", filter=Q(used_at__isnull=False)))
    }
    surveyed = at_schools(survey.schools.all(), schools, through="pk")
    school_rows = []
    for school_id, name in surveyed.order_by("name").values_list("pk", "name"):
        invited, answered = rates.get(school_id, (0, 0))
        share = f"{round(100 * answered / invited)}%" if invited else "—"
        school_rows.append([name, counts.get(school_id, 0), share])
    invited = sum(i for i, _ in rates.values())
    rate = round(100 * sum(a for _, a in rates.values()) / invited) if invited else None
    total = sum(counts.values())

    status = {"open": "open now", "closed": "closed"}.get(survey.status(filters.today), "scheduled")
    scored = [q for q in questions if q["mean"] is not None]
    answer = f"{survey.title} ({status}): {total} response{'s' if total != 1 else ''}"
    answer += f", {rate}% response rate." if rate is not None else "."
    if 0 < total < MIN_GROUP:
        answer += f" Scores are shown from {MIN_GROUP} responses on, so no one's answers stand out."
    if scored:
        best = max(scored, key=lambda q: q["mean"])
        worst = min(scored, key=lambda q: q["mean"])
        answer += f" Highest: {best['topic']} {best['mean']:.1f} ({_signed(best['change'])});"
        answer += f" lowest: {worst['topic']} {worst['mean']:.1f} ({_signed(worst['change'])}) out of 5."
    series = [("This survey", [q["mean"] for q in scored])]
    if any(q["change"] is not None for q in scored):
        series.append(
            (
                "Previous survey",
                [round(q["mean"] - q["change"], 2) if q["change"] is not None else None for q in scored],
            )
        )
    return Tile(
        key="surveys",
        title="Latest survey",
        answer=answer,
        figures=[("Responses", total), ("Response rate", f"{rate}%" if rate is not None else "—")],
        chart=Chart(
            kind="bar",
            labels=[q["topic"] for q in scored],
            series=series,
            y_title="Average (1 to 5)",
            description="Average score by topic, 1 to 5: "
            + "; ".join(f"{q['topic']} {q['mean']:.1f}" for q in scored),
        )
        if scored
        else None,
        table=Table(
            caption="Average score by topic (1 strongly disagree to 5 strongly agree)",
            columns=["Topic", "Average", "Change since the previous survey", "Question"],
            rows=[
                [
                    q["topic"],
                    f"{q['mean']:.2f}" if q["mean"] is not None else "—",
                    _signed(q["change"]),
                    q["text"],
                ]
                for q in questions
            ],
        ),
        detail=Table(
            caption="Responses and response rate by school",
            columns=["School", "Responses", "Response rate"],
            rows=school_rows,
        ),
        # The survey pages are the coordinator's (a district coordinator's: their district's).
        link=reverse("surveys:results", args=[survey.pk])
        if filters.coordinator
        and (
            filters.scope == "program"
            or (filters.district is not None and survey.district_id == filters.district.pk)
        )
        else None,
    )
