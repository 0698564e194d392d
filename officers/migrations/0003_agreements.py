"""An agency's MOU now belongs to an agency-district pair (`Agreement`). Every agency served
the program's one district: each becomes an agreement with that district (schools/0003), with
the agency's MOU dates, cost-sharing terms and document; then the agency's MOU fields go."""

import django.db.models.deletion
from django.db import migrations, models


def agencies_to_agreements(apps, schema_editor):
    Agency = apps.get_model("officers", "Agency")
    Agreement = apps.get_model("officers", "Agreement")
    District = apps.get_model("schools", "District")
    agencies = list(Agency.objects.all())
    if not agencies:
        return
    district = District.objects.order_by("pk").first()
    Agreement.objects.bulk_create(
        [
            Agreement(
                agency=agency,
                district=district,
                effective_on=agency.mou_effective_date,
                review_on=agency.mou_review_date,
                cost_terms=agency.cost_sharing,
                document=agency.mou_document.name if agency.mou_document else "",
            )
            for agency in agencies
        ]
    )


def agreements_to_agencies(apps, schema_editor):
    """Back to one MOU per agency: the agreement with the first district."""
    Agreement = apps.get_model("officers", "Agreement")
    for agreement in Agreement.objects.order_by("district_id").select_related("agency"):
        agency = agreement.agency
        if agency.mou_effective_date or agency.mou_review_date or agency.cost_sharing or agency.mou_document:
            continue
        agency.mou_effective_date = agreement.effective_on
        agency.mou_review_date = agreement.review_on
        agency.cost_sharing = agreement.cost_terms
        agency.mou_document = agreement.document.name if agreement.document else ""
        agency.save()


class Migration(migrations.Migration):
    dependencies = [
        ("officers", "0002_activity_notes_and_mou_document"),
        ("schools", "0003_districts"),
    ]

    operations = [
        migrations.CreateModel(
            name="Agreement",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("effective_on", models.DateField(blank=True, null=True, verbose_name="MOU effective")),
                ("review_on", models.DateField(blank=True, null=True, verbose_name="MOU review")),
                ("pilot_ends_on", models.DateField(blank=True, null=True, verbose_name="no-cost pilot until")),
                (
                    "district_share_percent",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=5,
                        null=True,
                        verbose_name="district share after the pilot (%)",
                    ),
                ),
                ("cost_terms", models.TextField(blank=True, verbose_name="cost-sharing terms")),
                ("document", models.FileField(blank=True, upload_to="mou/", verbose_name="MOU document (PDF)")),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="agreements", to="officers.agency"
                    ),
                ),
                (
                    "district",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="agreements", to="schools.district"
                    ),
                ),
            ],
            options={
                "ordering": ["agency__name", "district__name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("agency", "district"), name="one_agreement_per_agency_and_district"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("review_on__isnull", True),
                            ("effective_on__isnull", True),
                            ("review_on__gte", models.F("effective_on")),
                            _connector="OR",
                        ),
                        name="agreement_review_after_effective",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("district_share_percent__isnull", True),
                            models.Q(("district_share_percent__gte", 0), ("district_share_percent__lte", 100)),
                            _connector="OR",
                        ),
                        name="agreement_share_is_a_percentage",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="agency",
            name="districts",
            field=models.ManyToManyField(
                blank=True, related_name="agencies", through="officers.Agreement", to="schools.district"
            ),
        ),
        migrations.RunPython(agencies_to_agreements, agreements_to_agencies),
        migrations.RemoveConstraint(model_name="agency", name="agency_mou_review_after_effective"),
        migrations.RemoveField(model_name="agency", name="cost_sharing"),
        migrations.RemoveField(model_name="agency", name="mou_document"),
        migrations.RemoveField(model_name="agency", name="mou_effective_date"),
        migrations.RemoveField(model_name="agency", name="mou_review_date"),
    ]
