"""Survey results: distributions, averages, response rates, and the change since the
previous survey of the same template. The database counts and sums the answers per school
and audience (a few hundred rows); every group (school, audience, officer, the whole survey)
is added up from those. Decoding every response's answers and averaging them in Python per
group (officers × responses) took ~150 ms of a 36,000-response district's page (README)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import connection
from django.db.models import Count, F, Func, IntegerField, Q, QuerySet, TextField, Value
from django.utils import timezone

from officers.models import Officer
from schools.models import Assignment, School

from .models import LIKERT_CHOICES, Audience, Question, QuestionKind, Response, Survey

K = TypeVar("K")

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler

# Scores of a group with fewer responses than this are not shown: with one or two answers
# from a school's parents, say, the "average" is someone's answer.
MIN_GROUP = 3


class Answer(Func):
    """One question's answer in a response's `answers` object, as an integer (a Likert
    score) or as text. Django's key lookups read a key like "12" as an array index, so the key
    is given as an object key."""

    def __init__(self, key: str, *, text: bool = False):
        self.key, self.text = key, text
        super().__init__(F("answers"), Value(key), output_field=TextField() if text else IntegerField())

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra: Any,
    ) -> tuple[str, Any]:  # PostgreSQL
        template = "(%(expressions)s)" if self.text else "CAST((%(expressions)s) AS integer)"
        return super().as_sql(compiler, connection, function, template, " ->> ", **extra)

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, Any]:
        clone = self.copy()
        clone.set_source_expressions(
            [F("answers").resolve_expression(compiler.query), Value(f'$."{self.key}"')]
        )
        template = (
            "JSON_EXTRACT(%(expressions)s)" if self.text else "CAST(JSON_EXTRACT(%(expressions)s) AS integer)"
        )
        return Func.as_sql(clone, compiler, connection, template=template, **extra)


# Per question: how many answered it and the sum of their scores (and, grouped, how many gave
# each score), per school and audience.
Cell = dict[str, Any]


def _cells(responses: QuerySet[Response], likert: list[Question], *, grouped: bool = True) -> list[Cell]:
    """Per school and audience (`grouped`; else one cell of them all): responses, and per
    question `n<pk>` answers, `s<pk>` their sum and (grouped) `v<pk>_<score>` how many gave
    each score, in one query. Each response's answers are read once, in a subquery the
    counts are taken over: counted on the JSON directly, PostgreSQL extracted and cast each
    answer once an aggregate, and the distributions took a second pass (7,200 responses on
    the large district: 8 + 9 -> 7 ms; the previous survey's whole 7 -> 4 ms). The ORM cannot
    group over a subquery, so the outer query is written here around the ORM's own SQL."""
    qn = connection.ops.quote_name
    answers = {f"a{q.pk}": Answer(str(q.pk)) for q in likert}
    keys = ["school_id", "audience"] if grouped else []
    inner, params = responses.order_by().values(*keys, **answers).query.sql_with_params()
    names, columns = ["responses"], ["COUNT(*)"]
    for q in likert:
        a = qn(f"a{q.pk}")
        names += [f"n{q.pk}", f"s{q.pk}"]
        columns += [f"COUNT({a})", f"SUM({a})"]
        if grouped:
            for value, _ in LIKERT_CHOICES:
                names.append(f"v{q.pk}_{value}")
                columns.append(f"COUNT(*) FILTER (WHERE {a} = {int(value)})")
    # OFFSET 0 keeps PostgreSQL from folding the subquery into the aggregates (which would
    # extract every answer again for each); SQLite needs no fence and takes none without LIMIT.
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    group = f" GROUP BY {qn('school_id')}, {qn('audience')}" if grouped else ""
    sql = f"SELECT {', '.join([*map(qn, keys), *columns])} FROM ({inner}{fence}) AS answers{group}"  # noqa: S608 - Django's SQL and our names
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [dict(zip([*keys, *names], row, strict=True)) for row in cursor.fetchall()]


def _mean_keys(likert: list[Question]) -> list[tuple[str, str]]:
    """Each question's keys in a cell (answers, sum), made once a page: ~180 groups add up
    these cells, and a question's `pk` is a property."""
    return [(f"n{q.pk}", f"s{q.pk}") for q in likert]


def _means_of(cells: Sequence[Cell], keys: list[tuple[str, str]]) -> tuple[int, list[float | None]]:
    """Responses in these cells and each question's mean (none under MIN_GROUP responses)."""
    total = sum(map(itemgetter("responses"), cells))
    if total < MIN_GROUP:
        return total, [None] * len(keys)
    means: list[float | None] = []
    # A sum is None where no one answered (filter drops it, and zeros, which add nothing).
    for n_key, s_key in keys:
        n = sum(map(itemgetter(n_key), cells))
        means.append(round(sum(filter(None, map(itemgetter(s_key), cells))) / n, 2) if n else None)
    return total, means


def whole_means(responses: QuerySet[Response], likert: list[Question]) -> list[float | None]:
    """Each question's mean over all these responses (none under MIN_GROUP responses), from
    one cell: the previous survey on the results page, and the dashboard's survey tile."""
    return _means_of(_cells(responses, likert, grouped=False), _mean_keys(likert))[1]


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
    # Big enough, but hidden with a smaller group its scores would give away (`shown_groups`).
    withheld: bool = False

    @property
    def hidden(self) -> bool:
        return self.withheld or 0 < self.responses < MIN_GROUP

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
    schools: list[School] = field(default_factory=list)  # the surveyed schools, for the filter
    # A filtered view whose scores, set against a wider view's, would give away a small group's.
    withheld: bool = False

    @property
    def rate(self) -> int | None:
        return (
            round(100 * self.answered / self.invited) if self.invited and self.answered is not None else None
        )

    @property
    def hidden(self) -> bool:
        return self.withheld or 0 < self.total < MIN_GROUP


def shown_groups(sizes: Mapping[K, int]) -> set[K]:
    """The groups of one table (the schools, or the audiences, of a view whose own scores are
    shown) that can show their scores: those of MIN_GROUP responses or more, less those hidden
    in their stead. The view's scores less the scores of the groups shown are the scores of the
    groups hidden, so while the hidden hold 1 to MIN_GROUP - 1 responses in all, the smallest
    group shown is hidden too. Unlike the equity report's cells (contacts.stats), what is
    counted is responses: two hidden groups of one answer each would still be two people."""
    if sum(sizes.values()) < MIN_GROUP:
        return set()
    shown = sorted((n, i) for i, n in enumerate(sizes.values()) if n >= MIN_GROUP)
    hidden = sum(n for n in sizes.values() if 0 < n < MIN_GROUP)
    while 0 < hidden < MIN_GROUP and shown:
        hidden += shown.pop(0)[0]
    keys = list(sizes)
    return {keys[i] for _, i in shown}


def _view_shown(sizes: Mapping[tuple[int, str], int], school_id: int | None, audience: str | None) -> bool:
    """Whether a view filtered to a school and/or an audience may show its scores: only as a
    group the wider views would show as a row (`shown_groups`), since the wider view less the
    filtered one is the rest. `sizes`: the whole survey's responses per school and audience."""

    if school_id is not None and school_id not in shown_groups(_sizes_by(sizes, SCHOOL)):
        return False
    if audience is not None and audience not in shown_groups(_sizes_by(sizes, AUDIENCE)):
        return False
    if school_id is not None and audience is not None:
        return audience in shown_groups(
            _sizes_by(sizes, AUDIENCE, of=school_id)
        ) and school_id in shown_groups(_sizes_by(sizes, SCHOOL, of=audience))
    return True


def _distributions(cells: Sequence[Cell], likert: list[Question]) -> list[QuestionResult]:
    """Each question's answers by score, added up from the cells."""
    results = []
    for q in likert:
        # Each key made once, not once a cell (~180 cells, 25 keys).
        by_value = [
            (value, label, sum(map(itemgetter(f"v{q.pk}_{value}"), cells))) for value, label in LIKERT_CHOICES
        ]
        n = sum(count for _, _, count in by_value)
        total = sum(value * count for value, _, count in by_value)
        results.append(
            QuestionResult(
                q,
                [(v, label, c, round(100 * c / n) if n else 0) for v, label, c in by_value],
                n,
                round(total / n, 2) if n else None,
            )
        )
    return results


def _group(
    label: str,
    cells: Sequence[Cell],
    keys: list[tuple[str, str]],
    invited: int | None = None,
    answered: int | None = None,
    *,
    shown: bool,
) -> GroupRow:
    """A row of a table; `shown`: whether the table may show its scores (`shown_groups`)."""
    total, means = _means_of(cells, keys)
    if shown or total < MIN_GROUP:
        return GroupRow(label, total, means, invited, answered)
    return GroupRow(label, total, [None] * len(keys), invited, answered, withheld=True)


def _sizes(survey: Survey) -> dict[tuple[int, str], int]:
    """The whole survey's responses per school and audience. One query."""
    rows = survey.responses.order_by().values_list("school_id", "audience").annotate(n=Count("pk"))
    return {(school_id, audience): n for school_id, audience, n in rows}


# The parts of a `sizes` key (school, audience), as `_sizes_by` takes them.
SCHOOL, AUDIENCE = 0, 1


def _sizes_by(
    sizes: Mapping[tuple[int, str], int], by: int, *, of: int | str | None = None
) -> dict[Any, int]:
    """Responses per school (`by=SCHOOL`) or per audience (`by=AUDIENCE`), of the one audience
    or school `of` when given."""
    totals: dict[Any, int] = defaultdict(int)
    for key, n in sizes.items():
        if of is None or key[1 - by] == of:
            totals[key[by]] += n
    return dict(totals)


def survey_results(survey: Survey, *, school_id: int | None = None, audience: str | None = None) -> Results:
    questions = list(survey.template.questions.all())
    likert = [q for q in questions if q.kind == QuestionKind.LIKERT]
    texts = [q for q in questions if q.kind == QuestionKind.TEXT]
    responses = survey.responses.all()
    if school_id is not None:
        responses = responses.filter(school_id=school_id)
    if audience is not None:
        responses = responses.filter(audience=audience)
    cells = _cells(responses, likert)
    keys = _mean_keys(likert)
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
        # Its whole survey only: one cell of all its responses, not grouped by school and
        # audience (7,200 responses on the large district: 8.0 -> 6.8 ms).
        before = whole_means(previous.responses.all(), likert)
        previous_means = {q.pk: mean for q, mean in zip(likert, before, strict=True)}
    total = sum(c["responses"] for c in cells)
    sizes = {(c["school_id"], c["audience"]): c["responses"] for c in cells}
    filtered = school_id is not None or audience is not None
    # A filtered view is weighed against the whole survey's groups (one more query).
    whole_sizes = _sizes(survey) if filtered else sizes
    results = Results(
        survey=survey,
        questions=[],
        likert=likert,
        total=total,
        invited=sum(i["invited"] for i in rates),
        answered=sum(i["answered"] for i in rates),
        previous=previous,
        withheld=total >= MIN_GROUP and not _view_shown(whole_sizes, school_id, audience),
    )
    for result in _distributions(cells if not results.hidden else [], likert):
        result.previous_mean = previous_means.get(result.question.pk)
        results.questions.append(result)

    results.schools = list(survey.schools.all())
    schools = results.schools
    names = {s.pk: s.name for s in schools}
    by_school: dict[int, list[Cell]] = defaultdict(list)
    by_audience: dict[str, list[Cell]] = defaultdict(list)
    for cell in cells:
        by_school[cell["school_id"]].append(cell)
        by_audience[cell["audience"]].append(cell)
    # Invitations by school and by audience once, not filtered again for each of 60 schools.
    rates_by_school: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rates_by_audience: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for i in rates:
        rates_by_school[i["school_id"]].append(i)
        rates_by_audience[i["audience"]].append(i)
    # Rows shown with their scores: complementary suppression within each table, nothing
    # where the view's own scores are hidden.
    responses_by_school = _sizes_by(sizes, SCHOOL)
    shown_schools = set() if results.hidden else shown_groups(responses_by_school)
    shown_audiences = set() if results.hidden else shown_groups(_sizes_by(sizes, AUDIENCE))
    for school in schools:
        if school_id is not None and school.pk != school_id:
            continue
        rows = rates_by_school[school.pk]
        results.by_school.append(
            _group(
                school.name,
                by_school[school.pk],
                keys,
                sum(i["invited"] for i in rows),
                sum(i["answered"] for i in rows),
                shown=school.pk in shown_schools,
            )
        )
    for value, label in Audience.choices:
        if value not in survey.audiences or (audience is not None and value != audience):
            continue
        rows = rates_by_audience[value]
        results.by_audience.append(
            _group(
                label,
                by_audience[value],
                keys,
                sum(i["invited"] for i in rows),
                sum(i["answered"] for i in rows),
                shown=value in shown_audiences,
            )
        )
    # Officers: whoever was assigned to a surveyed school at any time while it was open. Their
    # names only, not ~200 assignments and officers as instances (3.2 -> 1.3 ms).
    assignments = (
        Assignment.objects.filter(school__in=names, start_date__lte=survey.closes_on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=survey.opens_on))
        .values_list("officer_id", "officer__first_name", "officer__last_name", "school_id")
    )
    officer_schools: dict[tuple[int, str, str], set[int]] = defaultdict(set)
    for officer_id, first_name, last_name, school_pk in assignments:
        officer_schools[(officer_id, first_name, last_name)].add(school_pk)
    for (_, first_name, last_name), school_ids in sorted(
        officer_schools.items(), key=lambda item: item[0][2]
    ):
        mine = [cell for s in school_ids for cell in by_school[s]]
        their_schools = ", ".join(sorted(names[s] for s in school_ids))
        label = f"{Officer.name_of(first_name, last_name)} ({their_schools})"
        # An officer's row adds up their schools' rows: shown only when each of those is.
        shown = all(s in shown_schools for s in school_ids if responses_by_school.get(s))
        results.by_officer.append(_group(label, mine, keys, shown=shown and not results.hidden))
    results.comments, results.withheld_comments = _comments(
        _written(responses, texts),
        sizes,
        names,
        filtered=filtered,
    )
    results.links = [
        (link.school.name, link.get_audience_display(), link.answers)
        for link in survey.links.select_related("school")
        if (school_id is None or link.school_id == school_id)
        and (audience is None or link.audience == audience)
    ]
    return results


