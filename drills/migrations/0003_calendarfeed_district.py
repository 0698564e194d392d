"""Drill calendar feeds per district. The existing district feed (no school) was the program's
one district's: it stays that district's feed, at the same address (schools/0003)."""

import django.db.models.deletion
from django.db import migrations, models


def feed_joins_the_district(apps, schema_editor):
    CalendarFeed = apps.get_model("drills", "CalendarFeed")
    District = apps.get_model("schools", "District")
    district = District.objects.order_by("pk").first()
    if district is not None:
        CalendarFeed.objects.filter(school__isnull=True, district__isnull=True).update(district=district)


class Migration(migrations.Migration):
    dependencies = [
        ("drills", "0002_seed_section_807"),
        ("schools", "0003_districts"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendarfeed",
            name="district",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="drill_feeds",
                to="schools.district",
            ),
        ),
        migrations.RunPython(feed_joins_the_district, migrations.RunPython.noop),
    ]
