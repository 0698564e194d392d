"""Migrating a database of the single-district schema: one district appears (named by
DEFAULT_DISTRICT_NAME), every school joins it, agencies' MOUs become agreements with it,
coordinators become program coordinators; nothing is lost."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The last migration of each app before districts arrived.
BEFORE = [
    ("schools", "0002_assignment_no_overlapping_primary"),
    ("accounts", "0002_user_manager"),
    ("officers", "0002_activity_notes_and_mou_document"),
    ("surveys", "0002_seed_template"),
    ("drills", "0002_seed_section_807"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def old_schema(transactional_db):
    """The schema as it was before districts; put back to the latest afterwards."""
    apps = migrate(BEFORE)
    yield apps
    migrate(latest())


def test_a_single_district_database_migrates_into_one_district_losing_nothing(old_schema, settings):
    settings.DEFAULT_DISTRICT_NAME = "Schenectady City School District"
    apps = old_schema
    User = apps.get_model("accounts", "User")
    School = apps.get_model("schools", "School")
    Agency = apps.get_model("officers", "Agency")
    Officer = apps.get_model("officers", "Officer")
    Assignment = apps.get_model("schools", "Assignment")
    Survey = apps.get_model("surveys", "Survey")
    SurveyTemplate = apps.get_model("surveys", "SurveyTemplate")
    CalendarFeed = apps.get_model("drills", "CalendarFeed")

    coordinator = User.objects.create(username="dana", role="coordinator", email="dana@example.org")
    admin = User.objects.create(username="marcus", role="school_admin")
    high = School.objects.create(name="Riverside High School", level="high", enrollment=1680)
    elementary = School.objects.create(name="Lincoln Elementary School", level="elementary")
    high.administrators.add(admin)
    police = Agency.objects.create(
        name="City Police",
        mou_effective_date=datetime.date(2025, 8, 1),
        mou_review_date=datetime.date(2026, 12, 15),
        cost_sharing="Pilot at no cost; then 50/50.",
        mou_document="mou/city-police.pdf",
    )
    Agency.objects.create(name="County Sheriff")  # no MOU on file yet
    officer = Officer.objects.create(agency=police, first_name="Jordan", last_name="K", badge_number="2217")
    Assignment.objects.create(officer=officer, school=high, start_date=datetime.date(2025, 8, 1))
    survey = Survey.objects.create(
        template=SurveyTemplate.objects.create(name="Program feedback (migration test)"),
        title="Spring feedback",
        audiences=["staff"],
        opens_on=datetime.date(2026, 3, 1),
        closes_on=datetime.date(2026, 3, 31),
    )
    survey.schools.add(high, elementary)
    feed = CalendarFeed.objects.create(school=None, token="district-feed-token")

    migrate(latest())

    from accounts.models import User as NewUser
    from drills.models import CalendarFeed as NewFeed
    from officers.models import Agency as NewAgency
    from schools.models import District
    from schools.models import School as NewSchool
    from surveys.models import Survey as NewSurvey

    district = District.objects.get()
    assert district.name == "Schenectady City School District"
    assert set(NewSchool.objects.values_list("name", "district")) == {
        ("Riverside High School", district.pk),
        ("Lincoln Elementary School", district.pk),
    }
    assert list(NewSchool.objects.get(pk=high.pk).administrators.values_list("username", flat=True)) == [
        "marcus"
    ]

    agreement = NewAgency.objects.get(name="City Police").agreements.get()
    assert agreement.district == district
    assert agreement.effective_on == datetime.date(2025, 8, 1)
    assert agreement.review_on == datetime.date(2026, 12, 15)
    assert agreement.cost_terms == "Pilot at no cost; then 50/50."
    assert agreement.document.name == "mou/city-police.pdf"
    # An agency without an MOU still served the district: it keeps serving it.
    assert list(NewAgency.objects.get(name="County Sheriff").districts.all()) == [district]

    dana = NewUser.objects.get(pk=coordinator.pk)
    assert dana.is_program_coordinator and dana.get_role_display() == "Program coordinator"
    assert set(dana.schools_in_scope().values_list("pk", flat=True)) == {high.pk, elementary.pk}
    assert list(NewUser.objects.coordinators_for(NewSchool.objects.get(pk=high.pk))) == [dana]

    assert NewSurvey.objects.get(pk=survey.pk).district == district
    assert NewSurvey.objects.get(pk=survey.pk).schools.count() == 2
    # Calendar apps keep the address they subscribed to: it is now the district's feed.
    assert NewFeed.objects.get(pk=feed.pk).district == district
    assert NewFeed.objects.get(pk=feed.pk).token == "district-feed-token"
