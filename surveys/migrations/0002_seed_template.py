"""The program's feedback template: five agree/disagree statements and a comment box."""

from django.db import migrations

QUESTIONS = [
    ("Visibility", "The school resource officer is visible around the school.", "likert", True),
    ("Trust", "I trust the school resource officer.", "likert", True),
    ("Approachability", "I would feel comfortable approaching the school resource officer.", "likert", True),
    ("Helpfulness", "The school resource officer is helpful when a problem comes up.", "likert", True),
    ("Feeling safe", "I feel safe at school.", "likert", True),
    ("Comments", "Anything else you would like the program to know?", "text", False),
]


def seed(apps, schema_editor):
    SurveyTemplate = apps.get_model("surveys", "SurveyTemplate")
    Question = apps.get_model("surveys", "Question")
    template, created = SurveyTemplate.objects.get_or_create(
        name="SRO program feedback",
        defaults={"description": "How staff, students and parents see their SRO and the program."},
    )
    if created:
        for order, (topic, text, kind, required) in enumerate(QUESTIONS, start=1):
            Question.objects.create(
                template=template, order=order, topic=topic, text=text, kind=kind, required=required
            )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
