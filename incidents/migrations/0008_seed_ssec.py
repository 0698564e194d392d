"""NYSED's SSEC categories and subcategories, the two categories the subcategories need
(forcible sex offense, weapon found in a routine security check) and the mapping of every
seeded category onto NYSED's, in force for every school year until a coordinator changes it."""

from django.db import migrations

from incidents.defaults import install_defaults, install_ssec_defaults


def seed(apps, schema_editor):
    IncidentCategory = apps.get_model("incidents", "IncidentCategory")
    install_defaults(IncidentCategory, apps.get_model("incidents", "Threshold"))
    install_ssec_defaults(
        IncidentCategory, apps.get_model("incidents", "SsecCategory"), apps.get_model("incidents", "SsecMapping")
    )


def unseed(apps, schema_editor):
    apps.get_model("incidents", "SsecMapping").objects.all().delete()
    apps.get_model("incidents", "SsecCategory").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("incidents", "0007_ssec_categories_versioned")]

    operations = [migrations.RunPython(seed, unseed)]
