"""Education Law §807's twelve drills (and the eight by December 31, and the different times
of day) are the eight evacuation and four lock-down drills: name those types on the seeded
requirements of every existing year that still counted "any type", and add the lunch-period /
assembly requirement to each existing year. Requirements a coordinator already limited to
some types are left as they are."""

from django.db import migrations

TYPES = ["evacuation", "evacuation_secondary", "lockdown"]
ANY_TYPE_RULES = {
    ("count", "At least 12 drills in the school year"),
    ("count", "8 drills between September 1 and December 31"),
    ("times_of_day", "Drills at 3 different times of the school day"),
}
LUNCH_LABEL = "1 drill held during a lunch period or assembly (or its procedure taught)"


def forwards(apps, schema_editor):
    DrillRequirement = apps.get_model("drills", "DrillRequirement")
    years = set(DrillRequirement.objects.values_list("school_year", flat=True))
    for requirement in DrillRequirement.objects.all():
        if (requirement.rule, requirement.label) in ANY_TYPE_RULES and not requirement.drill_types:
            requirement.drill_types = TYPES
            requirement.save(update_fields=["drill_types"])
    for year in sorted(years):
        anchor = DrillRequirement.objects.filter(school_year=year, label="At least 12 drills in the school year").first()
        if DrillRequirement.objects.filter(school_year=year, rule="lunch_or_assembly").exists():
            continue
        last = DrillRequirement.objects.filter(school_year=year).order_by("-order").first()
        DrillRequirement.objects.create(
            school_year=year,
            rule="lunch_or_assembly",
            label=LUNCH_LABEL,
            minimum=1,
            drill_types=TYPES,
            window_start=anchor.window_start if anchor else None,
            deadline=anchor.deadline if anchor else None,
            citation="NY Education Law §807",
            order=(last.order + 1) if last else 1,
        )


def backwards(apps, schema_editor):
    DrillRequirement = apps.get_model("drills", "DrillRequirement")
    DrillRequirement.objects.filter(rule="lunch_or_assembly").delete()
    for requirement in DrillRequirement.objects.all():
        if (requirement.rule, requirement.label) in ANY_TYPE_RULES and requirement.drill_types == TYPES:
            requirement.drill_types = []
            requirement.save(update_fields=["drill_types"])


class Migration(migrations.Migration):
    dependencies = [("drills", "0003_drill_lunch_or_assembly")]

    operations = [migrations.RunPython(forwards, backwards)]
