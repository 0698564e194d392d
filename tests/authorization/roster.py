"""Schools, assignments, agencies, officers and activity notes (schools/ + officers/)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from . import FORBIDDEN, NOT_FOUND, OK, REDIRECT, access, coordinator_only, school_a_scoped, signed_in


def school_a(world):
    return {"pk": world.school_a.pk}


def officer_a(world):
    return {"pk": world.officer_a.officer.pk}


def assignment_of_officer_a(world):
    return {"pk": world.officer_a.officer.assignments.get().pk}


def agreement_in_a(world):
    """The agency's agreement with district A, with its signed PDF."""

    def build():
        agreement = world.agency.agreements.get(district=world.school_a.district)
        agreement.document.save("mou.pdf", ContentFile(b"%PDF-1.4 MOU"), save=True)
        return agreement

    return {"pk": world.once("agreement_a", build).pk}


def district_a(world):
    return {"pk": world.school_a.district_id}


def _note(world, *, locked: bool):
    from officers.models import ActivityNote, DutyCategory

    today = timezone.localdate()
    note = ActivityNote.objects.create(
        officer=world.officer_a.officer,
        school=world.school_a,
        date=today - datetime.timedelta(days=10 if locked else 0),
        category=DutyCategory.PATROL,
        minutes=30,
        follow_up=True,
        follow_up_date=today,
    )
    if locked:
        ActivityNote.objects.filter(pk=note.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=10)
        )
    return note


def note_of_officer_a(world):
    return {"pk": world.once("note", lambda: _note(world, locked=False)).pk}


def locked_note_of_officer_a(world):
    return {"pk": world.once("locked_note", lambda: _note(world, locked=True)).pk}


# Only the officer who filed a note changes it: others with the role get 404, other roles 403.
OWN_NOTE = {
    "coordinator": NOT_FOUND,
    "coordinator_a": NOT_FOUND,
    "coordinator_b": NOT_FOUND,
    "admin_a": FORBIDDEN,
    "admin_b": FORBIDDEN,
    "officer_a": OK,
    "officer_b": NOT_FOUND,
}

ENTRIES = {
    # Schools
    "schools:list": signed_in(),
    "schools:detail": school_a_scoped(kwargs=school_a),
    "schools:create": coordinator_only(districts="both"),
    "schools:update": coordinator_only(districts="a", kwargs=school_a),
    "schools:delete": coordinator_only(districts="a", kwargs=school_a, note="GET is the confirmation page"),
    "schools:coverage": coordinator_only(districts="both"),
    "schools:assignment_list": coordinator_only(districts="both"),
    "schools:assignment_create": coordinator_only(districts="both"),
    "schools:assignment_update": coordinator_only(districts="a", kwargs=assignment_of_officer_a),
    # Districts: the program coordinator keeps the list of LEAs; district coordinators read it.
    "schools:district_list": coordinator_only(districts="both"),
    "schools:district_create": coordinator_only(districts="program"),
    "schools:district_update": coordinator_only(districts="program", kwargs=district_a),
    # Agencies and officers: the coordinators' roster. The agency (and so officer_a) serves
    # both districts; an agency is shared, so only the program coordinator edits it.
    "officers:list": coordinator_only(districts="both"),
    "officers:detail": coordinator_only(districts="both", kwargs=officer_a),
    "officers:create": coordinator_only(districts="both"),
    "officers:update": coordinator_only(districts="both", kwargs=officer_a),
    "officers:deactivate": coordinator_only(
        districts="both", kwargs=officer_a, note="GET is the confirmation page"
    ),
    "officers:reactivate": coordinator_only(
        districts="both", kwargs=officer_a, note="GET is the confirmation page"
    ),
    "officers:agency_list": coordinator_only(districts="both"),
    "officers:agency_create": coordinator_only(districts="program"),
    "officers:agency_detail": coordinator_only(
        districts="both", kwargs=lambda world: {"pk": world.agency.pk}
    ),
    "officers:agency_update": coordinator_only(
        districts="program", kwargs=lambda world: {"pk": world.agency.pk}
    ),
    "officers:agency_delete": coordinator_only(
        districts="program", kwargs=lambda world: {"pk": world.agency.pk}
    ),
    # An agreement (MOU) is its district's: district A's coordinator edits and downloads it.
    "officers:agreement_create": coordinator_only(
        districts="program",
        kwargs=lambda world: {"agency_pk": world.agency.pk},
        note="the agency already serves every district: the page says so",
    ),
    "officers:agreement_update": coordinator_only(districts="a", kwargs=agreement_in_a),
    "officers:agreement_delete": coordinator_only(
        districts="program", kwargs=agreement_in_a, note="GET is the confirmation page"
    ),
    "officers:agreement_document": coordinator_only(districts="a", kwargs=agreement_in_a),
    # An officer's week: the officer, their supervisor, the coordinators who see the officer.
    "officers:week": access(
        coordinator=OK,
        coordinator_a=OK,
        coordinator_b=OK,
        admin_a=FORBIDDEN,
        admin_b=FORBIDDEN,
        officer_a=OK,
        officer_b=NOT_FOUND,
        kwargs=officer_a,
    ),
    "officers:my_week": access(
        coordinator=REDIRECT,
        coordinator_a=REDIRECT,
        coordinator_b=REDIRECT,
        admin_a=FORBIDDEN,
        admin_b=FORBIDDEN,
        officer_a=OK,
        officer_b=OK,
        note="a coordinator has no week of their own: sent to the notes list",
    ),
    # Activity notes
    "officers:note_list": signed_in(),
    "officers:note_export": access(
        coordinator=OK,
        coordinator_a=OK,
        coordinator_b=OK,
        admin_a=OK,
        admin_b=OK,
        officer_a=FORBIDDEN,
        officer_b=FORBIDDEN,
    ),
    "officers:note_create": access(
        coordinator=FORBIDDEN,
        coordinator_a=FORBIDDEN,
        coordinator_b=FORBIDDEN,
        admin_a=FORBIDDEN,
        admin_b=FORBIDDEN,
        officer_a=OK,
        officer_b=OK,
        note="only an officer with an officer record files notes",
    ),
    "officers:note_detail": school_a_scoped(kwargs=note_of_officer_a),
    "officers:note_update": access(**OWN_NOTE, kwargs=note_of_officer_a),
    "officers:note_amend": access(**OWN_NOTE, kwargs=locked_note_of_officer_a),
    "officers:note_follow_up_done": access(
        **{**OWN_NOTE, "officer_a": REDIRECT}, kwargs=note_of_officer_a, method="post"
    ),
}
