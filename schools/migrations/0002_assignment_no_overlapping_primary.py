"""On PostgreSQL the database itself refuses two overlapping primary assignments of one
officer (an exclusion constraint over a date range, which needs btree_gist for the
equality on officer_id). SQLite has no such constraint: there the rule is kept by
Assignment.clean() and schools.services, which lock the officer row first."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE schools_assignment ADD CONSTRAINT assignment_no_overlapping_primary
  EXCLUDE USING gist (officer_id WITH =, daterange(start_date, end_date, '[]') WITH &&)
  WHERE (kind = 'primary');
"""
DROP = "ALTER TABLE schools_assignment DROP CONSTRAINT IF EXISTS assignment_no_overlapping_primary;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
