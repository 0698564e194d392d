"""The OneRoster import at district scale: 50,000 students.

    python bench/roster_import.py [--students 50000]        (or: make bench-roster)

Writes a OneRoster 1.1 set (orgs, users, demographics, enrollments, manifest and the
supplemental sro_programs.csv) for 50,000 students over 20 schools in a temporary directory
(students.demo.write_oneroster, deterministic), then, on PostgreSQL (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/sro_roster, created and migrated if needed), times a dry run,
the first import (the bench district's students are removed first) and a re-import of the same
files (0 changed). Target: each under 60 s.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sro_roster"
DISTRICT = "Roster benchmark district"
TARGET_S = 60.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=50_000)
    parser.add_argument("--schools", type=int, default=20)
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sro_program.settings")
    from bench.alert_latency import ensure_database

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from schools.models import District, Level, School
    from students.demo import write_oneroster
    from students.models import Enrollment, Student, StudentStatus
    from students.services import import_roster

    district, _ = District.objects.get_or_create(name=DISTRICT)
    levels = [Level.ELEMENTARY, Level.MIDDLE, Level.HIGH]
    schools = []
    for n in range(args.schools):
        school, _ = School.objects.get_or_create(
            name=f"Roster bench school {n + 1:02d}",
            defaults={"district": district, "level": levels[n % 3], "sis_identifier": f"RB{n + 1:03d}"},
        )
        schools.append((f"org-{school.sis_identifier}", school.sis_identifier, school.level))
    for model in (StudentStatus, Enrollment):
        doomed = model.objects.filter(student__district=district)
        doomed._raw_delete(doomed.db)
    doomed = Student.objects.filter(district=district)
    doomed._raw_delete(doomed.db)

    with tempfile.TemporaryDirectory(prefix="bench-roster-") as tmp:
        began = time.monotonic()
        periods = write_oneroster(
            Path(tmp),
            schools=schools,
            count=args.students,
            rng=random.Random("bench-roster"),
            today=datetime.date.today(),
            prefix="bench",
        )
        written = time.monotonic() - began
        files = {path.name: path.read_bytes() for path in Path(tmp).glob("*.csv")}
        size = sum(len(data) for data in files.values())
        print(
            f"{args.students:,} students, {periods:,} program periods, {len(schools)} schools: "
            f"{len(files)} CSV files, {size / 1e6:.1f} MB, written in {written:.1f} s "
            f"({connection.vendor}, {connection.settings_dict['NAME']})"
        )
        rows = []
        for label, dry_run in [("dry run", True), ("first import", False), ("re-import (same files)", False)]:
            began = time.monotonic()
            result = import_roster(
                district=district, files=files, full=True, dry_run=dry_run, by=None, source=tmp
            )
            seconds = time.monotonic() - began
            assert not result.errors, result.errors[:5]
            rows.append((label, seconds, result.counts))
    print()
    print("| run | seconds | new | changed | unchanged | inactivated | errors | under 60 s |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for label, seconds, counts in rows:
        print(
            f"| {label} | {seconds:.1f} | {counts['new']:,} | {counts['changed']:,} "
            f"| {counts['unchanged']:,} | {counts['inactivated']:,} | {counts['errors']} "
            f"| {'yes' if seconds < TARGET_S else 'NO'} |"
        )
    return 0 if all(seconds < TARGET_S for _, seconds, _ in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
