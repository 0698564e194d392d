"""Survey results: distributions, averages, response rates, and the change since the
previous survey of the same template. Aggregated in Python over one query of answers."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from officers.models import Officer
from schools.models import Assignment

from .models import LIKERT_CHOICES, Audience, Question, QuestionKind, Survey

# Scores of a group with fewer responses than this are not shown: with one or two answers
# from a school's parents, say, the "average" is someone's answer.
MIN_GROUP = 3


@dataclass
class QuestionResult:
    question: Question
    counts: list[tuple[int, str, int, int]]  # value, label, count, percent
    n: int
    mean: float | None
    previous_mean: float | None = None

    @property
    def change(self) -> float | None:
        if self.mean is None or self.previous_mean is None:
            return None
        return round(self.mean - self.previous_mean, 2)


@dataclass
class GroupRow:
    label: str
    responses: int
    means: list[float | None]
    invited: int | None = None
    answered: int | None = None

    @property
    def hidden(self) -> bool:
        return 0 < self.responses < MIN_GROUP

    @property
    def rate(self) -> int | None:
        return (
            round(100 * self.answered / self.invited) if self.invited and self.answered is not None else None
        )


@dataclass
class Results:
    survey: Survey
    questions: list[QuestionResult]
    likert: list[Question]
    total: int
    invited: int
    answered: int
    previous: Survey | None
    by_school: list[GroupRow] = field(default_factory=list)
    by_audience: list[GroupRow] = field(default_factory=list)
    by_officer: list[GroupRow] = field(default_factory=list)
    # (audience, school, text); both labels empty for a comment shown without them.
    comments: list[tuple[str, str, str]] = field(default_factory=list)
    withheld_comments: int = 0
    links: list[tuple[str, str, int]] = field(default_factory=list)  # school, audience, answers

    @property
    def rate(self) -> int | None:
        return (
            round(100 * self.answered / self.invited) if self.invited and self.answered is not None else None
        )

    @property
    def hidden(self) -> bool:
        return 0 < self.total < MIN_GROUP


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _values(responses: Sequence[Mapping[str, Any]], question: Question) -> list[int]:
    key = str(question.pk)
    return [r["answers"][key] for r in responses if isinstance(r["answers"].get(key), int)]


def _distribution(question: Question, responses: Sequence[Mapping[str, Any]]) -> QuestionResult:
    values = _values(responses, question)
    counts = []
    for value, label in LIKERT_CHOICES:
        count = values.count(value)
        counts.append((value, label, count, round(100 * count / len(values)) if values else 0))
    return QuestionResult(question, counts, len(values), _mean(values))


def _group(
    label: str,
    responses: Sequence[Mapping[str, Any]],
    likert: list[Question],
    invited: int | None = None,
    answered: int | None = None,
) -> GroupRow:
    means = [_mean(_values(responses, q)) if len(responses) >= MIN_GROUP else None for q in likert]
    return GroupRow(label, len(responses), means, invited, answered)


def survey_results(survey: Survey, *, school_id: int | None = None, audience: str | None = None) -> Results:
    questions = list(survey.template.questions.all())
    likert = [q for q in questions if q.kind == QuestionKind.LIKERT]
    texts = [q for q in questions if q.kind == QuestionKind.TEXT]
    everything = list(survey.responses.values("school_id", "audience", "answers"))
    responses = [
        r
        for r in everything
        if (school_id is None or r["school_id"] == school_id)
        and (audience is None or r["audience"] == audience)
    ]
    invitations = list(
        survey.invitations.values("school_id", "audience").annotate(
            invited=Count("pk"), answered=Count("pk", filter=Q(used_at__isnull=False))
        )
    )
    rates = [
        i
        for i in invitations
        if (school_id is None or i["school_id"] == school_id)
        and (audience is None or i["audience"] == audience)
    ]
    previous = survey.previous()
    previous_means: dict[int, float | None] = {}
    if previous is not None:
        before = list(previous.responses.values("answers"))
        if len(before) >= MIN_GROUP:
            previous_means = {q.pk: _mean(_values(before, q)) for q in likert}
    results = Results(
        survey=survey,
        questions=[],
        likert=likert,
        total=len(responses),
        invited=sum(i["invited"] for i in rates),
        answered=sum(i["answered"] for i in rates),
        previous=previous,
    )
    for question in likert:
        result = _distribution(question, responses if len(responses) >= MIN_GROUP else [])
        result.previous_mean = previous_means.get(question.pk)
        results.questions.append(result)

    schools = list(survey.schools.all())
    names = {s.pk: s.name for s in schools}
    by_school: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    by_audience: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for r in responses:
        by_school[r["school_id"]].append(r)
        by_audience[r["audience"]].append(r)
    for school in schools:
        if school_id is not None and school.pk != school_id:
            continue
        rows = [i for i in rates if i["school_id"] == school.pk]
        results.by_school.append(
            _group(
                school.name,
                by_school[school.pk],
                likert,
                sum(i["invited"] for i in rows),
                sum(i["answered"] for i in rows),
            )
        )
    for value, label in Audience.choices:
        if value not in survey.audiences or (audience is not None and value != audience):
            continue
        rows = [i for i in rates if i["audience"] == value]
        results.by_audience.append(
            _group(
                label,
                by_audience[value],
                likert,
                sum(i["invited"] for i in rows),
                sum(i["answered"] for i in rows),
            )
        )
    # Officers: whoever was assigned to a surveyed school at any time while it was open.
    assignments = (
        Assignment.objects.filter(school__in=names, start_date__lte=survey.closes_on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=survey.opens_on))
        .select_related("officer")
    )
    officer_schools: dict[Officer, set[int]] = defaultdict(set)
    for assignment in assignments:
        officer_schools[assignment.officer].add(assignment.school_id)
    for officer, school_ids in sorted(officer_schools.items(), key=lambda item: item[0].last_name):
        mine = [r for r in responses if r["school_id"] in school_ids]
        label = f"{officer.full_name} ({', '.join(sorted(names[s] for s in school_ids))})"
        results.by_officer.append(_group(label, mine, likert))
    results.comments, results.withheld_comments = _comments(
        responses, texts, names, filtered=school_id is not None or audience is not None
    )
    results.links = [
        (link.school.name, link.get_audience_display(), link.answers)
        for link in survey.links.select_related("school")
        if (school_id is None or link.school_id == school_id)
        and (audience is None or link.audience == audience)
    ]
    return results


def _comments(
    responses: Sequence[Mapping[str, Any]], texts: list[Question], names: dict[int, str], *, filtered: bool
) -> tuple[list[tuple[str, str, str]], int]:
    """The comments that can be shown without pointing at their writer, and how many are not.

    A group is a school's audience (e.g. Hamilton's staff): the invitation list names its
    members, so the comment of a group under MIN_GROUP responses is never shown with its
    school and audience. Such comments are pooled, unlabelled, on the survey's whole view when
    the pool holds at least MIN_GROUP responses (so no comment can be tied to one small group),
    and withheld otherwise, and always on a filtered view (comparing a filtered view with
    the whole one would tell a small group's comments apart)."""
    audience_names = dict(Audience.choices)
    sizes: dict[tuple[int, str], int] = defaultdict(int)
    for r in responses:
        sizes[(r["school_id"], r["audience"])] += 1
    small_responses = sum(n for n in sizes.values() if n < MIN_GROUP)
    pool_ok = not filtered and small_responses >= MIN_GROUP
    labelled, pooled, withheld = [], [], 0
    for r in responses:
        group_small = sizes[(r["school_id"], r["audience"])] < MIN_GROUP
        for question in texts:
            text = r["answers"].get(str(question.pk))
            if not (isinstance(text, str) and text.strip()):
                continue
            if not group_small:
                labelled.append((audience_names.get(r["audience"], ""), names.get(r["school_id"], ""), text))
            elif pool_ok:
                pooled.append(("", "", text))
            else:
                withheld += 1
    # Sorted, not in the order answered: the order would hint at when each was written.
    return sorted(labelled) + sorted(pooled), withheld


def latest_results(today: datetime.date | None = None) -> dict[str, Any] | None:
    """For the coordinator's dashboard: the latest open or closed survey's average per
    question and response rate, with the change since the previous survey. None if none."""
    today = today or timezone.localdate()
    survey = (
        Survey.objects.launched()
        .filter(opens_on__lte=today)
        .select_related("template")
        .order_by("-closes_on", "-pk")
        .first()
    )
    if survey is None:
        return None
    results = survey_results(survey)
    return {
        "survey": survey,
        "status": survey.status(today),
        "responses": results.total,
        "response_rate": results.rate,
        "previous": results.previous,
        "questions": [
            {"topic": q.question.topic, "text": q.question.text, "mean": q.mean, "change": q.change}
            for q in results.questions
        ],
    }
