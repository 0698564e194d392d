"""Students of the large district: about 40,000 at scale 1, enrolled at the schools of their
district (a tenth moved school during the year: an ended enrolment and a current one), with
IDEA / Section 504 / English-learner periods. Bulk inserts, as the rest of the seed."""

from __future__ import annotations

import datetime

from schools.models import School
from students.demo import FIRST_NAMES, LAST_NAMES, PROGRAM_SHARES
from students.models import Enrollment, RaceEthnicity, Sex, Student, StudentStatus, school_year_of

from .bulk import insert_rows, next_id

STUDENTS = 40_000
GRADES = {
    "elementary": ["K", "1", "2", "3", "4", "5"],
    "middle": ["6", "7", "8"],
    "high": ["9", "10", "11", "12"],
    "alternative": ["9", "10", "11", "12", "UG"],
}
RACES = [
    (RaceEthnicity.WHITE, 50),
    (RaceEthnicity.BLACK, 15),
    (RaceEthnicity.HISPANIC, 22),
    (RaceEthnicity.ASIAN, 6),
    (RaceEthnicity.TWO_OR_MORE, 5),
    (RaceEthnicity.AMERICAN_INDIAN, 1),
    (RaceEthnicity.PACIFIC_ISLANDER, 1),
]
PROGRAMS = {"idea": "idea", "504": "504", "el": "el"}


def generate(district, *, scale: float) -> str:
    rng = district.rng
    today = district.today
    year = school_year_of(today)
    year_start = datetime.date(year, 9, 1)
    schools = dict(School.objects.filter(pk__in=district.school_ids).values_list("pk", "district_id"))
    by_district: dict[int, list[int]] = {}
    for school, lea in schools.items():
        by_district.setdefault(lea, []).append(school)
    count = int(STUDENTS * scale)
    first = next_id(Student)
    first_enrolment = next_id(Enrollment)
    races, weights = zip(*RACES, strict=True)
    students, enrolments, statuses = [], [], []
    for i in range(count):
        pk = first + i
        school = district.school_ids[i % len(district.school_ids)]
        lea = schools[school]
        grade = rng.choice(GRADES[district.school_levels[school]])
        age = 5 if grade == "K" else 16 if grade == "UG" else 5 + int(grade)
        students.append(
            (
                pk,
                lea,
                f"bench-{pk}",
                f"{pk:07d}",
                rng.choice(FIRST_NAMES),
                rng.choice(LAST_NAMES),
                datetime.date(year - age, rng.randint(1, 12), rng.randint(1, 28)),
                grade,
                {str(year): grade},
                rng.choice([Sex.MALE, Sex.FEMALE, Sex.MALE, Sex.FEMALE, Sex.NONBINARY]),
                rng.choices(races, weights)[0],
            )
        )
        others = [s for s in by_district[lea] if s != school]
        if others and rng.random() < 0.1:
            moved = year_start + datetime.timedelta(days=rng.randint(30, 120))
            if moved < today:
                enrolments.append((pk, rng.choice(others), year_start, moved - datetime.timedelta(days=1)))
                enrolments.append((pk, school, moved, None))
                continue
        enrolments.append((pk, school, year_start, None))
        for program, share in PROGRAM_SHARES:
            if rng.random() < share:
                start = datetime.date(year - rng.randint(0, 3), rng.randint(1, 12), 1)
                statuses.append((pk, PROGRAMS[program], start, None))
    insert_rows(
        Student,
        [
            "id",
            "district_id",
            "sourced_id",
            "local_id",
            "first_name",
            "last_name",
            "date_of_birth",
            "grade",
            "grades",
            "sex",
            "race_ethnicity",
        ],
        students,
    )
    insert_rows(
        Enrollment,
        ["id", "student_id", "school_id", "begin_date", "end_date"],
        ((first_enrolment + n, *row) for n, row in enumerate(enrolments)),
    )
    insert_rows(StudentStatus, ["student_id", "program", "start_date", "end_date"], statuses)
    return f"{len(students):,} students, {len(enrolments):,} enrolments, {len(statuses):,} program periods"
