from accounts.models import User

from .models import Level, School

# Eight schools, elementary to high school plus an alternative / BOCES centre.
DEMO_SCHOOLS = [
    ("Lincoln Elementary School", Level.ELEMENTARY, 410, "Karen Doyle"),
    ("Washington Irving Elementary School", Level.ELEMENTARY, 388, "Luis Ortega"),
    ("Hamilton Elementary School", Level.ELEMENTARY, 352, "Beth Carmody"),
    ("Oneida Middle School", Level.MIDDLE, 612, "Samuel Price"),
    ("Mont Pleasant Middle School", Level.MIDDLE, 574, "Grace Lin"),
    ("Central Park Middle School", Level.MIDDLE, 540, "Harold Vance"),
    ("Riverside High School", Level.HIGH, 1680, "Anita Soler"),
    ("BOCES East Learning Center", Level.ALTERNATIVE, 160, "Frank Battaglia"),
]


def seed(*, today, rng) -> str:
    created = 0
    for number, (name, level, enrollment, principal) in enumerate(DEMO_SCHOOLS, start=1):
        _, was_created = School.objects.get_or_create(
            name=name,
            defaults={
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
    return f"{created} schools created"
