"""The course catalogue and the default requirements, so a fresh production database has them.
Coordinators change requirements in the app afterwards; re-running never duplicates a course."""

from decimal import Decimal

from django.db import migrations

# name, provider, hours, delivery, renewal months (None: one-time), description
COURSES = [
    (
        "NASRO Basic SRO Course",
        "National Association of School Resource Officers (NASRO)",
        "40",
        "in_person",
        None,
        "The foundational 40-hour course: the SRO's roles as educator, informal counselor and law "
        "enforcement officer, school law, adolescent development, emergency operations planning.",
    ),
    (
        "NASRO Advanced SRO Course",
        "National Association of School Resource Officers (NASRO)",
        "24",
        "in_person",
        None,
        "For officers who completed the Basic course: threat assessment, critical incident "
        "response, social media and working with special-needs students.",
    ),
    (
        "Crisis Intervention Team (CIT) Training",
        "Regional CIT program (CIT International model, with NAMI)",
        "40",
        "in_person",
        None,
        "The Memphis-model 40-hour course: recognising mental illness, crisis de-escalation and "
        "connecting people to treatment rather than arrest.",
    ),
    (
        "De-escalation: ICAT (Integrating Communications, Assessment, and Tactics)",
        "Police Executive Research Forum (PERF)",
        "16",
        "in_person",
        None,
        "Scenario-based de-escalation and conflict resolution for situations that do not involve a "
        "firearm.",
    ),
    (
        "Adolescent Mental Health Training for SROs",
        "National Association of School Resource Officers (NASRO)",
        "16",
        "in_person",
        None,
        "Adolescent brain development, signs of mental illness and trauma in students, and how to "
        "respond and refer.",
    ),
    (
        "Youth Mental Health First Aid",
        "National Council for Mental Wellbeing (Mental Health First Aid USA)",
        "8",
        "in_person",
        36,
        "Recognising and responding to mental health and substance-use challenges in young people "
        "aged 12 to 18. Certification valid for three years.",
    ),
    (
        "ALERRT Active Attack Integrated Response (AAIR)",
        "ALERRT Center at Texas State University",
        "16",
        "in_person",
        None,
        "Active-threat response: first-responder tactics with EMS and fire integration.",
    ),
    (
        "School Law and FERPA for SROs",
        "U.S. Department of Education, Student Privacy Policy Office",
        "3",
        "online",
        None,
        "Students' rights at school, searches, and who may see education records under FERPA.",
    ),
    (
        "Heartsaver CPR AED and First Aid",
        "American Heart Association",
        "6",
        "in_person",
        24,
        "Adult, child and infant CPR, AED use and first aid. Certification valid for two years.",
    ),
]

# course name, timing, days after starting
REQUIREMENTS = [
    ("NASRO Basic SRO Course", "within_days", 365),
    ("Crisis Intervention Team (CIT) Training", "within_days", 365),
    ("De-escalation: ICAT (Integrating Communications, Assessment, and Tactics)", "before_start", None),
    ("Adolescent Mental Health Training for SROs", "within_days", 365),
    ("Youth Mental Health First Aid", "within_days", 180),
    ("ALERRT Active Attack Integrated Response (AAIR)", "within_days", 365),
    ("School Law and FERPA for SROs", "before_start", None),
    ("Heartsaver CPR AED and First Aid", "before_start", None),
]


def seed(apps, schema_editor):
    Course = apps.get_model("training", "Course")
    Requirement = apps.get_model("training", "Requirement")
    for name, provider, hours, delivery, renewal, description in COURSES:
        Course.objects.get_or_create(
            name=name,
            defaults={
                "provider": provider,
                "hours": Decimal(hours),
                "delivery": delivery,
                "renewal_months": renewal,
                "description": description,
            },
        )
    for name, timing, days in REQUIREMENTS:
        Requirement.objects.get_or_create(
            course=Course.objects.get(name=name), defaults={"timing": timing, "within_days": days}
        )


def unseed(apps, schema_editor):
    Requirement = apps.get_model("training", "Requirement")
    Requirement.objects.filter(course__name__in=[r[0] for r in REQUIREMENTS]).delete()
    # Courses stay: records may point at them.


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
