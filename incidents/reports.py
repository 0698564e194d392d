"""The two incident reports the state and federal governments ask for. Every report is a
function of a schools queryset (or list) and a school year, so a report for one district is
the same call with that district's schools.

CRDC (Civil Rights Data Collection), referrals to law enforcement and school-related arrests
(module ARRS), by the definitions quoted in the README:

- a referral is any report of a student by a school official (the SRO included) to a law
  enforcement agency, and every school-related arrest is also a referral;
- instances are referrals (arrests) of students in grades K-12 or ungraded, in the regular
  school year (summer school excluded), one per student per incident;
- students are counted once per school per measure, split into students without disabilities
  (which includes Section 504 only) and students with disabilities (IDEA), each by race x sex;
- a cell is 0 where the district declares it collects the data (`CrdcCollection`) and blank
  where it does not, never inferred from a school's own incidents.

New York SSEC summary: see `ssec_summary`."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum, Value
from django.utils import timezone

from schools.models import School
from students.models import CRDC_GRADES, RaceEthnicity, Sex

from .models import (
    CRDC_REFERRED,
    Arrest,
    CrdcCollection,
    Incident,
    IncidentPerson,
    Location,
    PersonKind,
)

SEXES = [Sex.MALE, Sex.FEMALE, Sex.NONBINARY]
RACES = list(RaceEthnicity)
MEASURES = [("referral", "Referrals to law enforcement"), ("arrest", "School-related arrests")]
# Instances are split three ways (disjoint groups), as CRDC ARRS-1 and ARRS-4 lay them out.
INSTANCE_GROUPS = [
    ("none", "Students without disabilities"),
    ("idea", "Students with disabilities (IDEA)"),
    ("s504", "Students with disabilities (Section 504 only)"),
]
# Student counts: two tables per measure (ARRS-2/3 referrals, ARRS-5/6 arrests).
STUDENT_TABLES = [
    ("without", "Students without disabilities (includes Section 504 only)"),
    ("idea", "Students with disabilities (IDEA)"),
]


def _student_columns(table: str) -> list[tuple[str, str]]:
    columns = []
    for sex in SEXES:
        for race in RACES:
            columns.append((f"{race.value}_{sex.value}", f"{race.label}, {sex.label}"))
        columns.append((f"total_{sex.value}", f"Total {sex.label}"))
    for sex in SEXES:
        columns.append((f"el_{sex.value}", f"English learners, {sex.label}"))
    if table == "without":
        for sex in SEXES:
            columns.append((f"s504_{sex.value}", f"Section 504 only, {sex.label}"))
    return columns


STUDENT_COLUMNS = {table: _student_columns(table) for table, _ in STUDENT_TABLES}
INSTANCE_COLUMNS = list(INSTANCE_GROUPS)


def school_year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """Midnight of July 1 to midnight of the next July 1 in the district's time zone (an
    incident at 23:30 on June 30 belongs to the year ending that day)."""
    tz = timezone.get_current_timezone()
    return datetime.datetime(year, 7, 1, tzinfo=tz), datetime.datetime(year + 1, 7, 1, tzinfo=tz)


def is_local_id(value: str) -> bool:
    """A local ID has a digit; letters alone are initials, which cannot tell two students apart."""
    return any(c.isdigit() for c in value)


def _student_key(school_id: int, student_id: int | None, value: str, person_pk: int) -> tuple:
    if student_id is not None:
        # A student record: the same student in every incident, whatever was typed.
        return (school_id, "student", student_id)
    # Logged before student records existed (not linked yet): by what was typed.
    if is_local_id(value):
        return (school_id, "id", "".join(value.split()).upper())
    # Initials only: this person cannot be matched with any other row, so counts as one student.
    return (school_id, "person", person_pk)


def _summer_days(schools: list, year: int) -> dict[int, list[tuple[datetime.date, datetime.date]]]:
    from drills.models import SummerSession

    sessions = defaultdict(list)
    for school_id, first, last in SummerSession.objects.filter(
        school__in=schools, school_year__in=[year, year + 1]
    ).values_list("school_id", "start_date", "end_date"):
        sessions[school_id].append((first, last))
    return sessions


def _blank_cells(columns) -> dict:
    return {key: None for key, _ in columns}


def crdc_law_enforcement(*, schools: Iterable, year: int) -> dict:
    """The CRDC law-enforcement tables for a school year: one row per school and a district
    total (the sum of the schools' rows, as the CRDC's LEA totals are)."""
    schools = list(schools)
    declared = CrdcCollection.objects.by_district(year)
    start, end = school_year_bounds(year)
    summer = _summer_days(schools, year)
    rows = (
        IncidentPerson.objects.filter(
            # CRDC: students in grades K-12 or ungraded; pre-K, adult education, staff out.
            kind=PersonKind.STUDENT,
            grade__in=CRDC_GRADES,
            incident__school__in=schools,
            incident__occurred_at__gte=start,
            incident__occurred_at__lt=end,
        )
        .filter(CRDC_REFERRED)
        .order_by("incident__occurred_at", "pk")
        .values_list(
            "pk",
            "incident_id",
            "incident__school_id",
            "incident__occurred_at",
            "student_id",
            "local_id_or_initials",
            "sex",
            "race_ethnicity",
            "idea_disability",
            "section_504",
            "english_learner",
            "arrest",
        )
    )
    # measure -> school -> student key -> merged student; measure -> school -> instance keys
    students: dict[str, dict[int, dict[tuple, dict]]] = {m: defaultdict(dict) for m, _ in MEASURES}
    instances: dict[str, dict[int, dict[tuple, str]]] = {m: defaultdict(dict) for m, _ in MEASURES}
    for pk, incident_id, school_id, occurred_at, student_id, sid, sex, race, idea, s504, el, arrest in rows:
        day = timezone.localdate(occurred_at)
        # CRDC: "the entire regular school year, not including intersession or summer".
        if any(first <= day <= last for first, last in summer.get(school_id, ())):
            continue
        key = _student_key(school_id, student_id, sid, pk)
        group = "idea" if idea else "s504" if s504 else "none"  # CRDC: 504 only excludes IDEA
        measures = ["referral", "arrest"] if arrest == Arrest.SCHOOL_RELATED else ["referral"]
        for measure in measures:
            # CRDC instances: one per student per incident.
            instances[measure][school_id].setdefault((incident_id, key), group)
            merged = students[measure][school_id].setdefault(
                key, {"sex": "", "race": "", "idea": False, "s504": False, "el": False}
            )
            # Sex and race: the latest recorded; a status: held at any referral in the year.
            merged["sex"] = sex or merged["sex"]
            merged["race"] = race or merged["race"]
            merged["idea"] |= bool(idea)
            merged["s504"] |= bool(s504)
            merged["el"] |= bool(el)

    report_rows = []
    for school in schools:
        report_rows.append(
            {
                "school": school,
                "measures": {
                    m: _measure_cells(
                        students[m].get(school.pk, {}),
                        instances[m].get(school.pk, {}),
                        m,
                        # CRDC: 0 or blank by what the school's LEA collects.
                        declared.get(school.district_id),
                    )
                    for m, _ in MEASURES
                },
            }
        )
    return {
        "year": year,
        "declared": declared,
        "rows": report_rows,
        "total": {m: _sum_measure([r["measures"][m] for r in report_rows]) for m, _ in MEASURES},
    }


def _collected(declared: CrdcCollection | None, measure: str) -> bool:
    if declared is None:
        return False
    return declared.referrals if measure == "referral" else declared.arrests


def _measure_cells(students: dict, instances: dict, measure: str, declared) -> dict:
    """One school's cells for one measure: instances by group, students by table."""
    cells: dict[str, Any] = {
        "students": len(students),
        "instances": _blank_cells(INSTANCE_COLUMNS),
        "tables": {table: _blank_cells(STUDENT_COLUMNS[table]) for table, _ in STUDENT_TABLES},
        "unrecorded": 0,
    }
    if not _collected(declared, measure):
        cells["students"] = None
        return cells
    # CRDC: report 0 only where the LEA collects the data; blank where it does not.
    if declared.disability:
        counts = {group: 0 for group, _ in INSTANCE_GROUPS}
        for group in instances.values():
            counts[group] += 1
        cells["instances"] = counts
    for student in students.values():
        table = "idea" if student["idea"] else "without"
        if declared.race_sex and declared.disability:
            target = cells["tables"][table]
            if not student["sex"] or not student["race"]:
                cells["unrecorded"] += 1
                continue
            sex = student["sex"]
            target[f"{student['race']}_{sex}"] = (target[f"{student['race']}_{sex}"] or 0) + 1
            target[f"total_{sex}"] = (target[f"total_{sex}"] or 0) + 1
            if declared.english_learner and student["el"]:
                target[f"el_{sex}"] = (target[f"el_{sex}"] or 0) + 1
            if table == "without" and student["s504"]:
                target[f"s504_{sex}"] = (target[f"s504_{sex}"] or 0) + 1
    if declared.race_sex and declared.disability:
        for table, _ in STUDENT_TABLES:
            for key, _ in STUDENT_COLUMNS[table]:
                target = cells["tables"][table]
                if target[key] is None and (not key.startswith("el_") or declared.english_learner):
                    target[key] = 0
    return cells


