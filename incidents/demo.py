"""A school year of incidents for the demo district: mostly code-of-conduct matters the
schools handle alone, a steady trickle the SROs respond to, alerts (most acknowledged in
time, some late, a few escalated), a few overrides with reasons, and threat assessments at
each level. Idempotent: it does nothing once the demo schools have incidents."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import User
from core.models import Notification
from schools.models import Assignment, Level, School
from students.models import Enrollment, Student, school_year_of
from students.services import sync_involvements

from .models import (
    CHECKLISTS,
    COORDINATOR_LEVEL,
    SRO_LEVEL,
    Alert,
    AlertKind,
    Classification,
    CrdcCollection,
    Incident,
    IncidentCategory,
    IncidentPerson,
    IncidentStatusChange,
    InterventionLevel,
    SafetyPlan,
    Status,
    ThreatAction,
    ThreatAssessment,
    ThreatStatus,
    Threshold,
)

CATEGORY_WEIGHTS = {
    "conduct": 20,
    "fight": 18,
    "bullying": 12,
    "theft": 8,
    "drugs": 7,
    "vandalism": 6,
    "assault_injury": 6,
    "weapons": 5,
    "other_threat": 4,
    "trespass": 3,
    "alcohol": 3,
    "false_alarm": 3,
    "bomb_threat": 1,
    "sexual_offense": 1,
}
DESCRIPTIONS = {
    "conduct": [
        "Repeated refusal to follow classroom rules; removed from class.",
        "Left campus without permission.",
    ],
    "fight": ["Two students pushing and shoving in the hallway; separated by staff, no injuries."],
    "bullying": [
        "Student repeatedly posted mocking messages about a classmate in a group chat.",
        "Name-calling targeting a student's religion in the cafeteria.",
    ],  # fmt: skip
    "theft": ["Phone taken from a backpack in the locker room."],
    "drugs": [
        "Vape cartridge suspected to contain THC found in a bag.",
        "Student offered pills to classmates.",
    ],
    "vandalism": ["Graffiti on a bathroom stall."],
    "assault_injury": ["Student punched another, who needed treatment by the nurse for a cut lip."],
    "weapons": [
        "Folding knife found in a student's backpack during a search.",
        "Student showed a BB gun to friends on the bus.",
    ],  # fmt: skip
    "other_threat": ["Student said in class he would 'shoot up the school'; several students heard it."],
    "trespass": ["Former student entered the building without signing in."],
    "alcohol": ["Student smelled of alcohol and had a bottle in a locker."],
    "false_alarm": ["Fire alarm pulled between classes."],
    "bomb_threat": ["Note found in a bathroom saying a bomb would go off at noon; building evacuated."],
    "sexual_offense": ["Unwanted touching reported by a student in the stairwell."],
}
OVERRIDE_REASONS = [
    (
        InterventionLevel.RESPONDS,
        "Sale of pills to younger students: the principal asked the SRO to investigate.",
    ),
    (InterventionLevel.INFORMED, "The same adult has trespassed three times this month."),
    (InterventionLevel.SCHOOL, "Alarm pulled by a kindergartner by accident; no crime involved."),
    (InterventionLevel.INFORMED, "Cyberbullying includes threats to post intimate images (possible crime)."),
]
RACES = [
    ("white", 48),
    ("black", 20),
    ("hispanic", 18),
    ("asian", 6),
    ("two_or_more", 6),
    ("american_indian", 1),
    ("pacific_islander", 1),
]
GRADES = {
    Level.ELEMENTARY: ["K", "1", "2", "3", "4", "5"],
    Level.MIDDLE: ["6", "7", "8"],
    Level.HIGH: ["9", "10", "11", "12"],
    Level.ALTERNATIVE: ["7", "8", "9", "10", "11", "12"],
}
OUTCOMES = [
    "Parents met with the assistant principal; restorative conference held.",
    "Suspension served; re-entry meeting held with the student and family.",
    "Referred to the school counselor and a community program.",
    "SRO investigated; matter referred to the juvenile probation intake.",
]


UNIDENTIFIED = [
    "Ran off before staff could see who it was.",
    "A student of another district, at a game.",
    "Seen only on the bus camera; not yet identified.",
]


def _pick(rng, weighted):
    items, weights = zip(*weighted, strict=True)
    return rng.choices(items, weights=weights)[0]


def seed(*, today, rng) -> str:
    schools = list(School.objects.all())
    if not schools or Incident.objects.filter(school__in=schools).exists():
        return ""
    categories = {c.code: c for c in IncidentCategory.objects.all()}
    table = {(t.category_id, t.severity): (t.level, t.response_minutes) for t in Threshold.objects.all()}
    coordinators = list(User.objects.active_coordinators().order_by("pk"))
    coordinator = coordinators[0] if coordinators else None
    if coordinator is None or not categories:
        return ""
    admins = {s.pk: list(s.administrators.all()) or [coordinator] for s in schools}
    officers: dict[int, list] = {}
    for a in Assignment.objects.active_on(today).select_related("officer__user"):
        officers.setdefault(a.school_id, []).append(a.officer)
    tz = timezone.get_current_timezone()

    incidents, plans = [], []
    start = today - datetime.timedelta(days=330)
    weights = [s.enrollment or 100 for s in schools]
    override_left = list(OVERRIDE_REASONS)
    for _ in range(320):
        day = start + datetime.timedelta(days=rng.randrange(330))
        while day.weekday() >= 5 or day.month in (7, 8) and rng.random() < 0.8:
            day = start + datetime.timedelta(days=rng.randrange(330))
        when = datetime.datetime.combine(
            day, datetime.time(rng.randint(7, 15), rng.choice([0, 10, 25, 40, 55])), tz
        )
        school = rng.choices(schools, weights=weights)[0]
        code = _pick(rng, CATEGORY_WEIGHTS.items())
        category = categories[code]
        severity = _pick(rng, [("low", 45), ("moderate", 40), ("high", 15)])
        level, minutes = (
            (0, None) if category.is_code_of_conduct else table.get((category.pk, severity), (1, 1440))
        )
        table_level, reason, overridden_by = level, "", None
        reporter = rng.choice(admins[school.pk])
        if override_left and not category.is_code_of_conduct and rng.random() < 0.05:
            new_level, reason = override_left.pop()
            if new_level != level:
                level, overridden_by = new_level, reporter
                minutes = None if level == 0 else (minutes or {1: 1440, 2: 30, 3: 5}[level])
            else:
                reason = ""
        age_days = (today - day).days
        status = (
            Status.CLOSED
            if age_days > 21
            else _pick(rng, [(Status.REPORTED, 3), (Status.UNDER_REVIEW, 3), (Status.SRO_RESPONDING, 2)])
        )
        if status == Status.SRO_RESPONDING and level < SRO_LEVEL:
            status = Status.UNDER_REVIEW
        sro = level >= SRO_LEVEL
        incidents.append(
            Incident(
                school=school,
                reported_by=reporter,
                occurred_at=when,
                location=_pick(
                    rng,
                    [
                        ("classroom", 5),
                        ("hallway", 6),
                        ("cafeteria", 3),
                        ("grounds", 3),
                        ("bus", 2),
                        ("online", 2),
                        ("school_event", 1),
                        ("off_campus", 1),
                    ],  # fmt: skip
                ),
                category=category,
                severity=severity,
                description=rng.choice(DESCRIPTIONS[code]),
                weapon_type=rng.choice(["knife", "replica", "other"]) if code == "weapons" else "",
                injuries="minor" if code == "assault_injury" else "none",
                parent_contacted=rng.random() < 0.8,
                counseling=rng.random() < 0.3,
                suspension=code in ("fight", "weapons", "assault_injury", "drugs") and rng.random() < 0.5,
                referred_to_community=rng.random() < 0.1,
                status=status,
                outcome=rng.choice(OUTCOMES) if status == Status.CLOSED else "",
                table_level=table_level,
                level=level,
                response_minutes=minutes,
                override_reason=reason if level != table_level else "",
                overridden_by=overridden_by,
                created_at=when + datetime.timedelta(minutes=rng.randint(5, 90)),
            )
        )
        plans.append(
            {"sro": sro, "grades": GRADES[school.level], "collects_el": school.level != Level.ALTERNATIVE}
        )

    # The students of each school (imported from the demo's OneRoster set by the students
    # step): most people involved are linked to them; a few were logged before student
    # records existed (by the ID typed then, some matching a student: see /students/unlinked/)
    # and a few could not be identified.
    students_at: dict[int, list[Student]] = {}
    for enrolment in Enrollment.objects.select_related("student").order_by("pk"):
        students_at.setdefault(enrolment.school_id, []).append(enrolment.student)
    people_by_incident = []
    for incident, plan in zip(incidents, plans, strict=True):
        rows = []
        for i in range(rng.choice([1, 1, 2, 2, 3])):
            grade = rng.choice(plan["grades"])
            age = 5 if grade == "K" else int(grade) + 5
            role = "offender" if i == 0 else rng.choice(["victim", "witness"])
            referred = plan["sro"] and role == "offender" and rng.random() < 0.35
            arrest = referred and rng.random() < 0.3
            collected = plan["collects_el"]
            candidates = students_at.get(incident.school_id, [])
            draw = rng.random()
            if candidates and draw < 0.88:
                rows.append(
                    IncidentPerson(
                        kind="student",
                        student=rng.choice(candidates),
                        role=role,
                        referred_to_law_enforcement=referred if role == "offender" else None,
                        arrest=("school_related" if arrest else "none") if role == "offender" else "",
                    )
                )
                continue
            if draw < 0.91:
                rows.append(
                    IncidentPerson(
                        kind="student",
                        unidentified_reason=rng.choice(UNIDENTIFIED),
                        role=role,
                        grade=grade,
                        referred_to_law_enforcement=referred if role == "offender" else None,
                        arrest=("school_related" if arrest else "none") if role == "offender" else "",
                    )
                )
                continue
            typed = (
                rng.choice(candidates).local_id
                if candidates and draw < 0.96
                else str(rng.randint(100000, 999999))
            )
            rows.append(
                IncidentPerson(
                    kind="student",
                    local_id_or_initials=typed,
                    role=role,
                    grade=grade,
                    age=age,
                    date_of_birth=incident.occurred_at.date().replace(
                        year=incident.occurred_at.year - age, day=1
                    ),
                    sex=rng.choice(["M", "M", "F", "F", "X"] if rng.random() < 0.1 else ["M", "F"]),
                    race_ethnicity=_pick(rng, RACES),
                    idea_disability=(rng.random() < 0.15) if collected else None,
                    section_504=(rng.random() < 0.06) if collected else None,
                    english_learner=(rng.random() < 0.1) if collected else None,
                    referred_to_law_enforcement=referred if role == "offender" else None,
                    arrest=("school_related" if arrest else "none") if role == "offender" else "",
                )
            )
        incident.take_people(rows)
        incident.retention_until = incident.compute_retention_until(rows)
        people_by_incident.append(rows)

    Incident.objects.bulk_create(incidents)
    people, changes, alerts = [], [], []
    for incident, rows in zip(incidents, people_by_incident, strict=True):
        for p in rows:
            p.incident = incident
            people.append(p)
        if incident.status != Status.REPORTED:
            changes.append(
                IncidentStatusChange(
                    incident=incident,
                    from_status=Status.REPORTED,
                    to_status=Status.UNDER_REVIEW,
                    changed_by=incident.reported_by,
                    changed_at=incident.created_at + datetime.timedelta(hours=1),
                )  # fmt: skip
            )
        if incident.status == Status.CLOSED:
            changes.append(
                IncidentStatusChange(
                    incident=incident,
                    from_status=Status.UNDER_REVIEW,
                    to_status=Status.CLOSED,
                    changed_by=incident.reported_by,
                    changed_at=incident.created_at + datetime.timedelta(days=3),
                    note="Closed after follow-up.",
                )  # fmt: skip
            )
        elif incident.status == Status.SRO_RESPONDING:
            changes.append(
                IncidentStatusChange(
                    incident=incident,
                    from_status=Status.UNDER_REVIEW,
                    to_status=Status.SRO_RESPONDING,
                    changed_by=incident.reported_by,
                    changed_at=incident.created_at + datetime.timedelta(hours=2),
                )  # fmt: skip
            )
        if incident.level < SRO_LEVEL:
            continue
        sent = incident.created_at + datetime.timedelta(seconds=rng.randint(2, 20))
        due = sent + datetime.timedelta(minutes=incident.response_minutes or 60)
        for officer in officers.get(incident.school_id, []):
            outcome = rng.random()
            minutes = incident.response_minutes or 60
            ack = esc = None
            if outcome < 0.82:
                ack = sent + datetime.timedelta(minutes=rng.uniform(0.5, minutes * 0.8))
            elif outcome < 0.95:
                ack = sent + datetime.timedelta(minutes=rng.uniform(minutes * 1.1, minutes * 3))
                esc = due
            elif (timezone.now() - due).days > 2:
                esc = due
            alerts.append(
                Alert(
                    incident=incident,
                    kind=AlertKind.OFFICER,
                    officer=officer,
                    recipient=officer.user,
                    email=officer.contact_email,
                    level=incident.level,
                    created_at=incident.created_at,
                    sent_at=sent,
                    due_at=due,
                    acknowledged_at=ack,
                    acknowledged_by=officer.user if ack and officer.user else None,
                    escalated_at=esc,
                )  # fmt: skip
            )
        if incident.level >= COORDINATOR_LEVEL:
            for user in coordinators:
                alerts.append(
                    Alert(
                        incident=incident,
                        kind=AlertKind.COORDINATOR,
                        recipient=user,
                        email=user.email,
                        level=incident.level,
                        created_at=incident.created_at,
                        sent_at=sent,
                    )  # fmt: skip
                )
    IncidentPerson.objects.bulk_create(people)
    # What the reports read of a linked student: their record on the incident's date.
    sync_involvements({p.student_id for p in people if p.student_id is not None})
    IncidentStatusChange.objects.bulk_create(changes)
    Alert.objects.bulk_create(alerts)

    # The demo officer has the latest unacknowledged alerts waiting in their notifications.
    pending = [
        a for a in alerts if a.kind == AlertKind.OFFICER and a.acknowledged_at is None and a.recipient_id
    ]
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=a.recipient_id,
                title=f"{a.incident.get_level_display()}: {a.incident.category} at {a.incident.school}",
                url=a.incident.get_absolute_url(),
                level="danger" if a.level >= InterventionLevel.RESPONDS else "warning",
                created_at=a.sent_at,
            )
            for a in sorted(pending, key=lambda a: a.sent_at)[-4:]
        ]
    )
    threats = _seed_threats(rng=rng, today=today, schools=schools, admins=admins)
    # The demo district collects everything the CRDC asks in the years its incidents cover.
    for year in {school_year_of(start), school_year_of(today)}:
        for district_id in {school.district_id for school in schools}:
            CrdcCollection.objects.get_or_create(
                district_id=district_id, school_year=year, defaults={"declared_by": coordinator}
            )
    return (
        f"{len(incidents)} incidents, {len(people)} people, {len(alerts)} alerts, "
        f"{threats} threat assessments"
    )


THREATS = [
    ("transient", "Said 'I'm going to kill you' to a friend after losing a game at recess.", False, True),
    (
        "transient",
        "Wrote 'you're dead' on a classmate's notebook; says it was a joke from a video game.",
        False,
        True,
    ),
    ("transient", "Told a teacher he would 'blow up' if he got another detention.", False, True),
    ("transient", "Posted 'this school is going down' after a basketball loss.", False, False),
    ("serious", "Threatened to beat up a classmate after school and named the place.", False, True),
    ("serious", "Told a group she would bring her brother's knife to 'settle it'.", True, False),
    ("serious", "Repeated threats to hurt an ex-girlfriend; friends are worried.", False, False),
    (
        "very_serious",
        "Said he would shoot students on the bus; has talked about access to a rifle.",
        True,
        False,
    ),
    ("very_serious", "Social-media post naming students he would 'take out' with a gun.", True, False),
]


def _seed_threats(*, rng, today, schools, admins) -> int:
    by_name = {s.name: s for s in schools}
    secondary = [s for s in schools if s.level != Level.ELEMENTARY] or schools
    assessments, specs = [], []
    for n, (classification, threat, weapon, closed) in enumerate(THREATS):
        school = by_name.get("Riverside High School") if n % 3 == 0 else rng.choice(secondary)
        reported = today - datetime.timedelta(days=rng.randint(3, 200) if closed else rng.randint(1, 12))
        creator = admins[school.pk][0]
        tz = timezone.get_current_timezone()
        closed_at = (
            datetime.datetime.combine(reported + datetime.timedelta(days=20), datetime.time(15), tz)
            if closed
            else None
        )
        assessments.append(
            ThreatAssessment(
                school=school,
                student=str(rng.randint(100000, 999999)),
                reported_on=reported,
                threat=threat,
                weapon_involved=weapon,
                classification=classification,
                summary="Team interviewed the student and witnesses.",
                team_administrator=str(creator),
                team_counselor="Dr. L. Moreno (school psychologist)",
                team_sro="Officer on assignment",
                team_teacher="Homeroom teacher",
                status=ThreatStatus.CLOSED if closed else ThreatStatus.OPEN,
                created_by=creator,
                closed_at=closed_at,
                closed_by=creator if closed else None,
            )
        )
        specs.append((classification, reported, closed, creator))
    ThreatAssessment.objects.bulk_create(assessments)
    actions, safety = [], []
    for assessment, (classification, reported, closed, creator) in zip(assessments, specs, strict=True):
        for i, (kind, days) in enumerate(CHECKLISTS[Classification(classification)]):
            due = reported + datetime.timedelta(days=days)
            done = closed or (i % 2 == 0 and due <= today)
            actions.append(
                ThreatAction(
                    assessment=assessment,
                    kind=kind,
                    required=True,
                    due_date=due,
                    done_at=datetime.datetime.combine(due, datetime.time(12), timezone.get_current_timezone())
                    if done
                    else None,
                    done_by=creator if done else None,
                )  # fmt: skip
            )
        if classification == Classification.VERY_SERIOUS:
            safety.append(
                SafetyPlan(
                    assessment=assessment,
                    plan="Daily check-in and check-out with the counselor; bag checks on arrival; "
                    "no contact with named students; parents secure firearms at home.",
                    implemented_on=reported + datetime.timedelta(days=3),
                    next_review_on=today + datetime.timedelta(days=7),
                )
            )
    ThreatAction.objects.bulk_create(actions)
    SafetyPlan.objects.bulk_create(safety)
    return len(assessments)
