"""A survey belongs to one district (or, with none, to the whole program). Existing surveys
were about the program's one district: they join it (schools/0003)."""

import django.db.models.deletion
from django.db import migrations, models


def surveys_join_the_district(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    District = apps.get_model("schools", "District")
    district = District.objects.order_by("pk").first()
    if district is not None:
        Survey.objects.filter(district__isnull=True).update(district=district)


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0003_districts"),
        ("surveys", "0002_seed_template"),
    ]

    operations = [
        migrations.AddField(
            model_name="survey",
            name="district",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="surveys",
                to="schools.district",
            ),
        ),
        migrations.RunPython(surveys_join_the_district, migrations.RunPython.noop),
    ]
