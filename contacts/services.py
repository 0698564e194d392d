"""Writes: recording and correcting police contacts, keeping the referral and arrest contacts
one with the incident's people, program changes, and the parent-notification reminders."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.deliveries import notify
from incidents.models import Arrest, Incident, IncidentPerson, PersonKind

from .models import (
    PERSON_KINDS,
    ContactKind,
    PoliceContact,
    ProgramChange,
)

if TYPE_CHECKING:
    from accounts.models import User
    from officers.models import Officer
    from schools.models import District, School
    from students.models import Student

# Why a contact mirrored from an incident's person has no student record.
UNLINKED_REASON = "Recorded on the incident before student records; not linked to a student yet."
# Reminders go out for contacts of the last few weeks only; older ones are the audit's business.
PARENT_NOTICE_WINDOW = datetime.timedelta(days=30)


def person_contact_kind(person: IncidentPerson) -> str | None:
    """The contact an incident's person is: an arrest (every arrest is also a referral, so the
    arrest is the contact), else a referral to law enforcement, else none."""
    if person.kind != PersonKind.STUDENT:
        return None
    if person.arrest == Arrest.SCHOOL_RELATED:
        return ContactKind.ARREST_SCHOOL_RELATED
    if person.arrest == Arrest.OTHER:
        return ContactKind.ARREST_OTHER
    if person.referred_to_law_enforcement:
        return ContactKind.REFERRAL_LAW_ENFORCEMENT
    return None


def sync_person_contacts(person_ids: Iterable[int]) -> int:
    """Make the contacts of these incident people what their referral and arrest fields say:
    create the missing ones, change kind, student and incident where they moved, delete those
    whose referral or arrest was taken back. Every writer of `IncidentPerson.referred_to_law_
    enforcement` / `arrest` / `student` calls this (incidents.services.report_incident,
    students.services.link_person, `record_contact`). Returns the rows written; three queries
    per 2,000 people."""
    ids = list(person_ids)
    written = 0
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        people = IncidentPerson.objects.filter(pk__in=chunk).select_related("incident")
        existing = {c.person_id: c for c in PoliceContact.objects.filter(person_id__in=chunk)}
        create, update, delete = [], [], []
        for person in people:
            kind = person_contact_kind(person)
            contact = existing.get(person.pk)
            if kind is None:
                if contact is not None:
                    delete.append(contact.pk)
                continue
            reason = "" if person.student_id else (person.unidentified_reason or UNLINKED_REASON)
            values: dict[str, Any] = {
                "kind": kind,
                "student_id": person.student_id,
                "unidentified_reason": reason[:200],
                "incident_id": person.incident_id,
                "school_id": person.incident.school_id,
            }
            if contact is None:
                create.append(PoliceContact(person=person, occurred_at=person.incident.occurred_at, **values))
            elif any(getattr(contact, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(contact, k, v)
                update.append(contact)
        if delete:
            PoliceContact.objects.filter(pk__in=delete).delete()
        if create:
            PoliceContact.objects.bulk_create(create)
        if update:
            PoliceContact.objects.bulk_update(
                update, ["kind", "student", "unidentified_reason", "incident", "school", "updated_at"]
            )
        written += len(create) + len(update) + len(delete)
    return written


def follow_incident(*, incident: Incident, moved_by: datetime.timedelta) -> None:
    """After a correction of an incident's school or time: its people's referral and arrest
    contacts go to its school (sync_person_contacts) and move in time with it, by as much as it
    moved (a contact time an officer corrected keeps its distance from the incident), so the
    contact figures stay the CRDC's, which count the incident where and when it now is."""
    people = list(incident.people.values_list("pk", flat=True))
    sync_person_contacts(people)
    if moved_by:
        PoliceContact.objects.filter(person_id__in=people).update(
            occurred_at=F("occurred_at") + moved_by, updated_at=timezone.now()
        )


def _write_person(*, incident: Incident, student: Student | None, kind: str) -> IncidentPerson:
    """Record a referral or an arrest on the student's person of the incident (the record the
    CRDC reads), and the incident's own flags with it."""
    person = (
        IncidentPerson.objects.select_for_update().filter(incident=incident, student=student).first()
        if student is not None
        else None
    )
    if person is None:
        raise ValidationError(
            {
                "incident": "A referral or an arrest is recorded on a person of the incident: add the "
                "student to the incident's people first."
            }
        )
    if kind == ContactKind.REFERRAL_LAW_ENFORCEMENT:
        if person.arrest in (Arrest.SCHOOL_RELATED, Arrest.OTHER):
            raise ValidationError({"kind": "This student's arrest on that incident is recorded already."})
        person.referred_to_law_enforcement = True
    else:
        person.arrest = Arrest.SCHOOL_RELATED if kind == ContactKind.ARREST_SCHOOL_RELATED else Arrest.OTHER
        if kind == ContactKind.ARREST_SCHOOL_RELATED:
            # CRDC: every school-related arrest is also a referral.
            person.referred_to_law_enforcement = True
    person.save(update_fields=["referred_to_law_enforcement", "arrest"])
    incident.note_law_enforcement([person])
    incident.save(update_fields=["referred_to_law_enforcement", "school_related_arrest", "updated_at"])
    return person


