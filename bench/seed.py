"""Builds the large district: people and places first, then each app's records.

Volumes at scale 1 (60 schools, 120 officers, 5 years): about 250,000 incidents
(833 per school per year) and 1,000,000 activity notes (1,667 per officer per year).
An app whose models are not installed on this branch is skipped and reported."""

from __future__ import annotations

import datetime
import importlib
import random
import time
from collections.abc import Callable

from django.apps import apps
from django.db import connection, transaction

from . import district as district_module
from .bulk import check_foreign_keys, defer_foreign_key_triggers, is_postgres, truncate

INCIDENTS_PER_SCHOOL_YEAR = 833
NOTES_PER_OFFICER_YEAR = 1667

# (model that must exist, module in bench/ with generate(district, *, scale) -> str)
GENERATORS = [
    ("officers.ActivityNote", "bench.activity"),
    ("incidents.Incident", "bench.incidents"),
    ("training.TrainingRecord", "bench.training"),
    ("drills.Drill", "bench.drills"),
    ("surveys.Survey", "bench.surveys"),
]


def model_exists(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def already_seeded() -> bool:
    from accounts.models import User

    return User.objects.filter(username=district_module.MARKER_USERNAME).exists()


def reset() -> None:
    """Empty every table the seed fills (and, by CASCADE, the tables that refer to them)."""
    from accounts.models import User
    from officers.models import Agency, Agreement, Officer
    from schools.models import Assignment, District, School

    models_ = [User, District, School, Agency, Agreement, Officer, Assignment]
    for label, _module in GENERATORS:
        if model_exists(label):
            models_.append(apps.get_model(label))
    truncate(models_)


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
            cursor.execute("ANALYZE")
        timings["analyze"] = time.monotonic() - began
    return timings


def generate_records(district, *, scale: float, seed: int, log: Callable[[str], None]) -> dict[str, float]:
    """Each installed app's records for `district`. Calling it again adds as many again (the
    query-count test uses that to grow the data under the same people and places)."""
    timings: dict[str, float] = {}
    for label, module_name in GENERATORS:
        app = label.split(".")[0]
        if not model_exists(label):
            log(f"  {app}: skipped ({label} is not installed on this branch)")
            continue
        module = importlib.import_module(module_name)
        began = time.monotonic()
        # Each app gets its own generator so adding records to one does not reshuffle another.
        district.rng = random.Random(f"{seed}-{app}")
        summary = module.generate(district, scale=scale)
        timings[app] = time.monotonic() - began
        log(f"  {app}: {summary} ({timings[app]:.1f} s)")
    return timings
