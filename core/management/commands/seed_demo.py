import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts import demo as accounts_demo
from contacts import demo as contacts_demo
from drills import demo as drills_demo
from incidents import demo as incidents_demo
from officers import demo as officers_demo
from schools import demo as schools_demo
from students import demo as students_demo
from surveys import demo as surveys_demo
from training import demo as training_demo

# Each app's demo data, in the order they depend on each other.
DEMOS = [
    ("accounts", accounts_demo),
    ("schools", schools_demo),
    ("students", students_demo),
    ("officers", officers_demo),
    ("incidents", incidents_demo),
    ("training", training_demo),
    ("drills", drills_demo),
    ("surveys", surveys_demo),
    # After the incidents (their referrals and arrests are contacts) and the students.
    ("contacts", contacts_demo),
]


class Command(BaseCommand):
    help = (
        "Load the demo program (two districts and a BOCES centre, their schools, agencies, officers, "
        "a year of records). "
        "Idempotent: running it again adds nothing twice. Refused when DJANGO_DEBUG=0."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates users with a known password; it runs only with DJANGO_DEBUG=1."
            )
        today = timezone.localdate()
        with transaction.atomic():
            for app, module in DEMOS:
                # Each app gets its own seeded generator so adding data to one app
                # does not reshuffle another's.
                summary = module.seed(today=today, rng=random.Random(f"{app}-2026"))
                if summary:
                    self.stdout.write(f"  {app}: {summary}")
        password = settings.DEMO_PASSWORD
        self.stdout.write(self.style.SUCCESS("Demo district ready. Sign in at http://127.0.0.1:8000 as:"))
        for username, role in [
            ("coordinator", "program coordinator: every district"),
            ("citycoordinator", "district coordinator: Schenectady City School District"),
            ("mohonasencoordinator", "district coordinator: Mohonasen Central School District"),
            ("bocescoordinator", "district coordinator: Capital Region BOCES"),
            ("schooladmin", "school administrator"),
            ("officer", "officer (schools of two districts)"),
        ]:
            self.stdout.write(f"  {username:<20} / {password:<16} ({role})")
