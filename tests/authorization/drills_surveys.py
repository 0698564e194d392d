"""Drills (compliance, calendar feeds, corrective actions) and feedback surveys."""

import datetime

from django.utils import timezone

from . import (
    FORBIDDEN,
    MANAGED_AT_A,
    REDIRECT,
    access,
    coordinator_only,
    public,
    school_a_scoped,
    signed_in,
)


def school_a(world):
    return {"school_pk": world.school_a.pk}


def _drill(world):
    def build():
        from drills.models import Drill

        return Drill.objects.create(
            school=world.school_a,
            drill_type=Drill._meta.get_field("drill_type").choices[0][0],
            scheduled_at=timezone.now() + datetime.timedelta(days=7),
        )

    return world.once("drill", build)


def drill_at_a(world):
    return {"pk": _drill(world).pk}


def corrective_action_at_a(world):
    def build():
        return _drill(world).corrective_actions.create(
            observation="Door 4 did not latch",
            action="Repair the latch",
            owner="Facilities",
            due_date=timezone.localdate() + datetime.timedelta(days=14),
        )

    return {"pk": world.once("corrective_action", build).pk}


def drill_requirement(world):
    def build():
        from drills.models import DrillRequirement

        return DrillRequirement.objects.create(
            school_year=timezone.localdate().year, label="Test rule", minimum=1
        )

    return {"pk": world.once("drill_requirement", build).pk}


def feed_token(world):
    from drills.models import CalendarFeed

    return {"token": world.once("feed", lambda: CalendarFeed.for_school(world.school_a)).token}


def _survey(world):
    def build():
        from surveys.models import Audience, Survey
        from surveys.services import program_template

        today = timezone.localdate()
        survey = Survey.objects.create(
            template=program_template(),
            title="Fall survey",
            audiences=[Audience.STAFF, Audience.PARENT],
            opens_on=today - datetime.timedelta(days=1),
            closes_on=today + datetime.timedelta(days=30),
            created_by=world.coordinator,
            launched_at=timezone.now() - datetime.timedelta(days=2),
            district=world.school_a.district,
        )
        survey.schools.set([world.school_a])
        return survey

    return world.once("survey", build)


def survey(world):
    return {"pk": _survey(world).pk}


def invitation_token(world):
    def build():
        from surveys.models import Audience, Invitation

        invitation = Invitation(
            survey=_survey(world), school=world.school_a, audience=Audience.STAFF, email="teacher@example.org"
        )
        invitation.sent_at = timezone.now()
        invitation.save()
        return invitation

    return {"token": world.once("invitation", build).token}


def link_token(world):
    def build():
        from surveys.models import Audience, SurveyLink

        return SurveyLink.objects.create(
            survey=_survey(world), school=world.school_a, audience=Audience.PARENT
        )

    return {"token": world.once("survey_link", build).token}


ENTRIES = {
    # Drills
    "drills:list": signed_in(),
    "drills:log": signed_in(),
    "drills:school": school_a_scoped(kwargs=lambda world: {"pk": world.school_a.pk}),
    "drills:create": access(**MANAGED_AT_A, kwargs=school_a),
    "drills:summer": access(**MANAGED_AT_A, kwargs=school_a),
    "drills:detail": school_a_scoped(kwargs=drill_at_a),
    "drills:edit": access(**MANAGED_AT_A, kwargs=drill_at_a),
    "drills:delete": access(**MANAGED_AT_A, kwargs=drill_at_a, note="GET is the confirmation page"),
    "drills:action_add": access(
        **{**MANAGED_AT_A, "coordinator": REDIRECT, "coordinator_a": REDIRECT, "admin_a": REDIRECT},
        kwargs=drill_at_a,
        method="post",
        data=lambda world: {
            "observation": "Slow exit",
            "action": "Practise",
            "owner": "Principal",
            "due_date": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        },
    ),
    "drills:action_complete": access(
        **{**MANAGED_AT_A, "coordinator": REDIRECT, "coordinator_a": REDIRECT, "admin_a": REDIRECT},
        kwargs=corrective_action_at_a,
        method="post",
    ),
    # §807 requirements are the program's: district coordinators read them.
    "drills:requirements": coordinator_only(districts="both"),
    "drills:requirements_setup": coordinator_only(REDIRECT, districts="program", method="post"),
    "drills:requirement_create": coordinator_only(districts="program"),
    "drills:requirement_edit": coordinator_only(districts="program", kwargs=drill_requirement),
    "drills:requirement_delete": coordinator_only(
        districts="program", kwargs=drill_requirement, note="GET is the confirmation page"
    ),
    "drills:feed_rotate": coordinator_only(REDIRECT, districts="a", kwargs=school_a, method="post"),
    # Each district coordinator rotates their own district's feed.
    "drills:district_feed_rotate": coordinator_only(REDIRECT, districts="both", method="post"),
    # An officer's own feed: officers only (a coordinator has no officer record).
    "drills:my_feed_rotate": access(
        coordinator=FORBIDDEN,
        coordinator_a=FORBIDDEN,
        coordinator_b=FORBIDDEN,
        admin_a=FORBIDDEN,
        admin_b=FORBIDDEN,
        officer_a=REDIRECT,
        officer_b=REDIRECT,
        method="post",
    ),
    # Public: calendar apps cannot sign in; the unguessable token is the key.
    "drills:feed": public(kwargs=feed_token, note="public: iCalendar feed by token"),
    # Surveys: the coordinator runs them; respondents answer without signing in.
    # The survey is district A's.
    "surveys:list": coordinator_only(districts="both"),
    "surveys:create": coordinator_only(districts="both"),
    "surveys:detail": coordinator_only(districts="a", kwargs=survey),
    "surveys:edit": coordinator_only(
        REDIRECT, districts="a", kwargs=survey, note="a launched survey cannot be edited"
    ),
    "surveys:upload": coordinator_only(
        districts="a", kwargs=survey, method="post", note="shows the upload report"
    ),
    "surveys:launch": coordinator_only(
        REDIRECT, districts="a", kwargs=survey, note="already launched: back to the survey"
    ),
    "surveys:results": coordinator_only(districts="a", kwargs=survey),
    "surveys:answer": public(kwargs=invitation_token, note="public: a respondent's invitation link"),
    "surveys:answer_link": public(kwargs=link_token, note="public: a school's shareable link"),
    "surveys:thanks": public(note="public"),
}
