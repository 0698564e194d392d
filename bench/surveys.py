"""Feedback surveys: a spring survey each school year to every school's staff, students and
parents, with anonymous responses (about 40 per school and audience at scale 1)."""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from surveys.models import Question, QuestionKind, Response, Survey, SurveyTemplate

from .bulk import insert_rows, next_id

AUDIENCES = ["staff", "student", "parent"]
COMMENTS = ["The officer knows the students by name.", "More presence at dismissal, please.", ""]


def generate(district, *, scale: float) -> str:
    rng = district.rng
    template = SurveyTemplate.objects.order_by("pk").first()
    if template is None:
        return "skipped (no survey template: the surveys data migration has not run)"
    questions = list(Question.objects.filter(template=template).order_by("order"))
    now = timezone.now()
    first_year = district.start.year if district.start.month >= 7 else district.start.year - 1
    last_year = district.today.year if district.today.month >= 7 else district.today.year - 1
    per_group = max(1, int(40 * scale + rng.random()))
    pk = next_id(Survey)
    surveys, links, responses = [], [], []
    for year in range(first_year, last_year + 1):
        opens = datetime.date(year + 1, 4, 1)
        closes = datetime.date(year + 1, 4, 30)
        if opens > district.today:
            continue
        surveys.append(
            (
                pk,
                template.pk,
                f"SRO program feedback {year}-{(year + 1) % 100:02d}",
                "Tell us how the School Resource Officer program is working at your school.",
                AUDIENCES,
                opens,
                closes,
                now,
                district.coordinator_id,
            )
        )
        # Each school's mood drifts a little from year to year.
        for school in district.school_ids:
            links.append((pk, school))
            for audience in AUDIENCES:
                mood = rng.uniform(2.8, 4.6)
                for _ in range(per_group):
                    answers = {}
                    for question in questions:
                        if question.kind == QuestionKind.LIKERT:
                            answers[str(question.pk)] = max(1, min(5, round(rng.gauss(mood, 0.9))))
                        elif rng.random() < 0.3:
                            answers[str(question.pk)] = rng.choice(COMMENTS)
                    responses.append(
                        (
                            uuid.UUID(int=rng.getrandbits(128), version=4),
                            pk,
                            school,
                            audience,
                            opens + datetime.timedelta(days=rng.randint(0, 29)),
                            answers,
                        )
                    )
        pk += 1
    insert_rows(
        Survey,
        [
            "id",
            "template_id",
            "title",
            "introduction",
            "audiences",
            "opens_on",
            "closes_on",
            "launched_at",
            "created_by_id",
        ],
        surveys,
    )
    insert_rows(Survey.schools.through, ["survey_id", "school_id"], links)
    count = insert_rows(
        Response, ["id", "survey_id", "school_id", "audience", "submitted_on", "answers"], responses
    )
    return f"{len(surveys)} surveys, {count:,} responses"
