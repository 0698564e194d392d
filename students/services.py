"""Student records and the people of incidents who are students.

An incident's person who is a student links to the student record; what the reports need of
them (grade, sex, race/ethnicity, date of birth, IDEA, Section 504, English learner) is copied
from the record *as it stood on the incident's date* by `sync_involvements`, the only writer of
those fields for linked people. The import calls it for every student it changes, so a
correction in the SIS reaches past reports' figures."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from contacts.services import sync_person_contacts
from core import datacache

from .models import Program, Student, StudentStatus

if TYPE_CHECKING:
    from accounts.models import User
    from incidents.models import IncidentPerson


def demographics_on(
    student: Student, day: datetime.date, statuses: Iterable[StudentStatus] | None = None
) -> dict[str, Any]:
    """What the reports read of a student on a day. `statuses`: the student's statuses when
    the caller has them already (no query)."""
    held = {
        s.program for s in (statuses if statuses is not None else student.statuses.all()) if s.covers(day)
    }
    return {
        "grade": student.grade_on(day),
        "sex": student.sex,
        "race_ethnicity": student.race_ethnicity,
        "date_of_birth": student.date_of_birth,
        "idea_disability": Program.IDEA in held,
        # CRDC: "Section 504 only" excludes students who also have an IEP under IDEA.
        "section_504": Program.SECTION_504 in held and Program.IDEA not in held,
        "english_learner": Program.ENGLISH_LEARNER in held,
    }


DEMOGRAPHIC_FIELDS = [
    "grade",
    "sex",
    "race_ethnicity",
    "date_of_birth",
    "idea_disability",
    "section_504",
    "english_learner",
]


def sync_involvements(student_ids: Iterable[int]) -> int:
    """Copy each linked person's demographics from their student's record on the incident's
    date. Returns the number of people updated. A fixed number of queries per 2,000 students."""
    from incidents.models import IncidentPerson

    ids = list(student_ids)
    updated = 0
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        students = {s.pk: s for s in Student.objects.filter(pk__in=chunk)}
        statuses: dict[int, list[StudentStatus]] = defaultdict(list)
        for status in StudentStatus.objects.filter(student_id__in=chunk):
            statuses[status.student_id].append(status)
        changed = []
        for person in IncidentPerson.objects.filter(student_id__in=chunk).select_related("incident"):
            assert person.student_id is not None
            day = timezone.localdate(person.incident.occurred_at)
            values = demographics_on(students[person.student_id], day, statuses[person.student_id])
            if any(getattr(person, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(person, field, value)
                changed.append(person)
        if changed:
            IncidentPerson.objects.bulk_update(changed, DEMOGRAPHIC_FIELDS, batch_size=500)
            updated += len(changed)
    if updated:
        # Bulk updates send no signals: the cached reports must see the new figures.
        datacache.bump("incidents")
    return updated


def link_person(*, person: IncidentPerson, student: Student, by: User) -> None:
    """Link a person logged before student records existed (or logged unidentified) to the
    student record: from then on the reports count them as that student."""
    with transaction.atomic():
        person.student = student
        person.unidentified_reason = ""
        person.save(update_fields=["student", "unidentified_reason"])
        sync_involvements([student.pk])
        sync_person_contacts([person.pk])
