"""Fixtures for the dashboard tests: a district of any size, built in bulk."""

import datetime

import pytest
from django.apps import apps
from django.utils import timezone

from accounts.models import Role, User
from officers.models import Agency, Officer
from schools.models import Assignment, Level, School


def grow_district(
    n: int,
    *,
    prefix: str = "Extra",
    agency: Agency | None = None,
    admin=None,
    officer=None,
    records: bool = True,
    district=None,
) -> None:
    """Adds n schools, each with an officer (who can sign in) as its primary SRO and a
    month's worth of records from every app; `admin` administers every new school; `officer`
    (an Officer) is sent an alert and has a follow-up for each new school too; the schools
    join `district` (default: the program's first)."""
    agency = agency or Agency.objects.get_or_create(name=f"{prefix} County Sheriff")[0]
    schools = School.objects.bulk_create(
        [
            School(
                name=f"{prefix} School {i}",
                level=Level.MIDDLE,
                enrollment=300,
                **({"district": district} if district else {}),
            )
            for i in range(n)
        ]
    )
    users = User.objects.bulk_create(
        [User(username=f"{prefix.lower()}-officer-{i}", role=Role.OFFICER) for i in range(n)]
    )
    officers = Officer.objects.bulk_create(
        [
            Officer(user=u, agency=agency, first_name="Pat", last_name=f"{prefix}{i}", badge_number=str(i))
            for i, u in enumerate(users)
        ]
    )
    Assignment.objects.bulk_create(
        [
            Assignment(officer=o, school=s, start_date=datetime.date(2020, 8, 1))
            for o, s in zip(officers, schools, strict=True)
        ]
    )
    if admin is not None:
        admin.administered_schools.add(*schools)
    if records:
        _grow_records(schools, officers, extra_officer=officer)


def _installed(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def _grow_records(schools, officers, *, extra_officer=None) -> None:
    """Incidents (some overridden, some with alerts), threat assessments with an overdue step,
    activity notes with follow-ups, training records and drills, for each school (each app's
    records once that app is merged)."""
    reporter = User.objects.filter(role=Role.COORDINATOR).first() or User.objects.create(
        username=f"reporter-{schools[0].pk}", role=Role.COORDINATOR
    )
    if _installed("incidents.Incident"):
        _grow_incidents(schools, officers, reporter, extra_officer)
    if _installed("officers.ActivityNote"):
        _grow_notes(schools, officers, extra_officer)
    if _installed("training.TrainingRecord"):
        _grow_training(officers, reporter)
    if _installed("drills.Drill"):
        _grow_drills(schools)


def _grow_incidents(schools, officers, reporter, extra_officer) -> None:
    from incidents.models import Alert, Incident, IncidentCategory, ThreatAction, ThreatAssessment

    tz = timezone.get_default_timezone()
    # get_or_create: a transactional (browser) test may have flushed the seeded categories.
    categories = {
        code: IncidentCategory.objects.get_or_create(code=code, defaults={"name": code.title()})[0]
        for code in ["fight", "weapons", "bullying"]
    }
    incidents = []
    for school in schools:
        for day, code, table, level in [(2, "fight", 0, 0), (9, "weapons", 3, 3), (16, "bullying", 0, 1)]:
            incidents.append(
                Incident(
                    school=school,
                    reported_by=reporter,
                    occurred_at=datetime.datetime(2026, 9, day, 10, tzinfo=tz),
                    location="hallway",
                    category=categories[code],
                    description="Grown for a query count.",
                    table_level=table,
                    level=level,
                    override_reason="Raised" if level != table else "",
                )
            )
    incidents = Incident.objects.bulk_create(incidents)
    alerts = []
    for incident, officer in zip(incidents[1::3], officers, strict=True):
        sent = incident.occurred_at + datetime.timedelta(minutes=1)
        alerts.append(
            Alert(
                incident=incident,
                kind="officer",
                officer=officer,
                level=3,
                sent_at=sent,
                due_at=sent + datetime.timedelta(minutes=5),
                acknowledged_at=sent + datetime.timedelta(minutes=3),
            )
        )
        if extra_officer is not None:
            alerts.append(
                Alert(
                    incident=incident,
                    kind="officer",
                    officer=extra_officer,
                    level=3,
                    sent_at=sent,
                    due_at=sent + datetime.timedelta(minutes=5),
                )
            )
    Alert.objects.bulk_create(alerts)
    threats = ThreatAssessment.objects.bulk_create(
        [
            ThreatAssessment(
                school=s,
                student="AB",
                reported_on=datetime.date(2026, 9, 3),
                threat="Grown",
                classification="serious",
                created_by=reporter,
            )
            for s in schools
        ]
    )
    ThreatAction.objects.bulk_create(
        [
            ThreatAction(assessment=t, kind="protective_action", due_date=datetime.date(2026, 9, 4))
            for t in threats
        ]
    )


def _grow_notes(schools, officers, extra_officer) -> None:
    from officers.models import ActivityNote

    notes = []
    for school, officer in zip(schools, officers, strict=True):
        for who in filter(None, [officer, extra_officer]):
            notes.append(
                ActivityNote(
                    officer=who,
                    school=school,
                    date=datetime.date(2026, 9, 8),
                    category="patrol",
                    minutes=90,
                    follow_up=True,
                    follow_up_date=datetime.date(2026, 9, 10),
                )
            )
            notes.append(
                ActivityNote(
                    officer=who,
                    school=school,
                    date=datetime.date(2026, 10, 13),
                    category="teaching",
                    minutes=45,
                )
            )
    ActivityNote.objects.bulk_create(notes)


def _grow_training(officers, reporter) -> None:
    from training.models import Course, TrainingRecord

    course = Course.objects.first()
    if course is not None:
        TrainingRecord.objects.bulk_create(
            [
                TrainingRecord(
                    officer=o,
                    course=course,
                    completed_on=datetime.date(2026, 8, 1),
                    hours=course.hours,
                    provider="Academy",
                    status="verified",
                    verified_by=reporter,
                    verified_at=timezone.now(),
                )
                for o in officers
            ]
        )


def _grow_drills(schools) -> None:
    from drills.models import Drill

    tz = timezone.get_default_timezone()
    Drill.objects.bulk_create(
        [
            Drill(
                school=s,
                drill_type=Drill._meta.get_field("drill_type").choices[0][0],
                conducted_at=datetime.datetime(2026, 9, 12, 10, tzinfo=tz),
            )
            for s in schools
        ]
    )


@pytest.fixture
def district():
    return grow_district


@pytest.fixture(autouse=True)
def _no_figure_cache(settings):
    """Each request computes its figures (the cache has its own test)."""
    settings.REPORTS_CACHE_SECONDS = 0