def _add(a: int | None, b: int | None) -> int | None:
    if a is None and b is None:
        return None
    return (a or 0) + (b or 0)


def _sum_measure(parts: list[dict]) -> dict:
    total: dict[str, Any] = {
        "students": None,
        "instances": _blank_cells(INSTANCE_COLUMNS),
        "tables": {table: _blank_cells(STUDENT_COLUMNS[table]) for table, _ in STUDENT_TABLES},
        "unrecorded": 0,
    }
    for part in parts:
        total["students"] = _add(total["students"], part["students"])
        total["unrecorded"] += part["unrecorded"]
        for key in total["instances"]:
            total["instances"][key] = _add(total["instances"][key], part["instances"][key])
        for table in total["tables"]:
            for key in total["tables"][table]:
                total["tables"][table][key] = _add(total["tables"][table][key], part["tables"][table][key])
    return total


def crdc_columns() -> list[tuple[tuple[str, ...], str]]:
    """Every CSV column after the school: (path into a measure's cells, label)."""
    columns: list[tuple[tuple[str, ...], str]] = []
    for measure, measure_label in MEASURES:
        columns.append(((measure, "students"), f"{measure_label}: students (all)"))
        for key, label in INSTANCE_COLUMNS:
            columns.append(((measure, "instances", key), f"{measure_label}: instances, {label}"))
        for table, table_label in STUDENT_TABLES:
            for key, label in STUDENT_COLUMNS[table]:
                columns.append(((measure, "tables", table, key), f"{measure_label}: {table_label}: {label}"))
    return columns


