"""Migration incidents/0006 keeps what was recorded about arrests when the yes/no field
becomes school-related / not school-related / not arrested.

| case (before)                       | expected (after)        | why                                     |
|-------------------------------------|-------------------------|-----------------------------------------|
| school-related arrest: yes          | arrest = school_related | the old field meant school-related      |
| school-related arrest: no           | arrest = none           | "no" was collected: not arrested        |
| school-related arrest: not collected| arrest = "" (not collected) | nothing was known; stays unknown    |
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("incidents", "0005_incident_correction")]
AFTER = [("incidents", "0006_crdc_arrest_and_collection")]


@pytest.mark.django_db(transaction=True)
def test_existing_arrest_answers_are_kept():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    # The state of every migration applied now (schools' districts are not incidents' ancestors).
    applied = MigrationExecutor(connection).loader.applied_migrations
    old = executor.loader.project_state([n for n in applied if n in executor.loader.graph.nodes]).apps
    district = old.get_model("schools", "District").objects.create(name="Old District")
    school = old.get_model("schools", "School").objects.create(
        name="Old School", level="high", district=district
    )
    user = old.get_model("accounts", "User").objects.create(username="old-admin")
    category = old.get_model("incidents", "IncidentCategory").objects.create(
        name="Old weapons", code="old-weapons"
    )
    incident = old.get_model("incidents", "Incident").objects.create(
        school=school,
        reported_by=user,
        occurred_at=datetime.datetime(2025, 10, 1, 14, tzinfo=datetime.UTC),
        location="hallway",
        category=category,
        description="Old record.",
        table_level=2,
        level=2,
    )
    Person = old.get_model("incidents", "IncidentPerson")
    for sid, arrested in [("S1", True), ("S2", False), ("S3", None)]:
        Person.objects.create(
            incident=incident, local_id_or_initials=sid, role="offender", school_related_arrest=arrested
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    after = dict(
        new.get_model("incidents", "IncidentPerson").objects.values_list("local_id_or_initials", "arrest")
    )
    assert after == {"S1": "school_related", "S2": "none", "S3": ""}

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # leave the database as the other tests expect
