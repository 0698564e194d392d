import datetime

from django.utils import timezone

from accounts.models import User
from schools.demo import BOCES, CITY, MOHONASEN
from schools.models import Assignment, AssignmentKind, District, School

from .models import ActivityNote, Agency, AgencyKind, Agreement, Attire, DutyCategory, Officer

DEMO_AGENCIES = [
    ("Schenectady Police Department", AgencyKind.POLICE, "Chief Eric Clifford"),
    ("Broome County District Attorney's Office", AgencyKind.DISTRICT_ATTORNEY, "DA F. Paul Battisti"),
]
# Each agency serves two of the LEAs, under an agreement with each: (agency index, district,
# pilot months at no cost, district share after it, other terms).
DEMO_AGREEMENTS = [
    (0, CITY, 12, 50, "Expansion beyond the pilot schools is cost-shared 50/50."),
    (0, MOHONASEN, 6, 40, "Overtime for evening events is billed to the district."),
    (1, CITY, None, 0, "Officer salary paid by the DA's office; the district provides office space."),
    (1, BOCES, None, 0, "Officer salary paid by the DA's office; BOCES provides office space."),
]

# (username or None, first, last, badge, rank, agency index, attire, primary school, secondary school)
DEMO_OFFICERS = [
    ("sergeant", "Tom", "Okafor", "2101", "Sergeant", 0, Attire.UNIFORM, None, None),
    (
        "officer",
        "Jordan",
        "Kowalski",
        "2217",
        "Officer",
        0,
        Attire.DRESSED_DOWN,
        "Riverside High School",
        "Lincoln Elementary School",
    ),
    (
        "officer2",
        "Alicia",
        "Brennan",
        "2230",
        "Officer",
        0,
        Attire.DRESSED_DOWN,
        "Riverside High School",
        "Central Park Middle School",  # in Mohonasen: this officer serves two districts
    ),
    (
        None,
        "Marcus",
        "Delgado",
        "2245",
        "Officer",
        0,
        Attire.UNIFORM,
        "Oneida Middle School",
        "Hamilton Elementary School",  # in another district: this officer serves two
    ),
    (
        None,
        "Renee",
        "Castillo",
        "2252",
        "Officer",
        0,
        Attire.UNIFORM,
        "Mont Pleasant Middle School",
        "Washington Irving Elementary School",
    ),
    (None, "Kevin", "Tran", "DA-07", "Investigator", 1, Attire.UNIFORM, "BOCES East Learning Center", None),
]


def seed(*, today, rng) -> str:
    agencies = []
    for name, kind, contact in DEMO_AGENCIES:
        agency, _ = Agency.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "contact_name": contact, "contact_email": f"sro@{kind}.example.gov"},
        )
        agencies.append(agency)
    effective = datetime.date(today.year - 1, 8, 1)
    for agency_i, district, pilot_months, share, terms in DEMO_AGREEMENTS:
        pilot_ends = effective + datetime.timedelta(days=30 * pilot_months) if pilot_months else None
        review = (
            datetime.date(today.year, 12, 15)
            if district != MOHONASEN
            else datetime.date(today.year + 1, 6, 30)
        )
        Agreement.objects.get_or_create(
            agency=agencies[agency_i],
            district=District.objects.get(name=district),
            defaults={
                "effective_on": effective,
                "review_on": review,
                "pilot_ends_on": pilot_ends,
                "district_share_percent": share,
                "cost_terms": terms,
            },
        )
    year_start = datetime.date(today.year if today.month >= 7 else today.year - 1, 7, 1)
    sergeant = None
    created = 0
    for username, first, last, badge, rank, agency_i, attire, primary, secondary in DEMO_OFFICERS:
        officer, was_created = Officer.objects.get_or_create(
            agency=agencies[agency_i],
            badge_number=badge,
            defaults={
                "first_name": first,
                "last_name": last,
                "rank": rank,
                "attire": attire,
                "email": f"{first.lower()}.{last.lower()}@police.example.gov",
                "phone": f"(518) 555-02{badge[-2:]}",
                "sro_start_date": year_start - datetime.timedelta(days=365 * (len(badge) % 3)),
                "supervisor": sergeant,
                "user": User.objects.filter(username=username).first() if username else None,
            },
        )
        created += was_created
        if rank == "Sergeant":
            sergeant = officer
        for school_name, kind in [(primary, AssignmentKind.PRIMARY), (secondary, AssignmentKind.SECONDARY)]:
            if school_name:
                school = School.objects.get(name=school_name)
                Assignment.objects.get_or_create(
                    officer=officer,
                    school=school,
                    kind=kind,
                    # A school that joined the program mid-year has had an officer since then.
                    start_date=max(year_start, school.joined_program_on or year_start),
                    defaults={"weekdays": "12345" if kind == AssignmentKind.PRIMARY else "3"},
                )
    notes = seed_notes(today=today, rng=rng, year_start=year_start)
    return f"{created} officers created, {notes} activity notes"