def _cell(measures: dict, path: tuple):
    measure, *rest = path
    value = measures[measure]
    for step in rest:
        value = value[step]
    return value


def crdc_by_lea(*, schools: Iterable[School], year: int) -> list[dict[str, Any]]:
    """The CRDC is collected per LEA: a report (its schools and the LEA's total) for each
    district of `schools`, in the order the schools come (ordered by district, then name).
    One computation for every school, whatever the number of districts."""
    report = crdc_law_enforcement(schools=schools, year=year)
    by_district: dict[int | None, list[dict[str, Any]]] = {}
    for row in report["rows"]:
        by_district.setdefault(row["school"].district_id, []).append(row)
    return [
        {
            "district": rows[0]["school"].district,
            "report": {
                "year": year,
                "declared": report["declared"].get(rows[0]["school"].district_id),
                "rows": rows,
                "total": {m: _sum_measure([r["measures"][m] for r in rows]) for m, _ in MEASURES},
            },
        }
        for rows in by_district.values()
    ]


def crdc_csv_rows(leas: list[dict[str, Any]]):
    """The CRDC layout, per LEA: a row per school, then the LEA's total, each naming its LEA
    (district) and NCES LEA ID; blank = not collected."""
    columns = crdc_columns()
    yield ["LEA", "NCES LEA ID", "School", *(label for _, label in columns)]
    for lea in leas:
        district, report = lea["district"], lea["report"]
        for row in report["rows"]:
            yield [
                district.name,
                district.nces_id,
                row["school"].name,
                *("" if (v := _cell(row["measures"], p)) is None else v for p, _ in columns),
            ]
        yield [
            district.name,
            district.nces_id,
            "District total",
            *("" if (v := _cell(report["total"], p)) is None else v for p, _ in columns),
        ]


def crdc_tables(report: dict) -> list[dict]:
    """The page's tables, each with a row per school and the district total."""
    tables = []
    lines = [(r["school"].name, r["measures"]) for r in report["rows"]] + [
        ("District total", report["total"])
    ]
    for measure, measure_label in MEASURES:
        tables.append(
            {
                "title": f"{measure_label}: instances",
                "columns": [("students", "Students (all)"), *INSTANCE_COLUMNS],
                "rows": [
                    (
                        name,
                        [m[measure]["students"], *(m[measure]["instances"][k] for k, _ in INSTANCE_COLUMNS)],
                    )
                    for name, m in lines
                ],
            }
        )
        for table, table_label in STUDENT_TABLES:
            tables.append(
                {
                    "title": f"{measure_label}: {table_label}",
                    "columns": STUDENT_COLUMNS[table],
                    "rows": [
                        (name, [m[measure]["tables"][table][k] for k, _ in STUDENT_COLUMNS[table]])
                        for name, m in lines
                    ],
                }
            )
    return tables


