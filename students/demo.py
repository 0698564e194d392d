"""Demo students: a OneRoster 1.1 CSV set per demo district, written under
var/demo-oneroster/<district>/ and imported with `manage.py import_oneroster` (the same path a
district's SIS export takes). `write_oneroster` also makes the 50,000-student set of
bench/roster_import.py."""

from __future__ import annotations

import csv
import datetime
import random
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.utils.text import slugify

from schools.models import District, Level, School

from .models import school_year_of

# Students per demo school: a few hundred across the eight schools.
PER_SCHOOL = 40
FIRST_NAMES = [
    "Aaliyah", "Ben", "Camila", "Darnell", "Elena", "Farid", "Grace", "Hiro", "Isabella", "Jamal",
    "Keira", "Liam", "Maya", "Nikhil", "Olivia", "Pedro", "Quinn", "Rosa", "Samir", "Tanya",
    "Uriel", "Valentina", "Wyatt", "Ximena", "Yusuf", "Zoe",
]  # fmt: skip
LAST_NAMES = [
    "Adams", "Baptiste", "Chen", "Diaz", "Evans", "Fofana", "Garcia", "Haddad", "Ivanova", "Johnson",
    "Kowalski", "Lopez", "Mensah", "Nguyen", "Okafor", "Patel", "Quinlan", "Rivera", "Smith", "Thompson",
    "Usman", "Vasquez", "Williams", "Xu", "Young", "Zielinski",
]  # fmt: skip
# CEDS grade codes by school level.
GRADES = {
    Level.ELEMENTARY: ["KG", "01", "02", "03", "04", "05"],
    Level.MIDDLE: ["06", "07", "08"],
    Level.HIGH: ["09", "10", "11", "12"],
    Level.ALTERNATIVE: ["09", "10", "11", "12", "UG"],
}
RACES = [
    "americanIndianOrAlaskaNative",
    "asian",
    "blackOrAfricanAmerican",
    "nativeHawaiianOrOtherPacificIslander",
    "white",
]
# Shares of students with a period in each program (roughly national proportions).
PROGRAM_SHARES = [("idea", 0.14), ("504", 0.04), ("el", 0.09)]


def write_oneroster(
    directory: Path,
    *,
    schools: Sequence[tuple[str, str, str]],
    count: int,
    rng: random.Random,
    today: datetime.date,
    prefix: str = "stu",
) -> int:
    """Write a OneRoster 1.1 set (manifest, orgs, users, demographics, enrollments) and the
    supplemental sro_programs.csv for `count` students spread over `schools`, given as (org
    sourcedId, SIS identifier, level). Deterministic for a given `rng` seed. Returns the number
    of program periods written."""
    directory.mkdir(parents=True, exist_ok=True)
    year = school_year_of(today)
    begin = f"{year}-09-01"
    periods = 0
    _write(directory / "manifest.csv", ["propertyName", "value"], [
        ["manifest.version", "1.0"], ["oneroster.version", "1.1"], ["file.orgs", "bulk"],
        ["file.users", "bulk"], ["file.demographics", "bulk"], ["file.enrollments", "bulk"],
        ["file.classes", "absent"], ["file.courses", "absent"], ["file.academicSessions", "absent"],
    ])  # fmt: skip
    _write(
        directory / "orgs.csv",
        ["sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"],
        [["lea", "", "", "District", "district", "LEA", ""]]
        + [
            [org, "", "", f"School {identifier}", "school", identifier, "lea"]
            for org, identifier, _ in schools
        ],
    )
    with (
        open(directory / "users.csv", "w", newline="") as users_file,
        open(directory / "demographics.csv", "w", newline="") as demographics_file,
        open(directory / "enrollments.csv", "w", newline="") as enrollments_file,
        open(directory / "sro_programs.csv", "w", newline="") as programs_file,
    ):
        users, demographics = csv.writer(users_file), csv.writer(demographics_file)
        enrollments, programs = csv.writer(enrollments_file), csv.writer(programs_file)
        users.writerow([
            "sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role", "username",
            "userIds", "givenName", "familyName", "middleName", "identifier", "email", "sms", "phone",
            "agentSourcedIds", "grades", "password",
        ])  # fmt: skip
        demographics.writerow([
            "sourcedId", "status", "dateLastModified", "birthDate", "sex", *RACES,
            "demographicRaceTwoOrMoreRaces", "hispanicOrLatinoEthnicity", "countryOfBirthCode",
            "stateOfBirthAbbreviation", "cityOfBirth", "publicSchoolResidenceStatus",
        ])  # fmt: skip
        enrollments.writerow([
            "sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId", "userSourcedId",
            "role", "primary", "beginDate", "endDate",
        ])  # fmt: skip
        programs.writerow(["sourcedId", "program", "startDate", "endDate", "stateId"])
        for n in range(1, count + 1):
            org, _identifier, level = schools[n % len(schools)]
            sourced_id = f"{prefix}-{n:06d}"
            grade = rng.choice(GRADES[level])
            age = 5 if grade == "KG" else 16 if grade == "UG" else 5 + int(grade)
            birth = datetime.date(year - age, rng.randint(1, 12), rng.randint(1, 28))
            users.writerow([
                sourced_id, "", "", "true", f"lea,{org}", "student", "", "", rng.choice(FIRST_NAMES),
                rng.choice(LAST_NAMES), "", f"{n:06d}", "", "", "", "", grade, "",
            ])  # fmt: skip
            races = ["false"] * len(RACES)
            races[rng.choices(range(len(RACES)), weights=[1, 5, 15, 1, 50])[0]] = "true"
            if rng.random() < 0.05:
                races[rng.randrange(len(RACES))] = "true"
            demographics.writerow([
                sourced_id, "", "", birth.isoformat(),
                rng.choice(["male", "female", "male", "female", "other"]), *races, "false",
                "true" if rng.random() < 0.2 else "false", "", "", "", "",
            ])  # fmt: skip
            enrollments.writerow([f"enr-{sourced_id}", "", "", f"homeroom-{org}", org, sourced_id, "student",
                                  "false", begin, ""])  # fmt: skip
            for program, share in PROGRAM_SHARES:
                if rng.random() < share:
                    start = datetime.date(year - rng.randint(0, 3), rng.randint(1, 12), 1)
                    end = "" if rng.random() < 0.8 else (start + datetime.timedelta(days=300)).isoformat()
                    programs.writerow([sourced_id, program, start.isoformat(), end, ""])
                    periods += 1
    return periods


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)


def seed(*, today: datetime.date, rng: random.Random) -> str:
    """Give each demo school an SIS identifier, write each district's set and import it."""
    root = Path(settings.BASE_DIR) / "var" / "demo-oneroster"
    total = 0
    for district in District.objects.order_by("name"):
        schools = list(School.objects.filter(district=district).order_by("name"))
        if not schools:
            continue
        for school in schools:
            if not school.sis_identifier:
                school.sis_identifier = f"{slugify(school.name)[:40]}"
                school.save(update_fields=["sis_identifier"])
        directory = root / slugify(district.name)
        write_oneroster(
            directory,
            schools=[(f"org-{s.sis_identifier}", s.sis_identifier, s.level) for s in schools],
            count=PER_SCHOOL * len(schools),
            rng=random.Random(f"{district.name}-students"),
            today=today,
            prefix=f"{slugify(district.name)[:12]}",
        )
        call_command("import_oneroster", str(directory), "--district", district.name, stdout=_Quiet())
        total += PER_SCHOOL * len(schools)
    return f"{total} students imported from OneRoster CSV under var/demo-oneroster/"


class _Quiet:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass
