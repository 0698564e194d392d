from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from schools.models import District
from students.services import import_roster


class Command(BaseCommand):
    help = (
        "Import students from a directory of OneRoster 1.1 / 1.2 CSV files (orgs.csv, users.csv, "
        "roles.csv for 1.2, demographics.csv, enrollments.csv, manifest.csv, and the supplemental "
        "sro_programs.csv). A set with any error imports nothing. Prints counts, and errors by "
        "file and line; never a student's data."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--district", help="The district's name or id (needed when there are several).")
        parser.add_argument("--dry-run", action="store_true", help="Check and count; write nothing.")
        parser.add_argument(
            "--partial", action="store_true", help="Leave students absent from the files as they are."
        )

    def handle(self, *args, directory, district, dry_run, partial, **options):
        folder = Path(directory)
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a directory")
        files = {path.name: path.read_bytes() for path in sorted(folder.glob("*.csv"))}
        result = import_roster(
            district=self.district(district),
            files=files,
            full=not partial,
            dry_run=dry_run,
            by=None,
            source=str(folder)[:255],
        )
        for error in result.errors:
            self.stderr.write(f"{error['file']}, line {error['line']}: {error['reason']}")
        counts = ", ".join(f"{value} {name}" for name, value in result.counts.items())
        what = "Dry run" if dry_run else "Imported" if result.applied else "Nothing imported"
        self.stdout.write(f"{what} (OneRoster {result.version or '?'}, {result.district}): {counts}")
        if result.errors:
            raise CommandError(f"{result.counts['errors']} errors: nothing was imported")

    def district(self, given: str | None) -> District:
        if given is None:
            districts = list(District.objects.all()[:2])
            if len(districts) != 1:
                raise CommandError("Name the district with --district (its name or id)")
            return districts[0]
        found = District.objects.filter(name=given).first()
        if found is None and given.isdigit():
            found = District.objects.filter(pk=int(given)).first()
        if found is None:
            raise CommandError(f"No district named {given!r}")
        return found
