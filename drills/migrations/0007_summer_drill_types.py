"""Education Law §807's summer-school drills are "two additional drills" of the same kind as
the twelve: evacuation and lock-down drills. Name those types on the seeded summer
requirements of every existing year that still counted "any type" (a bus evacuation or an
early dismissal in summer school counted). Requirements a coordinator already limited to some
types are left as they are."""

from django.db import migrations

TYPES = ["evacuation", "evacuation_secondary", "lockdown"]
SUMMER_RULES = ("summer", "summer_first_week")


def forwards(apps, schema_editor):
    DrillRequirement = apps.get_model("drills", "DrillRequirement")
    for requirement in DrillRequirement.objects.filter(rule__in=SUMMER_RULES):
        if not requirement.drill_types:
            requirement.drill_types = TYPES
            requirement.save(update_fields=["drill_types"])


def backwards(apps, schema_editor):
    DrillRequirement = apps.get_model("drills", "DrillRequirement")
    for requirement in DrillRequirement.objects.filter(rule__in=SUMMER_RULES):
        if requirement.drill_types == TYPES:
            requirement.drill_types = []
            requirement.save(update_fields=["drill_types"])


class Migration(migrations.Migration):
    dependencies = [("drills", "0006_merge_20261201_2011")]

    operations = [migrations.RunPython(forwards, backwards)]
