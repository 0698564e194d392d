import datetime

from accounts.models import User
from schools.models import Assignment, AssignmentKind, School

from .models import Agency, AgencyKind, Attire, Officer

DEMO_AGENCIES = [
    ("Schenectady Police Department", AgencyKind.POLICE, "Chief Eric Clifford"),
    ("Broome County District Attorney's Office", AgencyKind.DISTRICT_ATTORNEY, "DA F. Paul Battisti"),
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
        None,
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
        "Hamilton Elementary School",
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
            defaults={
                "kind": kind,
                "contact_name": contact,
                "contact_email": f"sro@{kind}.example.gov",
                "mou_effective_date": datetime.date(today.year - 1, 8, 1),
                "mou_review_date": datetime.date(today.year, 12, 15),
                "cost_sharing": "Pilot at no cost to the district; expansion is cost-shared 50/50."
                if kind == AgencyKind.POLICE
                else "Officer salary paid by the DA's office; the district provides office space.",
            },
        )
        agencies.append(agency)
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
                Assignment.objects.get_or_create(
                    officer=officer,
                    school=School.objects.get(name=school_name),
                    kind=kind,
                    start_date=year_start,
                    defaults={"weekdays": "12345" if kind == AssignmentKind.PRIMARY else "3"},
                )
    return f"{created} officers created"
