"""Incidents with the people involved, status changes, alerts and threat assessments:
about 833 incidents per school per school year at scale 1 (250,000 for 60 schools, 5 years)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils import timezone

from incidents import models as m

from .bulk import insert_rows, next_id

INCIDENTS_PER_SCHOOL_YEAR = 833

# How common each category is (by code; unknown codes get weight 1).
CATEGORY_WEIGHTS = {
    "conduct": 30,
    "fight": 16,
    "theft": 8,
    "vandalism": 6,
    "trespass": 2,
    "bullying": 12,
    "drugs": 6,
    "alcohol": 3,
    "assault_injury": 5,
    "false_alarm": 2,
    "other_threat": 3,
    "weapons": 2,
    "sexual_offense": 1,
    "bomb_threat": 0.3,
    "homicide": 0.01,
}
GRADES_BY_LEVEL = {
    "elementary": ["K", "1", "2", "3", "4", "5"],
    "middle": ["6", "7", "8"],
    "high": ["9", "10", "11", "12"],
    "alternative": ["9", "10", "11", "12", "UG"],
}
AGE_OF_GRADE = {"K": 5, "UG": 16, **{str(g): 5 + g for g in range(1, 13)}}
DESCRIPTIONS = [
    "Reported by a teacher during passing time; statements taken from those involved.",
    "Observed on camera near the main entrance; administration reviewed the footage.",
    "Student reported the matter to a counselor, who informed the assistant principal.",
    "Occurred in the cafeteria during second lunch; staff separated the students.",
    "Message shared on social media and brought to the school's attention by a parent.",
]
OUTCOMES = [
    "Parents contacted; restorative conference held.",
    "Resolved by administration under the code of conduct.",
    "Referred to counseling; follow-up scheduled.",
    "SRO investigated; no further action required.",
]

INCIDENT_FIELDS = [
    "id",
    "school_id",
    "reported_by_id",
    "occurred_at",
    "location",
    "category_id",
    "severity",
    "description",
    "weapon_type",
    "injuries",
    "parent_contacted",
    "counseling",
    "suspension",
    "referred_to_law_enforcement",
    "school_related_arrest",
    "referred_to_community",
    "status",
    "outcome",
    "table_level",
    "level",
    "response_minutes",
    "override_reason",
    "overridden_by_id",
    "retention_until",
    "created_at",
    "offenders",
    "victims",
]
PERSON_FIELDS = [
    "incident_id",
    "kind",
    "student_id",
    "local_id_or_initials",
    "role",
    "grade",
    "age",
    "sex",
    "race_ethnicity",
    "idea_disability",
    "section_504",
    "english_learner",
    "referred_to_law_enforcement",
    "arrest",
]
CHANGE_FIELDS = ["incident_id", "from_status", "to_status", "changed_by_id", "changed_at", "note"]
ALERT_FIELDS = [
    "incident_id",
    "kind",
    "officer_id",
    "recipient_id",
    "email",
    "level",
    "created_at",
    "sent_at",
    "due_at",
    "acknowledged_at",
    "acknowledged_by_id",
    "escalated_at",
]

RACES = [value for value, _ in m.RaceEthnicity.choices]
RACE_WEIGHTS = [25, 1, 5, 20, 0.5, 42, 6.5]
WEAPON_CATEGORIES = {"weapons", "other_threat", "assault_injury", "homicide"}
THREAT_CATEGORIES = {"other_threat", "bomb_threat", "weapons"}


def _thresholds():
    table = {}
    for row in m.Threshold.objects.all():
        table[(row.category_id, row.severity)] = (row.level, row.response_minutes)
    return table


def _students():
    """The students of each school (from bench/students.py, seeded before the incidents) and
    their program periods, read once."""
    from students.models import Enrollment, StudentStatus

    students_at: dict[int, list[tuple]] = {}
    for row in Enrollment.objects.values_list(
        "school_id", "student_id", "student__grade", "student__sex", "student__race_ethnicity"
    ).iterator(chunk_size=10_000):
        students_at.setdefault(row[0], []).append(row[1:])
    statuses: dict[int, list[tuple]] = {}
    for student, program, start, end in StudentStatus.objects.values_list(
        "student_id", "program", "start_date", "end_date"
    ).iterator(chunk_size=10_000):
        statuses.setdefault(student, []).append((program, start or datetime.date.min, end))
    return students_at, statuses


def generate(district, *, scale: float) -> str:
    rng = district.rng
    students_at, statuses = _students()
    categories = list(m.IncidentCategory.objects.all())
    if not categories:
        return "skipped (no incident categories: the incidents data migration has not run)"
    weights = [CATEGORY_WEIGHTS.get(c.code, 1) for c in categories]
    locations = [str(value) for value in m.Location.values]
    thresholds = _thresholds()
    days = district.school_days
    tz = timezone.get_current_timezone()
    today = district.today
    years = max((today - district.start).days / 365.25, 1 / 365)
    coordinator = district.coordinator_id

    # Primary officers of each school, with their dates, for the alerts.
    officers_at = defaultdict(list)
    for officer, school, kind, start, end in district.assignments:
        if kind == "primary":
            officers_at[school].append((officer, start, end))

    enrollment = dict(
        m.Incident._meta.get_field("school")
        .related_model.objects.filter(pk__in=district.school_ids)
        .values_list("pk", "enrollment")
    )
    mean_enrollment = sum(enrollment.values()) / max(len(enrollment), 1)

    first_incident = next_id(m.Incident)
    incidents, people, changes, alerts, threats = [], [], [], [], []
    pk = first_incident
    now = timezone.now()
    for school in district.school_ids:
        admin = district.admin_by_school[school]
        level_name = district.school_levels[school]
        grades = GRADES_BY_LEVEL.get(level_name, GRADES_BY_LEVEL["high"])
        expected = INCIDENTS_PER_SCHOOL_YEAR * scale * years * enrollment.get(school, 1) / mean_enrollment
        count = int(expected + rng.random())
        for _ in range(count):
            day = rng.choice(days)
            occurred = datetime.datetime.combine(
                day, datetime.time(rng.randint(7, 15), rng.randint(0, 59)), tzinfo=tz
            )
            if occurred > now:
                occurred = now - datetime.timedelta(minutes=rng.randint(5, 600))
            category = rng.choices(categories, weights)[0]
            severity = rng.choices(["low", "moderate", "high"], [55, 35, 10])[0]
            if category.is_code_of_conduct:
                table_level, minutes = 0, None
            else:
                table_level, minutes = thresholds.get((category.pk, severity), (1, 24 * 60))
            level, override_reason, overridden_by = table_level, "", None
            if not category.is_code_of_conduct and table_level < 3 and rng.random() < 0.02:
                level = table_level + 1
                override_reason = "Prior incidents with the same students; SRO asked to respond."
                overridden_by = admin
                minutes = minutes or 60
            age_days = (today - day).days
            if age_days > 30:
                status = "closed" if rng.random() < 0.92 else "under_review"
            else:
                status = rng.choice(["reported", "under_review", "sro_responding", "closed"])
            if status == "sro_responding" and level < 1:
                status = "under_review"
            arrest = level >= 2 and rng.random() < 0.08
            referral = arrest or (level >= 1 and rng.random() < 0.15)
            created = occurred + datetime.timedelta(minutes=rng.randint(5, 90))
            incidents.append(
                (
                    pk,
                    school,
                    admin,
                    occurred,
                    rng.choice(locations),
                    category.pk,
                    severity,
                    rng.choice(DESCRIPTIONS),
                    rng.choice(["knife", "replica", "other", "firearm"])
                    if category.code in WEAPON_CATEGORIES and rng.random() < 0.5
                    else "",
                    rng.choices(["none", "minor", "serious"], [85, 12, 3])[0],
                    rng.random() < 0.7,
                    rng.random() < 0.3,
                    rng.random() < 0.15,
                    referral,
                    arrest,
                    rng.random() < 0.1,
                    status,
                    rng.choice(OUTCOMES) if status == "closed" else "",
                    table_level,
                    level,
                    minutes,
                    override_reason,
                    overridden_by,
                    day.replace(year=day.year + 27) if not (day.month == 2 and day.day == 29) else day,
                    created,
                )
            )
            # People: one to three students, now and then a staff member or visitor.
            first_person = len(people)
            for n in range(rng.choices([1, 2, 3], [55, 30, 15])[0]):
                role = "offender" if n == 0 else rng.choice(["victim", "witness", "offender"])
                referred, arrested = referral and n == 0, arrest and n == 0
                pool = students_at.get(school)
                if pool and rng.random() < 0.9:
                    # A student of the school, as the report form records them: demographics
                    # from the record on the incident's date (students.services.demographics_on).
                    student, grade, sex, race = rng.choice(pool)
                    held = {
                        p
                        for p, start, end in statuses.get(student, ())
                        if start <= day and (end is None or day <= end)
                    }
                    people.append(
                        (
                            pk,
                            "student",
                            student,
                            "",
                            role,
                            grade,
                            None,
                            sex,
                            race,
                            "idea" in held,
                            "504" in held and "idea" not in held,
                            "el" in held,
                            referred,
                            "school_related" if arrested else "none",
                        )
                    )
                    continue
                grade = rng.choice(grades)
                collected = rng.random() < 0.9
                people.append(
                    (
                        pk,
                        "student" if n or rng.random() < 0.95 else "staff",
                        None,
                        f"S{rng.randint(100000, 999999)}",
                        role,
                        grade,
                        AGE_OF_GRADE[grade] + rng.randint(0, 1),
                        rng.choice(["M", "F", "M", "F", "X"]) if collected else "",
                        rng.choices(RACES, RACE_WEIGHTS)[0] if collected else "",
                        (rng.random() < 0.14) if collected else None,
                        (rng.random() < 0.04) if collected else None,
                        (rng.random() < 0.1) if collected else None,
                        referred if collected else None,
                        ("school_related" if arrested else "none") if collected else "",
                    )
                )
            # Its offenders and victims, as Incident.take_people keeps them (after the people,
            # so that the random draws, and the district, are those of before).
            roles = [row[4] for row in people[first_person:]]
            incidents[-1] += (roles.count("offender"), roles.count("victim"))
            if status != "reported":
                middle = created + datetime.timedelta(hours=rng.randint(1, 48))
                changes.append((pk, "reported", "under_review", admin, middle, ""))
                if status == "closed":
                    closed = middle + datetime.timedelta(days=rng.randint(0, 10))
                    changes.append((pk, "under_review", "closed", admin, min(closed, now), ""))
                elif status == "sro_responding":
                    changes.append((pk, "under_review", "sro_responding", admin, middle, ""))
            if level >= 1:
                sent = created + datetime.timedelta(seconds=rng.randint(5, 90))
                due = sent + datetime.timedelta(minutes=minutes or 60)
                on_duty = [o for o, s, e in officers_at[school] if s <= day and (e is None or day <= e)]
                for officer in on_duty[:1]:
                    acknowledged = age_days > 1 or rng.random() < 0.7
                    late = rng.random() < 0.05
                    ack_at = sent + datetime.timedelta(
                        minutes=(minutes or 60) * (1.5 if late else rng.random() * 0.9)
                    )
                    alerts.append(
                        (
                            pk,
                            "officer",
                            officer,
                            district.officer_user[officer],
                            "",
                            level,
                            sent,
                            sent,
                            due,
                            min(ack_at, now) if acknowledged else None,
                            district.officer_user[officer] if acknowledged else None,
                            due if late or (not acknowledged and due < now) else None,
                        )
                    )
                if level >= 2:
                    alerts.append((pk, "coordinator", None, coordinator, "", level, sent, sent) + (None,) * 4)
            if category.code in THREAT_CATEGORIES and rng.random() < 0.6:
                threats.append(
                    (pk, school, admin, day, created, status == "closed", category.code == "weapons")
                )
            pk += 1

    count = insert_rows(m.Incident, INCIDENT_FIELDS, incidents)
    count_people = insert_rows(m.IncidentPerson, PERSON_FIELDS, people)
    count_changes = insert_rows(m.IncidentStatusChange, CHANGE_FIELDS, changes)
    count_alerts = insert_rows(m.Alert, ALERT_FIELDS, alerts)
    count_threats = _threats(district, threats)
    # The large district declares it collects every CRDC figure in the years it covers.
    first, last = (d.year if d.month >= 7 else d.year - 1 for d in (days[0], days[-1]))
    from schools.models import School

    leas = set(School.objects.filter(pk__in=district.school_ids).values_list("district_id", flat=True))
    for year in range(first, last + 1):
        for lea in leas:
            m.CrdcCollection.objects.get_or_create(district_id=lea, school_year=year)
    return (
        f"{count:,} incidents, {count_people:,} people, {count_changes:,} status changes, "
        f"{count_alerts:,} alerts, {count_threats:,} threat assessments"
    )


def _threats(district, threats) -> int:
    """Threat assessments (CSTAG) for some threat incidents, with their checklist steps."""
    rng = district.rng
    tz = timezone.get_current_timezone()
    pk = next_id(m.ThreatAssessment)
    rows, actions, plans = [], [], []
    # The newest threat is still open, as a district's always has some: the list of open
    # assessments (the page's default) is never empty, however few a small district draws.
    newest = max(range(len(threats)), key=lambda i: threats[i][3], default=None)
    for i, (incident, school, admin, day, created, closed, weapon) in enumerate(threats):
        closed = closed and i != newest
        if weapon:
            classification = rng.choice([m.Classification.SERIOUS, m.Classification.VERY_SERIOUS])
        else:
            classification = rng.choices(
                [m.Classification.TRANSIENT, m.Classification.SERIOUS, m.Classification.VERY_SERIOUS],
                [70, 22, 8],
            )[0]
        if not closed and rng.random() < 0.2:
            classification = m.Classification.PENDING
        closed = closed and classification != m.Classification.PENDING
        closed_at = created + datetime.timedelta(days=rng.randint(3, 30)) if closed else None
        rows.append(
            (
                pk,
                incident,
                school,
                f"S{rng.randint(100000, 999999)}",
                day,
                "Said they would bring something to school to 'settle it'.",
                weapon,
                classification,
                "Team interviewed the student, witnesses and parents." if closed else "",
                "Assistant principal",
                "School psychologist",
                "Assigned SRO",
                "Homeroom teacher",
                m.ThreatStatus.CLOSED if closed else m.ThreatStatus.OPEN,
                admin,
                created,
                closed_at,
                admin if closed else None,
            )
        )
        for kind, days in m.CHECKLISTS.get(classification, []):
            due = day + datetime.timedelta(days=days)
            done = closed or rng.random() < 0.5
            done_at = datetime.datetime.combine(due, datetime.time(14), tzinfo=tz) if done else None
            actions.append((pk, kind, True, due, done_at, admin if done else None, ""))
        if classification == m.Classification.VERY_SERIOUS:
            plans.append(
                (
                    pk,
                    "Daily check-in with the counselor; bag checks; no access to the east wing.",
                    day + datetime.timedelta(days=5) if closed else None,
                    day + datetime.timedelta(days=30),
                )
            )
        pk += 1
    insert_rows(
        m.ThreatAssessment,
        [
            "id",
            "incident_id",
            "school_id",
            "student",
            "reported_on",
            "threat",
            "weapon_involved",
            "classification",
            "summary",
            "team_administrator",
            "team_counselor",
            "team_sro",
            "team_teacher",
            "status",
            "created_by_id",
            "created_at",
            "closed_at",
            "closed_by_id",
        ],
        rows,
    )
    insert_rows(
        m.ThreatAction,
        ["assessment_id", "kind", "required", "due_date", "done_at", "done_by_id", "notes"],
        actions,
    )
    insert_rows(m.SafetyPlan, ["assessment_id", "plan", "implemented_on", "next_review_on"], plans)
    return len(rows)
