"""Student records: the search box of the incident form and the OneRoster import."""

from django.core.files.base import ContentFile

from . import FORBIDDEN, LOGIN, NOT_FOUND, REDIRECT, access, coordinator_only, signed_in


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


ENTRIES = {
    # JSON for the incident form; names only for those who may see them (students.selectors).
    "students:search": signed_in(),
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
}
