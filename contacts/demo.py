"""Police contacts of every kind at the demo schools, and one program change: the pilot of two
officers at Riverside High School after violent incidents, with a year of earlier incidents in
its district so the evaluation has a before to compare with. Uses the students the roster demo
imported; creates a few of its own at a school only when it has none. Idempotent."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from incidents.models import Arrest, Incident, IncidentPerson, PersonKind, Status
from schools.models import Assignment, School
from students.models import Enrollment, Program, RaceEthnicity, Sex, Student, StudentStatus

from .models import PERSON_KINDS, ChangeKind, ContactKind, ForceType, Initiator, ProgramChange
from .services import record_contact, record_program_change, sync_person_contacts

PILOT = "Pilot: two officers at Riverside High School after violent incidents"
BASES = {
    ContactKind.QUESTIONING: "Asked about a fight reported by the assistant principal.",
    ContactKind.SEARCH: "Backpack searched after a report of a knife.",
    ContactKind.CITATION: "Appearance ticket for criminal mischief (vandalism of a car).",
    ContactKind.USE_OF_FORCE: "Held the student's arms to stop an assault on another student.",
    ContactKind.REFERRAL_JUVENILE: "Referred to juvenile diversion after a second theft.",
    ContactKind.OTHER: "Welfare check at home at the school's request.",
}
OWN_KINDS = [k for k in ContactKind if k not in PERSON_KINDS]


def seed(*, today, rng) -> str:
    if ProgramChange.objects.filter(description=PILOT).exists():
        return ""
    riverside = School.objects.filter(name="Riverside High School").first()
    if riverside is None:
        return ""
    # The demo incidents were bulk-created: their referrals and arrests become contacts here.
    people = IncidentPerson.objects.filter(kind=PersonKind.STUDENT).filter(
        Q(referred_to_law_enforcement=True) | Q(arrest__in=[Arrest.SCHOOL_RELATED, Arrest.OTHER])
    )
    offender = IncidentPerson.objects.filter(
        kind=PersonKind.STUDENT, role="offender", arrest=Arrest.NONE
    ).first()
    if offender is not None:  # one arrest for something that is not a school matter
        offender.arrest = Arrest.OTHER
        offender.save(update_fields=["arrest"])
    synced = sync_person_contacts(
        list(people.values_list("pk", flat=True)) + ([offender.pk] if offender else [])
    )

    tz = timezone.get_current_timezone()
    created = 0
    officers: dict[int, list] = {}
    for a in Assignment.objects.active_on(today).select_related("officer__user", "school"):
        officers.setdefault(a.school_id, []).append(a.officer)
    for school in School.objects.filter(pk__in=officers).order_by("name"):
        students = list(Student.objects.enrolled_at(school, today)[:400])
        if not students:
            students = _students(school, rng, today)
        admin = school.administrators.first()
        for i in range(12 if school == riverside else 5):
            kind = OWN_KINDS[(i + school.pk) % len(OWN_KINDS)]
            officer = rng.choice(officers[school.pk])
            day = today - datetime.timedelta(days=rng.randrange(2, 200))
            when = datetime.datetime.combine(
                day, datetime.time(rng.randint(8, 14), rng.choice([0, 20, 40])), tz
            )
            notified = kind != ContactKind.USE_OF_FORCE or rng.random() < 0.5
            record_contact(
                by=officer.user or admin,
                school=school,
                kind=kind,
                occurred_at=when,
                student=rng.choice(students),
                officer=officer,
                force_type=ForceType.RESTRAINT if kind == ContactKind.USE_OF_FORCE else "",
                initiated_by=rng.choice(list(Initiator)),
                basis=BASES[kind],
                parent_notified=notified,
                parent_notified_at=when + datetime.timedelta(minutes=45) if notified else None,
                outcome="Returned to class."
                if kind != ContactKind.REFERRAL_JUVENILE
                else "Intake scheduled.",
            )
            created += 1
    earlier = _earlier_incidents(riverside, rng, today)
    coordinator = (
        ProgramChange._meta.get_field("recorded_by")
        .related_model.objects.filter(username="coordinator")
        .first()
    )
    record_program_change(
        by=coordinator,
        district=riverside.district,
        kind=ChangeKind.PILOT,
        effective_on=today - datetime.timedelta(days=165),
        schools=[riverside],
        description=PILOT,
    )
    return f"{synced} contacts from incident people, {created} more, {earlier} earlier incidents, a pilot"


def _students(school, rng, today) -> list[Student]:
    """A few students of the school's own, only when the roster demo gave it none."""
    races = [r for r in RaceEthnicity]
    out = []
    for n in range(60):
        student = Student.objects.create(
            district=school.district,
            sourced_id=f"demo-contacts-{school.pk}-{n}",
            local_id=f"9{school.pk:02d}{n:04d}",
            first_name=rng.choice(["Avery", "Jordan", "Riley", "Sam", "Taylor", "Morgan", "Casey", "Jamie"]),
            last_name=rng.choice(
                ["Garcia", "Smith", "Nguyen", "Johnson", "Williams", "Brown", "Lopez", "Khan"]
            ),
            grade=rng.choice(["9", "10", "11", "12"])
            if school.level == "high"
            else rng.choice(["6", "7", "8"]),
            sex=rng.choice([Sex.MALE, Sex.FEMALE]),
            race_ethnicity=rng.choices(races, weights=[20, 1, 6, 30, 1, 35, 7])[0],
        )
        Enrollment.objects.create(
            student=student, school=school, begin_date=today - datetime.timedelta(days=400)
        )
        if rng.random() < 0.15:
            StudentStatus.objects.create(student=student, program=Program.IDEA)
        elif rng.random() < 0.06:
            StudentStatus.objects.create(student=student, program=Program.SECTION_504)
        if rng.random() < 0.1:
            StudentStatus.objects.create(student=student, program=Program.ENGLISH_LEARNER)
        out.append(student)
    return out


def _earlier_incidents(riverside, rng, today) -> int:
    """The year before, at the pilot's district: each demo incident again 52 weeks earlier (same
    weekday, same weeks of the school year), and at Riverside more violent incidents then, which
    is what led to the pilot."""
    from .selectors import GROUP_CODES

    latest = Incident.objects.filter(
        school__district=riverside.district,
        occurred_at__gte=timezone.now() - datetime.timedelta(days=330),
    ).select_related("category")
    rows = []
    for incident in latest:
        copies = 1
        if incident.school_id == riverside.pk and incident.category.code in GROUP_CODES["violent"]:
            copies += 1 + (rng.random() < 0.5)
        for _ in range(copies):
            when = incident.occurred_at - datetime.timedelta(weeks=52)
            rows.append(
                Incident(
                    school_id=incident.school_id,
                    reported_by_id=incident.reported_by_id,
                    occurred_at=when,
                    location=incident.location,
                    category=incident.category,
                    severity=incident.severity,
                    description=incident.description,
                    status=Status.CLOSED,
                    outcome=incident.outcome or "Closed.",
                    table_level=incident.table_level,
                    level=incident.level,
                    override_reason=incident.override_reason,
                    overridden_by_id=incident.overridden_by_id,
                    created_at=when,
                )
            )
    Incident.objects.bulk_create(rows)
    return len(rows)
