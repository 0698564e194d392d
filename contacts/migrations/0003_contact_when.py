from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0002_contacts_from_incident_people"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="policecontact",
            index=models.Index(fields=["-occurred_at", "-id"], name="contact_when"),
        ),
    ]
