"""Student records: the incident form's student search and linking people logged before
student records existed (students/)."""

from . import REDIRECT, coordinator_only, signed_in
from .incidents import _incident


def unlinked_person_at_a(world):
    """A student typed on an incident at school A before student records existed."""

    def build():
        from incidents.models import IncidentPerson

        return IncidentPerson.objects.create(
            incident=_incident(world), local_id_or_initials="LEG1", role="offender", grade="9"
        )

    return {"pk": world.once("unlinked_person", build).pk}


ENTRIES = {
    # JSON of the chosen school's students; a school outside the user's scope gives none.
    "students:search": signed_in(),
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
