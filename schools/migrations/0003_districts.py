"""Districts (LEAs). The program knew one district until now: it is created here, named by the
DEFAULT_DISTRICT_NAME setting, and every existing school joins it."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import schools.models


def create_default_district(apps, schema_editor):
    District = apps.get_model("schools", "District")
    School = apps.get_model("schools", "School")
    if not District.objects.exists():
        District.objects.create(name=settings.DEFAULT_DISTRICT_NAME)
    district = District.objects.order_by("pk").first()
    School.objects.filter(district__isnull=True).update(district=district)


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0002_assignment_no_overlapping_primary"),
    ]

    operations = [
        migrations.CreateModel(
            name="District",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=120, unique=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[("district", "School district"), ("boces", "BOCES centre")],
                        default="district",
                        max_length=10,
                    ),
                ),
                (
                    "nces_id",
                    models.CharField(
                        blank=True,
                        max_length=7,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^\\d{7}$", "An NCES LEA ID is 7 digits, e.g. 3620580."
                            )
                        ],
                        verbose_name="NCES LEA ID",
                    ),
                ),
                (
                    "state_code",
                    models.CharField(
                        blank=True,
                        max_length=12,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[0-9A-Za-z-]{1,12}$", "Letters, digits and dashes only."
                            )
                        ],
                        verbose_name="state code (NY BEDS code)",
                    ),
                ),
            ],
            options={
                "ordering": ["name"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("nces_id", ""), _negated=True),
                        fields=("nces_id",),
                        name="unique_district_nces_id",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("state_code", ""), _negated=True),
                        fields=("state_code",),
                        name="unique_district_state_code",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("nces_id", ""), ("nces_id__regex", "^[0-9]{7}$"), _connector="OR"),
                        name="district_nces_id_7_digits",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="school",
            name="district",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="schools",
                to="schools.district",
            ),
        ),
        migrations.RunPython(create_default_district, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="school",
            name="district",
            field=models.ForeignKey(
                default=schools.models.default_district_id,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="schools",
                to="schools.district",
            ),
        ),
    ]
