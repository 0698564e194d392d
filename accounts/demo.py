"""Demo sign-ins: one per role, plus a second administrator and officer for realism."""

from django.conf import settings

from .models import Role, User

DEMO_USERS = [
    ("coordinator", "Dana", "Whitfield", Role.COORDINATOR),
    ("schooladmin", "Marcus", "Reyes", Role.SCHOOL_ADMIN),
    ("schooladmin2", "Priya", "Natarajan", Role.SCHOOL_ADMIN),
    ("officer", "Jordan", "Kowalski", Role.OFFICER),
    ("officer2", "Alicia", "Brennan", Role.OFFICER),
    ("sergeant", "Tom", "Okafor", Role.OFFICER),
]


def seed(*, today, rng) -> str:
    created = 0
    for username, first, last, role in DEMO_USERS:
        user, was_created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "role": role,
                "email": f"{username}@district.example.org",
            },
        )
        if was_created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
            created += 1
    return f"{created} users created"