C = DutyCategory
# (category, weight during the school year, minutes choices, narratives). No student names.
NOTE_KINDS = [
    (
        C.PATROL,
        24,
        [15, 20, 30, 45, 60],
        [
            "Arrival and dismissal presence at the main entrance.",
            "Walked the halls and parking lots during lunch periods.",
            "High-visibility presence at the bus loop.",
        ],
    ),
    (
        C.CONSULT,
        14,
        [15, 20, 30, 45],
        [
            "Met the assistant principal about a hallway conflict.",
            "Consulted with the counselor on a student's attendance concerns.",
            "Weekly check-in with the principal.",
        ],
    ),
    (
        C.MEDIATION,
        9,
        [20, 30, 45],
        [
            "Mediated a dispute between two groups of students.",
            "Anti-bullying conversation with a class after a social media incident.",
        ],
    ),
    (C.TEACHING, 7, [40, 45, 50, 90], ["Taught a class period.", "Guest lesson with the health teacher."]),
    (
        C.EXTRACURRICULAR,
        7,
        [30, 60, 90, 120],
        ["Supervised the basketball game.", "Helped at the mentoring club."],
    ),
    (C.ADMINISTRATIVE, 10, [15, 20, 30, 45], ["Reports and email.", "Updated the visitor-management list."]),
    (
        C.INVESTIGATION,
        6,
        [30, 45, 60, 90],
        [
            "Followed up on a reported theft from a locker room.",
            "Reviewed camera footage for an incident at dismissal.",
        ],
    ),
    (
        C.ASSIST,
        4,
        [30, 60, 90],
        ["Assisted patrol with a call near the school.", "Assisted detectives with an off-campus matter."],
    ),
    (
        C.THREAT,
        3,
        [30, 45, 60, 120],
        [
            "Threat assessment team meeting about a concerning post.",
            "Checked on a reported threat written in a bathroom.",
        ],
    ),
    (
        C.PREPAREDNESS,
        4,
        [20, 30, 45],
        ["Lockdown drill walk-through with staff.", "Reviewed the evacuation plan."],
    ),
    (
        C.LIAISON,
        4,
        [30, 45, 60],
        ["Attended a truancy board hearing.", "Met juvenile probation about a student."],
    ),
    (C.REFERRAL, 3, [15, 20, 30], ["Referred a family to the food pantry and youth services."]),
    (C.EMERGENCY, 1, [20, 30, 60], ["Responded to a medical emergency in the gym until EMS arrived."]),
    (C.TRAINING, 2, [60, 120, 240], ["Attended de-escalation training.", "Crisis intervention refresher."]),
]
# Summer: fewer notes, mostly training, paperwork and youth programs.
SUMMER_KINDS = {C.TRAINING, C.ADMINISTRATIVE, C.EXTRACURRICULAR, C.PREPAREDNESS}
TOPICS = [
    "Internet safety",
    "Vaping and the law",
    "Dating violence",
    "Driving safety",
    "Careers in law enforcement",
]


def seed_notes(*, today, rng, year_start) -> int:
    """About a school year of activity notes for each demo officer, on working days. An officer
    who already has notes is skipped, so a second run adds nothing."""
    tz = timezone.get_current_timezone()
    total = 0
    officers = Officer.objects.filter(assignments__isnull=False).distinct().order_by("pk")
    for officer in officers:
        if officer.notes.exists():
            continue
        assignments = list(officer.assignments.select_related("school"))
        notes = []
        day = year_start
        while day < today:
            summer = day.month in (7, 8)
            working = [a for a in assignments if str(day.isoweekday()) in a.weekdays and a.start_date <= day]
            if day.weekday() < 5 and working and rng.random() > (0.55 if summer else 0.06):
                notes += _day_of_notes(officer, day, working, rng, summer, today, tz)
            day += datetime.timedelta(days=1)
        ActivityNote.objects.bulk_create(notes, batch_size=1000)
        total += len(notes)
    return total


def _day_of_notes(officer, day, working, rng, summer, today, tz):
    kinds = [k for k in NOTE_KINDS if not summer or k[0] in SUMMER_KINDS]
    secondary = [a for a in working if a.kind == AssignmentKind.SECONDARY]
    primary = [a for a in working if a.kind == AssignmentKind.PRIMARY] or working
    result = []
    for i in range(1 if summer else rng.randint(2, 4)):
        category, _, minutes, narratives = rng.choices(kinds, weights=[k[1] for k in kinds])[0]
        school = (secondary[0] if secondary and i == 0 else rng.choice(primary)).school
        follow_up = category not in SUMMER_KINDS and rng.random() < 0.08
        follow_up_date = day + datetime.timedelta(days=rng.randint(1, 7)) if follow_up else None
        done = follow_up and follow_up_date < today - datetime.timedelta(days=2) and rng.random() < 0.85
        filed = datetime.datetime.combine(day, datetime.time(14 + i, rng.randint(0, 59)), tzinfo=tz)
        result.append(
            ActivityNote(
                officer=officer,
                school=school,
                date=day,
                category=category,
                topic=rng.choice(TOPICS) if category == C.TEACHING else "",
                minutes=rng.choice(minutes),
                narrative=rng.choice(narratives),
                students_contacted=rng.choice([0, 0, 1, 2, 3, 5, 12, 25])
                if category != C.ADMINISTRATIVE
                else 0,
                follow_up=follow_up,
                follow_up_date=follow_up_date,
                follow_up_done_at=filed + datetime.timedelta(days=3) if done else None,
                created_at=filed,
            )
        )
    return result
