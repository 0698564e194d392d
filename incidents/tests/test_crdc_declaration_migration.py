"""Migration incidents/0011: the program's one CRDC declaration per school year becomes each
LEA's own, every district starting from what was declared for all."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("incidents", "0010_people_are_students")]
AFTER = [("incidents", "0011_crdc_declaration_per_lea")]


@pytest.mark.django_db(transaction=True)
def test_a_declaration_for_the_program_becomes_each_districts():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    District = old.get_model("schools", "District")
    first = District.objects.order_by("pk").first() or District.objects.create(name="First District")
    second = District.objects.create(name="Second District")
    old.get_model("incidents", "CrdcCollection").objects.create(school_year=2024, english_learner=False)

    try:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        declared = {
            (c.district_id, c.school_year, c.english_learner)
            for c in new.get_model("incidents", "CrdcCollection").objects.all()
        }
        assert declared == {(first.pk, 2024, False), (second.pk, 2024, False)}
    finally:
        # Whatever happened, the next tests get the database of today's models.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