def _written(responses: QuerySet[Response], texts: list[Question]) -> list[tuple[int, str, tuple[Any, ...]]]:
    """The responses that answered a text question: school, audience and those answers (in
    the order of `texts`) only."""
    if not texts:
        return []
    fields = {f"t{q.pk}": Answer(str(q.pk), text=True) for q in texts}
    written = Q()
    for name in fields:
        written |= Q(**{f"{name}__isnull": False}) & ~Q(**{name: ""})
    rows = (
        responses.order_by().annotate(**fields).filter(written).values_list("school_id", "audience", *fields)
    )
    return [(row[0], row[1], row[2:]) for row in rows]


def _comments(
    responses: Sequence[tuple[int, str, Sequence[Any]]],
    sizes: Mapping[tuple[int, str], int],
    names: dict[int, str],
    *,
    filtered: bool,
) -> tuple[list[tuple[str, str, str]], int]:
    """The comments that can be shown without pointing at their writer, and how many are not.

    A group is a school's audience (e.g. Hamilton's staff): the invitation list names its
    members, so the comment of a group under MIN_GROUP responses is never shown with its
    school and audience. Such comments are pooled, unlabelled, on the survey's whole view when
    the pool holds at least MIN_GROUP responses (so no comment can be tied to one small group),
    and withheld otherwise, and always on a filtered view (comparing a filtered view with
    the whole one would tell a small group's comments apart)."""
    audience_names = dict(Audience.choices)
    small_responses = sum(n for n in sizes.values() if n < MIN_GROUP)
    pool_ok = not filtered and small_responses >= MIN_GROUP
    labelled, pooled, withheld = [], [], 0
    for school_id, audience, answers in responses:
        group_small = sizes[(school_id, audience)] < MIN_GROUP
        for text in answers:
            if not (isinstance(text, str) and text.strip()):
                continue
            if not group_small:
                labelled.append((audience_names.get(audience, ""), names.get(school_id, ""), text))
            elif pool_ok:
                pooled.append(("", "", text))
            else:
                withheld += 1
    # Sorted, not in the order answered: the order would hint at when each was written.
    return sorted(labelled) + sorted(pooled), withheld


def latest_survey(today: datetime.date, schools: Any = None) -> Survey | None:
    """The latest launched survey that has opened (open or closed), among the surveys of
    `schools` when given (None: every survey): what the dashboard's survey tile reports on."""
    surveys = (
        Survey.objects.all()
        if schools is None
        else Survey.objects.filter(
            pk__in=Survey.schools.through.objects.filter(school__in=schools).values("survey_id")
        )
    )
    return (
        surveys.launched()
        .filter(opens_on__lte=today)
        .select_related("template")
        .order_by("-closes_on", "-pk")
        .first()
    )


def latest_results(today: datetime.date | None = None) -> dict[str, Any] | None:
    """The latest survey's (latest_survey) average per question and response rate, with the
    change since the previous survey. None if none."""
    survey = latest_survey(today or timezone.localdate())
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
