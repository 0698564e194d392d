"""The latest survey: average score per topic and response rate, with the change since the
previous survey of the same template."""

from __future__ import annotations

from django.urls import reverse

from surveys.selectors import latest_results, survey_results

from ..filters import DashboardFilters
from ..tiles import Chart, Table, Tile


def _signed(change: float | None) -> str:
    if change is None:
        return "—"
    return f"{change:+.2f}".replace("-", "−")


def surveys_tile(filters: DashboardFilters) -> Tile:
    latest = latest_results(today=filters.today)
    if latest is None:
        return Tile(key="surveys", title="Latest survey", answer="No survey has been run yet.")
    survey = latest["survey"]
    questions, rate, responses = latest["questions"], latest["response_rate"], latest["responses"]
    school_rows = []
    if not filters.whole_district:
        # Scores for the one school in view when there is one; response rates for each school.
        in_view = set(filters.schools.values_list("pk", flat=True))
        scoped = survey_results(survey, school_id=next(iter(in_view)) if len(in_view) == 1 else None)
        if len(in_view) == 1:
            questions = [
                {"topic": q.question.topic, "text": q.question.text, "mean": q.mean, "change": q.change}
                for q in scoped.questions
            ]
            rate, responses = scoped.rate, scoped.total
        names = set(filters.schools.values_list("name", flat=True)) if len(in_view) > 1 else None
        school_rows = [r for r in scoped.by_school if names is None or r.label in names]
    else:
        school_rows = survey_results(survey).by_school
    scored = [q for q in questions if q["mean"] is not None]
    status = {"open": "open now", "closed": "closed"}.get(latest["status"], latest["status"])
    answer = f"{survey.title} ({status}): {responses} responses"
    answer += f", {rate}% response rate." if rate is not None else "."
    if scored:
        best = max(scored, key=lambda q: q["mean"])
        worst = min(scored, key=lambda q: q["mean"])
        answer += f" Highest: {best['topic']} {best['mean']:.1f} ({_signed(best['change'])});"
        answer += f" lowest: {worst['topic']} {worst['mean']:.1f} ({_signed(worst['change'])}) out of 5."
    has_previous = any(q["change"] is not None for q in scored)
    series = [("This survey", [q["mean"] for q in scored])]
    if has_previous:
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
        figures=[("Responses", responses), ("Response rate", f"{rate}%" if rate is not None else "—")],
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
            caption="Response rate by school",
            columns=["School", "Responses", "Response rate"],
            rows=[[r.label, r.responses, f"{r.rate}%" if r.rate is not None else "—"] for r in school_rows],
        ),
        # The survey pages are the coordinator's.
        link=reverse("surveys:results", args=[survey.pk]) if filters.coordinator else None,
        link_label="Open the survey results",
    )