DETAIL_FIELDS = [
    "officer",
    "force_type",
    "initiated_by",
    "basis",
    "occurred_at",
    "parent_notified",
    "parent_notified_at",
    "outcome",
]


@transaction.atomic
def record_contact(
    *,
    by: User,
    school: School,
    kind: str,
    occurred_at: datetime.datetime,
    student: Student | None = None,
    unidentified_reason: str = "",
    incident: Incident | None = None,
    officer: Officer | None = None,
    **details: Any,
) -> PoliceContact:
    """Record a contact. A referral to law enforcement or an arrest is written on the
    student's person of the incident and its contact is that record's (one record, not two);
    the other kinds are contacts of their own."""
    if student is None and not unidentified_reason.strip():
        raise ValidationError({"student": "Give the student's local ID, or say why they are not identified."})
    if kind in PERSON_KINDS:
        if incident is None:
            raise ValidationError({"incident": "A referral or an arrest belongs to an incident: choose it."})
        person = _write_person(incident=incident, student=student, kind=kind)
        sync_person_contacts([person.pk])
        contact = PoliceContact.objects.get(person=person)
    else:
        contact = PoliceContact(
            school=school,
            kind=kind,
            student=student,
            unidentified_reason="" if student else unidentified_reason.strip(),
            incident=incident,
        )
    contact.recorded_by = by
    contact.occurred_at = occurred_at
    contact.officer = officer
    for name in DETAIL_FIELDS:
        if name in details:
            setattr(contact, name, details[name])
    _check_notice(contact)
    contact.full_clean(exclude=["person"])
    contact.save()
    return contact


@transaction.atomic
def update_contact(*, contact: PoliceContact, by: User, changes: dict[str, Any]) -> PoliceContact:
    """Correct a contact's details. The kind, student and incident of a referral or arrest are
    the incident person's: they are corrected on the incident."""
    contact = PoliceContact.objects.select_for_update().get(pk=contact.pk)
    editable = set(DETAIL_FIELDS)
    if not contact.from_incident_person:
        editable |= {"kind", "student", "unidentified_reason", "incident", "school"}
    for name, value in changes.items():
        if name in editable:
            setattr(contact, name, value)
    if contact.student is not None:
        contact.unidentified_reason = ""
    _check_notice(contact)
    contact.full_clean(exclude=["person"])
    contact.save()
    return contact


def _check_notice(contact: PoliceContact) -> None:
    if contact.kind != ContactKind.USE_OF_FORCE:
        contact.force_type = ""
    elif not contact.force_type:
        raise ValidationError({"force_type": "Say which type of force was used."})
    if not contact.parent_notified:
        contact.parent_notified_at = None
    elif contact.parent_notified_at is None:
        raise ValidationError({"parent_notified_at": "Say when the parent or guardian was notified."})


@transaction.atomic
def record_program_change(
    *,
    by: User,
    district: District,
    kind: str,
    effective_on: datetime.date,
    schools: Iterable[School],
    description: str = "",
) -> ProgramChange:
    schools = list(schools)
    if not schools:
        raise ValidationError({"schools": "Choose the schools the change applies to."})
    if any(s.district_id != district.pk for s in schools):
        raise ValidationError({"schools": "The schools must belong to the change's district."})
    change = ProgramChange.objects.create(
        district=district,
        kind=kind,
        effective_on=effective_on,
        description=description.strip(),
        recorded_by=by,
    )
    change.schools.set(schools)
    return change


def remind_parent_notifications(*, now: datetime.datetime | None = None) -> int:
    """Tell the officer and the school's administrators, once per contact and person, that an
    arrest or a use of force of the last 30 days has no recorded parent notification. Returns
    the deliveries written. Subjects and bodies name the kind, school and day, never the student."""
    now = now or timezone.now()
    contacts = (
        PoliceContact.objects.needing_parent_notice()
        .filter(occurred_at__gte=now - PARENT_NOTICE_WINDOW, occurred_at__lte=now)
        .select_related("school", "officer__user")
        .prefetch_related("school__administrators")
    )
    written = 0
    for contact in contacts:
        recipients = [a for a in contact.school.administrators.all() if a.is_active]
        if contact.officer is not None and contact.officer.user is not None:
            recipients.append(contact.officer.user)
        for user in {u.pk: u for u in recipients}.values():
            written += len(
                notify(
                    occasion=f"parent-notice:{contact.pk}:{user.pk}",
                    template_prefix="contacts/email/parent-notice",
                    context={"contact": contact, "user": user},
                    user=user,
                    email=user.email,
                    title=f"Parent notification not recorded: {contact.get_kind_display().lower()} at "
                    f"{contact.school.name} on {timezone.localtime(contact.occurred_at):%B %-d}",
                    url=contact.get_absolute_url(),
                    level="warning",
                )
            )
    return written
