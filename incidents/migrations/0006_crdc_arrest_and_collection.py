"""People involved record an arrest as school-related, not school-related or none (the CRDC
counts school-related arrests only), existing yes/no kept; the per-year CRDC declaration."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def arrest_from_flag(apps, schema_editor):
    # Keep what was recorded: yes -> school-related, no -> not arrested, empty -> not collected.
    Person = apps.get_model("incidents", "IncidentPerson")
    Person.objects.filter(school_related_arrest=True).update(arrest="school_related")
    Person.objects.filter(school_related_arrest=False).update(arrest="none")


def flag_from_arrest(apps, schema_editor):
    Person = apps.get_model("incidents", "IncidentPerson")
    Person.objects.filter(arrest="school_related").update(school_related_arrest=True)
    Person.objects.filter(arrest__in=["none", "other"]).update(school_related_arrest=False)


class Migration(migrations.Migration):

    dependencies = [
        ('incidents', '0005_incident_correction'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='incidentperson',
            name='arrest',
            field=models.CharField(blank=True, choices=[('', 'Not collected'), ('none', 'Not arrested'), ('school_related', 'School-related arrest'), ('other', 'Arrest not school-related')], max_length=20),
        ),
        migrations.RunPython(arrest_from_flag, flag_from_arrest),
        migrations.RemoveField(
            model_name='incidentperson',
            name='school_related_arrest',
        ),
        migrations.AlterField(
            model_name='incidentperson',
            name='grade',
            field=models.CharField(blank=True, choices=[('PK', 'Pre-K'), ('K', 'Kindergarten'), ('1', 'Grade 1'), ('2', 'Grade 2'), ('3', 'Grade 3'), ('4', 'Grade 4'), ('5', 'Grade 5'), ('6', 'Grade 6'), ('7', 'Grade 7'), ('8', 'Grade 8'), ('9', 'Grade 9'), ('10', 'Grade 10'), ('11', 'Grade 11'), ('12', 'Grade 12'), ('UG', 'Ungraded (K-12 equivalent)'), ('AE', 'Adult education')], max_length=2),
        ),
        migrations.CreateModel(
            name='CrdcCollection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('school_year', models.PositiveSmallIntegerField(unique=True)),
                ('referrals', models.BooleanField(default=True, verbose_name='referrals to law enforcement')),
                ('arrests', models.BooleanField(default=True, verbose_name='school-related arrests')),
                ('race_sex', models.BooleanField(default=True, verbose_name='race/ethnicity and sex of the students')),
                ('disability', models.BooleanField(default=True, verbose_name='IDEA and Section 504 status')),
                ('english_learner', models.BooleanField(default=True, verbose_name='English-learner status')),
                ('declared_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('declared_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-school_year'],
            },
        ),
    ]
