"""Demo surveys: last spring's (closed) and this season's (open), with invitations and
anonymous responses, so results show a comparison with the previous survey."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import User
from schools.models import School

from .models import Audience, Invitation, Response, Survey, SurveyLink, hash_token
from .services import program_template

COMMENTS = [
    "Officer is at the doors every morning; the kids know him by name.",
    "I did not know we had an SRO until the assembly.",
    "Helpful during the lockdown drill, explained what was happening.",
    "Would like to see the officer at after-school events too.",
    "My daughter feels safer since the officer started.",
    "Please make sure the officer does not get involved in ordinary discipline.",
    "Approachable and kind with the younger students.",
]


def _answers(questions, rng, bias: float) -> dict:
    answers = {}
    for q in questions:
        if q.kind == "likert":
            answers[str(q.pk)] = max(1, min(5, round(rng.gauss(3.4 + bias, 0.9))))
        elif rng.random() < 0.25:
            answers[str(q.pk)] = rng.choice(COMMENTS)
    return answers


def seed(*, today, rng) -> str:
    template = program_template()
    questions = list(template.questions.all())
    schools = list(School.objects.order_by("name"))
    coordinator = User.objects.filter(username="coordinator").first()
    spring_year = today.year if today.month >= 6 else today.year - 1
    plans = [
        (
            "Spring program feedback",
            datetime.date(spring_year, 4, 6),
            datetime.date(spring_year, 4, 24),
            0.0,
            70,
        ),
        (
            "Current program feedback",
            today - datetime.timedelta(days=14),
            today + datetime.timedelta(days=11),
            0.3,
            55,
        ),
    ]
    created = 0
    for title, opens, closes, bias, answered_pct in plans:
        title = f"{title} {opens.year}"
        if Survey.objects.filter(title=title).exists():
            continue
        survey = Survey.objects.create(
            template=template,
            title=title,
            introduction="Six short questions, about three minutes: how is the SRO program doing?",
            audiences=[Audience.STAFF, Audience.STUDENT, Audience.PARENT],
            opens_on=opens,
            closes_on=closes,
            launched_at=timezone.make_aware(datetime.datetime.combine(opens, datetime.time(7, 15))),
            created_by=coordinator,
        )
        survey.schools.set(schools)
        SurveyLink.objects.bulk_create(
            SurveyLink(survey=survey, school=school, audience=audience)
            for school in schools
            for audience in (Audience.STUDENT, Audience.PARENT)
        )
        invitations, responses = [], []
        sent_at = survey.launched_at
        for s_index, school in enumerate(schools):
            school_bias = bias + (
                0.4 if "Riverside" in school.name else -0.3 if "Lincoln" in school.name else 0
            )
            for n in range(12):
                used = rng.randrange(100) < answered_pct
                invitation = Invitation(
                    survey=survey,
                    school=school,
                    audience=Audience.STAFF,
                    email=f"staff{n + 1}.{s_index + 1}@district.example.org",
                    sent_at=sent_at,
                    reminders_sent=0 if used else 1,
                    used_at=sent_at + datetime.timedelta(days=rng.randint(0, 5)) if used else None,
                )
                invitation.token_hash = hash_token(invitation.token)
                invitations.append(invitation)
                if used:
                    responses.append((school, Audience.STAFF, school_bias))
            # Students and parents answered through the shareable links.
            for audience, count in [
                (Audience.STUDENT, rng.randint(4, 9)),
                (Audience.PARENT, rng.randint(2, 6)),
            ]:
                responses.extend((school, audience, school_bias) for _ in range(count))
        Invitation.objects.bulk_create(invitations)
        last_day = min(closes, today)
        span = max(0, (last_day - opens).days)
        Response.objects.bulk_create(
            Response(
                survey=survey,
                school=school,
                audience=audience,
                submitted_on=opens + datetime.timedelta(days=rng.randint(0, span)),
                answers=_answers(questions, rng, school_bias),
            )
            for school, audience, school_bias in responses
        )
        created += 1
    return f"{created} surveys created"
