import datetime
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from bench import seed as large
from core import datacache


class Command(BaseCommand):
    help = (
        "Build a large district for the benchmark (bench/run.py), in bulk: by default 60 schools, "
        "120 officers and 5 years, about 250,000 incidents and 1,000,000 activity notes. "
        "Deterministic; does nothing if the district is already there (--reset rebuilds it). "
        "Refused when DJANGO_DEBUG=0: it creates users with the demo password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=60)
        parser.add_argument("--officers", type=int, default=120)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="multiplies the per-school and per-officer volumes (0.01 for a quick check)",
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed")
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None, help="YYYY-MM-DD")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="empty the tables first (PostgreSQL only; wipes ALL users, schools and records)",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_large creates users with a known password; it runs only with DJANGO_DEBUG=1."
            )
        if options["schools"] < 1 or options["officers"] < 1 or options["years"] < 1 or options["scale"] <= 0:
            raise CommandError("--schools, --officers, --years and --scale must be positive.")
        began = time.monotonic()
        if options["reset"]:
            if connection.vendor != "postgresql":
                raise CommandError("--reset needs PostgreSQL; with SQLite delete the database file instead.")
            large.reset()
            self.stdout.write("Emptied the tables.")
        elif large.already_seeded():
            self.stdout.write("The large district is already there; nothing added (--reset rebuilds it).")
            return
        today = options["today"] or timezone.localdate()
        self.stdout.write(
            f"Seeding {options['schools']} schools, {options['officers']} officers, {options['years']} years "
            f"to {today} (scale {options['scale']}) on {connection.vendor}:"
        )
        timings = large.build(
            schools=options["schools"],
            officers=options["officers"],
            years=options["years"],
            scale=options["scale"],
            today=today,
            seed=options["seed"],
            log=self.stdout.write,
        )
        if "analyze" in timings:
            self.stdout.write(f"  VACUUM (ANALYZE) ({timings['analyze']:.1f} s)")
        datacache.bump_all()  # bulk inserts send no signals: nothing cached before is current
        self.stdout.write(
            self.style.SUCCESS(
                f"Large district ready in {time.monotonic() - began:.1f} s. Sign in as "
                f"bench-coordinator, bench-admin-001 or bench-officer-001 / {settings.DEMO_PASSWORD}"
            )
        )
