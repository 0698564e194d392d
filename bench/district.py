"""The large program's people and places: three districts (LEAs), agencies serving them
under an agreement each, schools, users, officers, assignments.

Everything the other generators hang records on is collected in a `District`."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Role, User
from officers.models import Agency, AgencyKind, Agreement, Attire, Officer, OfficerStatus
from schools.models import Assignment, AssignmentKind, DistrictKind, Level, School
from schools.models import District as LEA

from .bulk import insert_rows, next_id

MARKER_USERNAME = "bench-coordinator"
COORDINATOR_USERNAME = "bench-coordinator"
OFFICER_USERNAME = "bench-officer-001"
ADMIN_USERNAME = "bench-admin-001"

PLACES = [
    "Lincoln", "Washington", "Hamilton", "Jefferson", "Roosevelt", "Franklin", "Madison", "Riverside",
    "Hillcrest", "Lakeview", "Oakwood", "Maple Grove", "Cedar Ridge", "Pinecrest", "Westfield",
    "Eastview", "Northside", "Southgate", "Brookside", "Meadowbrook", "Fairview", "Highland",
    "Glenwood", "Sunnyside", "Union", "Central", "Mont Pleasant", "Oneida", "Van Corlaer", "Yates",
]  # fmt: skip
FIRST = [
    "Alex", "Jordan", "Casey", "Morgan", "Taylor", "Riley", "Jamie", "Avery", "Quinn", "Drew",
    "Dana", "Robin", "Sam", "Chris", "Pat", "Lee", "Kim", "Terry", "Jesse", "Cameron",
]  # fmt: skip
LAST = [
    "Okafor", "Kowalski", "Brennan", "Delgado", "Castillo", "Tran", "Nguyen", "Patel", "Garcia",
    "Murphy", "Schmidt", "Rossi", "Cohen", "Walker", "Hughes", "Reyes", "Novak", "Foster", "Price",
    "Bailey", "Kaur", "Ibrahim", "Moreau", "Lindqvist", "Sato",
]  # fmt: skip
LEVELS = [
    (Level.ELEMENTARY, "Elementary", 0.5, (250, 600)),
    (Level.MIDDLE, "Middle", 0.25, (450, 900)),
    (Level.HIGH, "High", 0.2, (900, 2200)),
    (Level.ALTERNATIVE, "Alternative Learning Center", 0.05, (80, 250)),
]
# Three LEAs (made-up IDs: 99 is no state's FIPS code); schools are split between them in
# blocks, the BOCES centre getting the smallest share.
LEAS = [
    ("Bench City School District", DistrictKind.DISTRICT, "9910001", "991001010000", 0.5),
    ("Bench Valley Central School District", DistrictKind.DISTRICT, "9910002", "991002020000", 0.35),
    ("Bench County BOCES", DistrictKind.BOCES, "9910003", "991003030000", 0.15),
]
DISTRICT_COORDINATOR_USERNAME = "bench-district-coordinator-{}"
AGENCIES = [
    ("Bench City Police Department", AgencyKind.POLICE, 0.55),
    ("Bench County Sheriff's Office", AgencyKind.SHERIFF, 0.25),
    ("Bench Town Police Department", AgencyKind.POLICE, 0.15),
    ("Bench County District Attorney's Office", AgencyKind.DISTRICT_ATTORNEY, 0.05),
]


@dataclass
class District:
    today: datetime.date
    start: datetime.date
    rng: random.Random
    coordinator_id: int
    district_ids: list[int]
    school_ids: list[int]
    school_levels: dict[int, str]
    admin_by_school: dict[int, int]
    officer_ids: list[int]
    officer_user: dict[int, int]
    # (officer_id, school_id, kind, start, end or None) for every assignment
    assignments: list[tuple[int, int, str, datetime.date, datetime.date | None]]
    school_days: list[datetime.date] = field(default_factory=list)

    def schools_of(self, officer_id: int, day: datetime.date) -> list[tuple[int, str]]:
        return [
            (school, kind)
            for officer, school, kind, start, end in self.assignments
            if officer == officer_id and start <= day and (end is None or day <= end)
        ]


def school_days(start: datetime.date, today: datetime.date) -> list[datetime.date]:
    """Weekdays from September to June (July and August off), up to today."""
    days = []
    day = start
    while day <= today:
        if day.isoweekday() <= 5 and day.month not in (7, 8):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _pick_weighted(rng: random.Random, rows, weight_index: int):
    return rng.choices(rows, weights=[row[weight_index] for row in rows])[0]


def build(*, schools: int, officers: int, years: int, today: datetime.date, rng: random.Random) -> District:
    start = today.replace(year=today.year - years)
    password = make_password(settings.DEMO_PASSWORD)
    joined = timezone.make_aware(datetime.datetime.combine(start, datetime.time(8)))

    first_district = next_id(LEA)
    district_ids = [first_district + i for i in range(len(LEAS))]
    insert_rows(
        LEA,
        ["id", "name", "kind", "nces_id", "state_code"],
        (
            (pk, name, kind, nces_id, state_code)
            for pk, (name, kind, nces_id, state_code, _share) in zip(district_ids, LEAS, strict=True)
        ),
    )

    first_agency = next_id(Agency)
    agency_ids = [first_agency + i for i in range(len(AGENCIES))]
    insert_rows(
        Agency,
        ["id", "name", "kind", "contact_name", "contact_email"],
        (
            (pk, name, kind, "Program liaison", "sro@bench.example.gov")
            for pk, (name, kind, _weight) in zip(agency_ids, AGENCIES, strict=True)
        ),
    )
    # Every agency serves every district, under an agreement with each (pilot, then 50/50).
    insert_rows(
        Agreement,
        [
            "agency_id",
            "district_id",
            "effective_on",
            "review_on",
            "pilot_ends_on",
            "district_share_percent",
            "cost_terms",
            "document",
        ],
        (
            (agency, district, start, today + datetime.timedelta(days=120), start, 50, "", "")
            for agency in agency_ids
            for district in district_ids
        ),
    )

    # Schools, in blocks per district.
    first_school = next_id(School)
    school_rows, school_levels = [], {}
    bounds = []
    share = 0.0
    for _name, _kind, _nces, _state, fraction in LEAS:
        share += fraction
        bounds.append(round(share * schools))
    for i in range(schools):
        district = district_ids[
            next(d for d, bound in enumerate(bounds) if i < bound or d == len(bounds) - 1)
        ]
        level, label, _w, (low, high) = _pick_weighted(rng, LEVELS, 2)
        place = PLACES[i % len(PLACES)]
        suffix = f" {i // len(PLACES) + 1}" if i >= len(PLACES) else ""
        pk = first_school + i
        school_levels[pk] = level
        school_rows.append(
            (
                pk,
                f"{place} {label} School{suffix}",
                level,
                f"{100 + i} Union Street, Bench City, NY 12305",
                f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                f"(518) 555-{i:04d}",
                f"office{i:03d}@bench.example.org",
                rng.randint(low, high),
                start,
                True,
                district,
            )
        )
    insert_rows(
        School,
        [
            "id",
            "name",
            "level",
            "address",
            "principal",
            "phone",
            "email",
            "enrollment",
            "joined_program_on",
            "is_active",
            "district_id",
        ],
        school_rows,
    )
    school_ids = [row[0] for row in school_rows]

    # Users: one coordinator, one administrator per school, one login per officer.
    first_user = next_id(User)
    user_rows = [(first_user, COORDINATOR_USERNAME, "Dana", "Whitfield", Role.COORDINATOR)]
    admin_by_school = {}
    for i, school in enumerate(school_ids, start=1):
        admin_by_school[school] = first_user + i
        user_rows.append(
            (first_user + i, f"bench-admin-{i:03d}", rng.choice(FIRST), "Admin", Role.SCHOOL_ADMIN)
        )
    officer_user_base = first_user + 1 + len(school_ids)
    for i in range(officers):
        user_rows.append(
            (
                officer_user_base + i,
                f"bench-officer-{i + 1:03d}",
                rng.choice(FIRST),
                rng.choice(LAST),
                Role.OFFICER,
            )
        )
    # One district coordinator per district, after everyone else.
    district_coordinator_base = officer_user_base + officers
    user_rows += [
        (
            district_coordinator_base + i,
            DISTRICT_COORDINATOR_USERNAME.format(i + 1),
            "Robin",
            "Coordinator",
            "",
        )
        for i in range(len(district_ids))
    ]
    district_of_user = {district_coordinator_base + i: pk for i, pk in enumerate(district_ids)}
    insert_rows(
        User,
        [
            "id",
            "username",
            "first_name",
            "last_name",
            "role",
            "email",
            "password",
            "is_active",
            "date_joined",
            "district_id",
        ],
        (
            (
                pk,
                username,
                first,
                last,
                role or Role.DISTRICT_COORDINATOR,
                f"{username}@bench.example.org",
                password,
                True,
                joined,
                district_of_user.get(pk),
            )
            for pk, username, first, last, role in user_rows
        ),
    )
    insert_rows(
        School.administrators.through,
        ["school_id", "user_id"],
        ((school, user) for school, user in admin_by_school.items()),
    )

    # Officers: a sergeant supervises each group of ten.
    first_officer = next_id(Officer)
    officer_rows, officer_user = [], {}
    sergeant = None
    for i in range(officers):
        pk = first_officer + i
        user_pk = officer_user_base + i
        officer_user[pk] = user_pk
        _, first, last, _role = user_rows[1 + len(school_ids) + i][1:]
        is_sergeant = i % 10 == 0
        agency = agency_ids[AGENCIES.index(_pick_weighted(rng, AGENCIES, 2))]
        officer_rows.append(
            (
                pk,
                user_pk,
                agency,
                first,
                last,
                f"B{i + 1:04d}",
                "Sergeant" if is_sergeant else "Officer",
                f"officer{i + 1:03d}@police.bench.example.gov",
                OfficerStatus.ACTIVE if rng.random() > 0.03 else OfficerStatus.ON_LEAVE,
                start - datetime.timedelta(days=rng.randint(0, 3000)),
                rng.choice([Attire.UNIFORM, Attire.DRESSED_DOWN]),
                None if is_sergeant else sergeant,
            )
        )
        if is_sergeant:
            sergeant = pk
    insert_rows(
        Officer,
        [
            "id",
            "user_id",
            "agency_id",
            "first_name",
            "last_name",
            "badge_number",
            "rank",
            "email",
            "status",
            "sro_start_date",
            "attire",
            "supervisor_id",
        ],
        officer_rows,
    )
    officer_ids = [row[0] for row in officer_rows]

    # Assignments: a primary school each (one in ten moved school half-way), and a
    # secondary school one day a week for a third of them.
    assignments = []
    middle = start + (today - start) / 2
    for i, officer in enumerate(officer_ids):
        school = school_ids[i % len(school_ids)]
        if i % 10 == 3 and len(school_ids) > 1:
            earlier = school_ids[(i + 1) % len(school_ids)]
            assignments.append((officer, earlier, AssignmentKind.PRIMARY, start, middle))
            assignments.append(
                (officer, school, AssignmentKind.PRIMARY, middle + datetime.timedelta(days=1), None)
            )
        else:
            assignments.append((officer, school, AssignmentKind.PRIMARY, start, None))
        if i % 3 == 1 and len(school_ids) > 1:
            other = school_ids[(i + len(school_ids) // 2 + 1) % len(school_ids)]
            if other != school:
                assignments.append((officer, other, AssignmentKind.SECONDARY, start, None))
    insert_rows(
        Assignment,
        ["officer_id", "school_id", "kind", "start_date", "end_date", "weekdays"],
        (
            (officer, school, kind, begin, end, "12345" if kind == AssignmentKind.PRIMARY else "3")
            for officer, school, kind, begin, end in assignments
        ),
    )
    return District(
        today=today,
        start=start,
        rng=rng,
        coordinator_id=first_user,
        district_ids=district_ids,
        school_ids=school_ids,
        school_levels=school_levels,
        admin_by_school=admin_by_school,
        officer_ids=officer_ids,
        officer_user=officer_user,
        assignments=assignments,
        school_days=school_days(start, today),
    )
