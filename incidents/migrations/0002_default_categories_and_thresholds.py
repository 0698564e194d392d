from django.db import migrations


def install(apps, schema_editor):
    from incidents.defaults import install_defaults

    install_defaults(apps.get_model("incidents", "IncidentCategory"), apps.get_model("incidents", "Threshold"))


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
