import datetime

import pytest
import time_machine

from surveys.models import Audience, Invitation, Survey
from surveys.services import program_template

OPENS, CLOSES = datetime.date(2025, 10, 1), datetime.date(2025, 10, 31)


@pytest.fixture
def frozen():
    with time_machine.travel("2025-10-10 12:00 -04:00", tick=False) as traveller:
        yield traveller


@pytest.fixture
def template(db):
    return program_template()


def make_survey(template, schools, *, launched=True, opens=OPENS, closes=CLOSES, by=None, title="Fall 2025"):
    survey = Survey.objects.create(
        template=template,
        title=title,
        audiences=[Audience.STAFF, Audience.PARENT],
        opens_on=opens,
        closes_on=closes,
        created_by=by,
        launched_at=datetime.datetime(2025, 9, 30, 9, tzinfo=datetime.UTC) if launched else None,
    )
    survey.schools.set(schools)
    return survey


@pytest.fixture
def survey(template, school_a, school_b, coordinator):
    return make_survey(template, [school_a, school_b], by=coordinator)


def invite(survey, school, email, audience=Audience.STAFF, sent=True) -> Invitation:
    invitation = Invitation(survey=survey, school=school, audience=audience, email=email)
    if sent:
        invitation.sent_at = datetime.datetime(2025, 10, 1, 13, tzinfo=datetime.UTC)
    invitation.save()
    return invitation


def full_answers(template, score=4, comment="") -> dict:
    data = {}
    for q in template.questions.all():
        if q.kind == "likert":
            data[q.field_name] = str(score)
        elif comment:
            data[q.field_name] = comment
    return data