SSEC_FIGURES = [
    ("incidents", "incidents"),
    ("weapon", "with a weapon involved"),
    ("offenders", "offenders"),
    ("victims", "victims"),
]


def ssec_summary(*, schools: Iterable, year: int) -> dict:
    """NY SSEC summary for a school year: per school and NYSED category (or subcategory), the
    number of incidents, of those with a weapon involved, of offenders and of victims, and an
    "All schools" total of each. Categories and the mapping of ours onto them are those in
    force in that school year, so a later change leaves it as reported."""
    from .models import SsecCategory, ssec_mappings_in

    schools = list(schools)
    # SSEC: "the current school year and summer months (July 1 through June 30), including
    # the summer school session" (unlike the CRDC, summer school is in).
    start, end = school_year_bounds(year)
    categories = list(SsecCategory.objects.in_year(year))
    mappings = ssec_mappings_in(year)
    in_window = {
        "school__in": schools,
        "category_id__in": list(mappings),
        "occurred_at__gte": start,
        "occurred_at__lt": end,
    }
    # SSEC: "Incidents ... that occur on school property or during a school-sponsored function
    # off grounds are reportable": not one off campus elsewhere (its location, in the index).
    not_reportable = Q(location=Location.OFF_CAMPUS)

    # Whether an incident goes to its category's second NYSED category (SsecMapping.ssec_for):
    # one flag for every split category, so a category with no split is one group a school
    # (grouped by its injury and its location too, the year came to ~1,080 groups, not ~710).
    split_rows = [q for m in mappings.values() if (q := m.split_rows()) is not None]
    split = Q(*split_rows, _connector=Q.OR) if split_rows else Value(False)

    # Counted per school, category and split in the database, in one query of a few hundred
    # rows (the year's ~16,000 incidents came to Python one by one), read from the covering
    # index on occurred_at alone.
    groups = (
        Incident.objects.filter(**in_window)
        .exclude(not_reportable)
        .values("school_id", "category_id", split=ExpressionWrapper(split, BooleanField()))
        .annotate(
            incidents=Count("pk"),
            weapon=Count("pk", filter=~Q(weapon_type="")),
            # SSEC counts offenders and targets/victims of each incident: its people by role,
            # which each incident keeps as they are saved (Incident.take_people).
            offenders=Sum("offenders"),
            victims=Sum("victims"),
        )
        .order_by()
    )
    keys = [key for key, _ in SSEC_FIGURES]  # SSEC's "weapon": incidents "with a weapon involved"
    # ~700 groups and 60 x 13 cells: as tuples and primary keys read once, not a dict a group
    # and a model's pk a lookup.
    cells: dict[tuple[int, int], dict[str, int]] = {}
    for school_id, category_id, split, *figures in groups.values_list(
        "school_id", "category_id", "split", *keys
    ):
        ssec = mappings[category_id].ssec_for(split=split)
        if ssec is None:
            continue  # a category mapped to "not reported" in that year
        cell = cells.setdefault((school_id, ssec.pk), dict.fromkeys(keys, 0))
        for key, n in zip(keys, figures, strict=True):
            cell[key] += n
    category_pks = [c.pk for c in categories]
    rows = []
    for school in schools:
        school_id = school.pk
        row_cells = [cells.get((school_id, pk)) or dict.fromkeys(keys, 0) for pk in category_pks]
        rows.append({"school": school, "cells": row_cells, "total": _sum_figures(row_cells)})
    totals = [_sum_figures([r["cells"][i] for r in rows]) for i in range(len(categories))]
    return {
        "year": year,
        "categories": categories,
        "rows": rows,
        "totals": totals,
        "total": _sum_figures(totals),
    }


def _sum_figures(cells: list[dict[str, int]]) -> dict[str, int]:
    return {key: sum(c[key] for c in cells) for key, _ in SSEC_FIGURES}


def ssec_csv_rows(summary: dict):
    header = ["School"]
    for c in summary["categories"]:
        header += [f"{c.code}. {c.name}: {label}" for _, label in SSEC_FIGURES]
    header += [f"Total: {label}" for _, label in SSEC_FIGURES]
    yield header
    lines = [(r["school"].name, r["cells"], r["total"]) for r in summary["rows"]]
    lines.append(("All schools", summary["totals"], summary["total"]))
    for name, row_cells, total in lines:
        yield [
            name,
            *(c[key] for c in row_cells for key, _ in SSEC_FIGURES),
            *(total[k] for k, _ in SSEC_FIGURES),
        ]
