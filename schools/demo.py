from django.conf import settings

from accounts.models import Role, User

from .models import District, DistrictKind, Level, School

# Two school districts and a BOCES centre (each its own LEA). The LEA IDs and BEDS codes
# are made up for the demo (99xxxxx is no state's FIPS prefix).
CITY, MOHONASEN, BOCES = (
    "Schenectady City School District",
    "Mohonasen Central School District",
    "Capital Region BOCES",
)
DEMO_DISTRICTS = [
    (CITY, DistrictKind.DISTRICT, "9900001", "999901010000"),
    (MOHONASEN, DistrictKind.DISTRICT, "9900002", "999902020000"),
    (BOCES, DistrictKind.BOCES, "9900003", "999903030000"),
]
# (username, first, last, district): one district coordinator per district.
DEMO_DISTRICT_COORDINATORS = [
    ("citycoordinator", "Renata", "Alvarez", CITY),
    ("mohonasencoordinator", "Owen", "Pierce", MOHONASEN),
    ("bocescoordinator", "Ines", "Moreau", BOCES),
]

# Eight schools, elementary to high school plus an alternative / BOCES centre.
DEMO_SCHOOLS = [
    ("Lincoln Elementary School", Level.ELEMENTARY, 410, "Karen Doyle", CITY),
    ("Washington Irving Elementary School", Level.ELEMENTARY, 388, "Luis Ortega", CITY),
    ("Hamilton Elementary School", Level.ELEMENTARY, 352, "Beth Carmody", MOHONASEN),
    ("Oneida Middle School", Level.MIDDLE, 612, "Samuel Price", CITY),
    ("Mont Pleasant Middle School", Level.MIDDLE, 574, "Grace Lin", CITY),
    ("Central Park Middle School", Level.MIDDLE, 540, "Harold Vance", MOHONASEN),
    ("Riverside High School", Level.HIGH, 1680, "Anita Soler", CITY),
    ("BOCES East Learning Center", Level.ALTERNATIVE, 160, "Frank Battaglia", BOCES),
]


def seed_districts() -> dict[str, District]:
    # The district a fresh database starts with (schools/0003, DEFAULT_DISTRICT_NAME) becomes
    # the first demo district, so the demo has no empty district in its filters.
    if not District.objects.filter(name=CITY).exists():
        District.objects.filter(name=settings.DEFAULT_DISTRICT_NAME).update(name=CITY)
    districts = {}
    for name, kind, nces_id, state_code in DEMO_DISTRICTS:
        districts[name], created = District.objects.get_or_create(
            name=name, defaults={"kind": kind, "nces_id": nces_id, "state_code": state_code}
        )
        if not districts[name].nces_id:
            District.objects.filter(pk=districts[name].pk).update(nces_id=nces_id, state_code=state_code)
    for username, first, last, district in DEMO_DISTRICT_COORDINATORS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "role": Role.DISTRICT_COORDINATOR,
                "district": districts[district],
                "email": f"{username}@district.example.org",
            },
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
    return districts


def seed(*, today, rng) -> str:
    districts = seed_districts()
    created = 0
    for number, (name, level, enrollment, principal, district) in enumerate(DEMO_SCHOOLS, start=1):
        school, was_created = School.objects.get_or_create(
            name=name,
            defaults={
                "district": districts[district],
                "level": level,
                "enrollment": enrollment,
                "principal": principal,
                "address": f"{100 + number * 12} Union Street, Schenectady, NY 12305",
                "phone": f"(518) 555-01{number:02d}",
                "email": f"office{number}@district.example.org",
                "main_contact": principal,
            },
        )
        created += was_created
        if school.district_id != districts[district].pk:
            # A demo database from before districts: its schools were all in the default one.
            School.objects.filter(pk=school.pk).update(district=districts[district])
    # Every school was in the program from the start of the year except the BOCES centre,
    # which joined mid-year (a new building joining is a normal operation).
    year_start = (
        today.replace(month=7, day=1)
        if today.month >= 7
        else today.replace(year=today.year - 1, month=7, day=1)
    )
    School.objects.filter(joined_program_on__isnull=True).exclude(name="BOCES East Learning Center").update(
        joined_program_on=year_start
    )
    School.objects.filter(joined_program_on__isnull=True, name="BOCES East Learning Center").update(
        joined_program_on=year_start.replace(month=10, day=1)
    )
    high = School.objects.get(name="Riverside High School")
    middle = School.objects.get(name="Oneida Middle School")
    high.administrators.add(User.objects.get(username="schooladmin"))
    middle.administrators.add(User.objects.get(username="schooladmin2"))
    return f"{len(districts)} districts, {created} schools created"
