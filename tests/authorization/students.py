"""Student records: the incident form's student search, the OneRoster import, and linking
people logged before student records existed (students/)."""

from django.core.files.base import ContentFile

from . import FORBIDDEN, LOGIN, NOT_FOUND, REDIRECT, access, coordinator_only, signed_in
from .incidents import _incident


def dry_run_in_a(world):
    """A checked upload for district A, ready to import."""

    def build():
        from students import oneroster
        from students.services import import_roster
        from students.tests.roster_files import as_zip, roster, student

        world.school_a.sis_identifier = "A-100"
        world.school_a.save()
        data = as_zip(roster([student(1)], orgs=(("org-a", "A-100"),)))
        return import_roster(
            district=world.school_a.district,
            files=oneroster.read_zip(ContentFile(data)),
            full=True,
            dry_run=True,
            by=world.coordinator,
            source="roster.zip",
            upload=ContentFile(data, name="roster.zip"),
        )

    return {"pk": world.once("roster_dry_run", build).pk}


def unlinked_person_at_a(world):
    """A student typed on an incident at school A before student records existed."""

    def build():
        from incidents.models import IncidentPerson

        return IncidentPerson.objects.create(
            incident=_incident(world), local_id_or_initials="LEG1", role="offender", grade="9"
        )

    return {"pk": world.once("unlinked_person", build).pk}


ENTRIES = {
    # JSON of the chosen school's students; names only for those who may see them, and a
    # school outside the user's scope gives none (students.selectors).
    "students:search": signed_in(method="post"),
    "students:import_list": coordinator_only(districts="both"),
    "students:import_detail": coordinator_only(districts="a", kwargs=dry_run_in_a),
    "students:import_apply": access(
        coordinator=REDIRECT,
        coordinator_a=REDIRECT,
        coordinator_b=NOT_FOUND,
        admin_a=FORBIDDEN,
        admin_b=FORBIDDEN,
        officer_a=FORBIDDEN,
        officer_b=FORBIDDEN,
        anonymous=LOGIN,
        kwargs=dry_run_in_a,
        method="post",
    ),
    "students:unlinked": coordinator_only(districts="both"),
    "students:link": coordinator_only(
        REDIRECT,
        districts="a",
        kwargs=unlinked_person_at_a,
        method="post",
        data=lambda world: {"student": "LEG1"},
    ),
    "students:link_suggested": coordinator_only(REDIRECT, districts="both", method="post"),
}
