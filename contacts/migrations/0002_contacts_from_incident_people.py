"""Every referral or arrest already recorded on an incident's person becomes its police
contact (the same rule as contacts.services.person_contact_kind, on the historical models)."""

from django.db import migrations

UNLINKED_REASON = "Recorded on the incident before student records; not linked to a student yet."


def kind_of(person):
    if person.kind != "student":
        return None
    if person.arrest == "school_related":
        return "arrest_school"
    if person.arrest == "other":
        return "arrest_other"
    if person.referred_to_law_enforcement:
        return "referral_le"
    return None


def forwards(apps, schema_editor):
    IncidentPerson = apps.get_model("incidents", "IncidentPerson")
    PoliceContact = apps.get_model("contacts", "PoliceContact")
    people = IncidentPerson.objects.filter(kind="student").select_related("incident")
    rows = []
    for person in people.iterator(chunk_size=2000):
        kind = kind_of(person)
        if kind is None:
            continue
        rows.append(
            PoliceContact(
                person=person,
                kind=kind,
                student_id=person.student_id,
                unidentified_reason="" if person.student_id else (person.unidentified_reason or UNLINKED_REASON),
                incident_id=person.incident_id,
                school_id=person.incident.school_id,
                occurred_at=person.incident.occurred_at,
            )
        )
    PoliceContact.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
