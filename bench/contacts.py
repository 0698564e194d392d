"""Police contacts of the large district: the contact of every referral and arrest recorded on
an incident's person (written by the one service that keeps them, as a report does), a pilot
recorded as a program change, and the roster import the students came in by."""

from __future__ import annotations

import datetime

from django.db.models import Q

from contacts.models import ChangeKind, ProgramChange
from contacts.services import sync_person_contacts
from incidents.models import IncidentPerson
from schools.models import School
from students.models import RosterImport, Student


def generate(district, *, scale: float) -> str:
    people = IncidentPerson.objects.filter(incident__school_id__in=district.school_ids).filter(
        Q(referred_to_law_enforcement=True) | Q(arrest__in=["school_related", "other"])
    )
    written = sync_person_contacts(people.values_list("pk", flat=True).iterator(chunk_size=10_000))
    first = School.objects.filter(pk__in=district.school_ids).order_by("pk").first()
    assert first is not None
    change = ProgramChange.objects.create(
        district_id=first.district_id,
        kind=ChangeKind.PILOT,
        effective_on=district.today - datetime.timedelta(days=120),
        description="Two officers at the school after violent incidents (bench).",
        recorded_by_id=district.coordinator_id,
    )
    change.schools.add(first)
    RosterImport.objects.create(
        district_id=first.district_id,
        started_by_id=district.coordinator_id,
        source="bench/students.py",
        full=True,
        applied=True,
        counts={"new": Student.objects.filter(district_id=first.district_id).count()},
    )
    return f"{written:,} police contacts (every referral and arrest), 1 program change, 1 roster import"
