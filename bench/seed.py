"""Builds the large district: people and places first, then each app's records.

Volumes at scale 1 (60 schools, 120 officers, 5 years): about 250,000 incidents
(833 per school per year) and 1,000,000 activity notes (1,667 per officer per year)."""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from types import ModuleType

from django.db import connection, models, transaction

from accounts.models import User
from contacts.models import PoliceContact
from drills.models import Drill
from incidents.models import Incident
from officers.models import ActivityNote, Agency, Agreement, Officer
from schools.models import Assignment, District, School
from students.models import Student
from surveys.models import Survey
from training.models import TrainingRecord

from . import activity, contacts, drills, incidents, students, surveys, training
from . import district as district_module
from .bulk import check_foreign_keys, defer_foreign_key_triggers, is_postgres, truncate

# (the model a generator fills, its module in bench/ with generate(district, *, scale) -> str)
GENERATORS: list[tuple[type[models.Model], ModuleType]] = [
    (Student, students),
    (ActivityNote, activity),
    (Incident, incidents),
    (PoliceContact, contacts),
    (TrainingRecord, training),
    (Drill, drills),
    (Survey, surveys),
]


def already_seeded() -> bool:
    return User.objects.filter(username=district_module.MARKER_USERNAME).exists()


def reset() -> None:
    """Empty every table the seed fills (and, by CASCADE, the tables that refer to them)."""
    truncate(
        [
            User,
            District,
            School,
            Agency,
            Agreement,
            Officer,
            Assignment,
            *(model for model, _module in GENERATORS),
        ]
    )
    # SSEC mappings name the user who changed them, so the CASCADE empties them too: put back
    # the defaults their migration installs, or the SSEC report has nothing to count.
    from incidents.defaults import install_ssec_defaults
    from incidents.models import IncidentCategory, SsecCategory, SsecMapping

    install_ssec_defaults(IncidentCategory, SsecCategory, SsecMapping)


def build(
    *,
    schools: int,
    officers: int,
    years: int,
    scale: float,
    today: datetime.date,
    seed: int,
    log: Callable[[str], None],
) -> dict[str, float]:
    """Create the district and return seconds spent per step."""
    timings: dict[str, float] = {}
    rng = random.Random(seed)
    with transaction.atomic():
        checked_at_end = defer_foreign_key_triggers()
        began = time.monotonic()
        district = district_module.build(
            schools=schools, officers=officers, years=years, today=today, rng=rng
        )
        timings["district"] = time.monotonic() - began
        log(
            f"  district: {len(district.district_ids)} districts, {len(district.school_ids)} schools, "
            f"{len(district.officer_ids)} officers, {len(district.assignments)} assignments, "
            f"{len(district.school_ids) + len(district.officer_ids) + 1 + len(district.district_ids)} users, "
            f"{len(district.school_days)} school days ({timings['district']:.1f} s)"
        )
        timings |= generate_records(district, scale=scale, seed=seed, log=log)
        if checked_at_end:
            began = time.monotonic()
            check_foreign_keys()
            timings["foreign keys"] = time.monotonic() - began
            log(f"  every foreign key checked ({timings['foreign keys']:.1f} s)")
    if is_postgres():
        began = time.monotonic()
        with connection.cursor() as cursor:
            # VACUUM too, as autovacuum would soon after a bulk load: it sets the visibility map,
            # without which a covering index answers no index-only scan (a year's aggregates
            # read 7,000 heap pages instead of 150 index pages; README, Every page).
            # (VACUUM cannot run in a transaction, as a test's database is: ANALYZE alone there.)
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        timings["analyze"] = time.monotonic() - began
    return timings


def generate_records(district, *, scale: float, seed: int, log: Callable[[str], None]) -> dict[str, float]:
    """Each app's records for `district`. Calling it again adds as many again (the
    query-count test uses that to grow the data under the same people and places)."""
    timings: dict[str, float] = {}
    for model, module in GENERATORS:
        app = model._meta.app_label
        began = time.monotonic()
        # Each app gets its own generator so adding records to one does not reshuffle another.
        district.rng = random.Random(f"{seed}-{app}")
        summary = module.generate(district, scale=scale)
        timings[app] = time.monotonic() - began
        log(f"  {app}: {summary} ({timings[app]:.1f} s)")
    return timings
