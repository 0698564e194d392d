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


def agency_with_mou(world):
    def build():
        world.agency.mou_document.save("mou.pdf", ContentFile(b"%PDF-1.4 MOU"), save=True)
        return world.agency

    return {"pk": world.once("agency_mou", build).pk}


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
    "admin_a": FORBIDDEN,
    "admin_b": FORBIDDEN,
    "officer_a": OK,
    "officer_b": NOT_FOUND,
}

ENTRIES = {
    # Schools
    "schools:list": signed_in(),
    "schools:detail": school_a_scoped(kwargs=school_a),
    "schools:create": coordinator_only(),
    "schools:update": coordinator_only(kwargs=school_a),
    "schools:delete": coordinator_only(kwargs=school_a, note="GET is the confirmation page"),
    "schools:coverage": coordinator_only(),
    "schools:assignment_list": coordinator_only(),
    "schools:assignment_create": coordinator_only(),
    "schools:assignment_update": coordinator_only(kwargs=assignment_of_officer_a),
    # Agencies and officers: the coordinator's roster.
    "officers:list": coordinator_only(),
    "officers:detail": coordinator_only(kwargs=officer_a),
    "officers:create": coordinator_only(),
    "officers:update": coordinator_only(kwargs=officer_a),
    "officers:deactivate": coordinator_only(kwargs=officer_a, note="GET is the confirmation page"),
    "officers:reactivate": coordinator_only(kwargs=officer_a, note="GET is the confirmation page"),
    "officers:agency_list": coordinator_only(),
    "officers:agency_create": coordinator_only(),
    "officers:agency_detail": coordinator_only(kwargs=lambda world: {"pk": world.agency.pk}),
    "officers:agency_update": coordinator_only(kwargs=lambda world: {"pk": world.agency.pk}),
    "officers:agency_delete": coordinator_only(kwargs=lambda world: {"pk": world.agency.pk}),
    "officers:agency_document": coordinator_only(kwargs=agency_with_mou),
    # An officer's week: the officer, their supervisor, the coordinator.
    "officers:week": access(
        coordinator=OK,
        admin_a=FORBIDDEN,
        admin_b=FORBIDDEN,
        officer_a=OK,
        officer_b=NOT_FOUND,
        kwargs=officer_a,
    ),
    "officers:my_week": access(
        coordinator=REDIRECT,
        admin_a=FORBIDDEN,
        admin_b=FORBIDDEN,
        officer_a=OK,
        officer_b=OK,
        note="a coordinator has no week of their own: sent to the notes list",
    ),
    # Activity notes
    "officers:note_list": signed_in(),
    "officers:note_export": access(
        coordinator=OK, admin_a=OK, admin_b=OK, officer_a=FORBIDDEN, officer_b=FORBIDDEN
    ),
    "officers:note_create": access(
        coordinator=FORBIDDEN,
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
