"""The two incident reports the state and federal governments ask for.

CRDC (Civil Rights Data Collection) law-enforcement tables: referrals to law enforcement and
school-related arrests for a school year, counted as incidents and as students (each student
once), students split by sex × race/ethnicity, IDEA disability, Section 504 only and English
learner, grades K-12 only.

Blank versus zero: a split is blank when the school did not collect that attribute for any
K-12 student involved in its incidents that year (nothing is known, so nothing is reported);
it is 0 when the attribute was collected and no counted student has it.

New York SSEC summary: incidents by SSEC category and school for a school year."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import Count
from django.utils import timezone

from .models import K12_GRADES, Incident, IncidentCategory, IncidentPerson, PersonKind, RaceEthnicity, Sex

SEXES = [Sex.MALE, Sex.FEMALE, Sex.NONBINARY]
RACES = list(RaceEthnicity)
MEASURES = [("referred", "Referred to law enforcement"), ("arrested", "School-related arrest")]
FLAGS = ("idea", "s504", "el")


def _crdc_columns() -> list[tuple[str, str]]:
    columns = []
    for sex in SEXES:
        for race in RACES:
            columns.append((f"{race.value}_{sex.value}", f"{race.label}, {sex.label}"))
        columns.append((f"total_{sex.value}", f"Total {sex.label}"))
    for flag, label in [("idea", "IDEA"), ("s504", "Section 504 only"), ("el", "English learner")]:
        for sex in SEXES:
            columns.append((f"{flag}_{sex.value}", f"{label}, {sex.label}"))
    return columns


CRDC_COLUMNS = _crdc_columns()


def school_year_of(day: datetime.date) -> int:
    """The calendar year a school year (1 July – 30 June) starts in."""
    return day.year if day.month >= 7 else day.year - 1


def school_year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 7, 1, tzinfo=tz)
    return start, datetime.datetime(year + 1, 7, 1, tzinfo=tz)


def _student_key(value: str) -> str:
    return "".join(value.split()).upper()


def crdc_law_enforcement(*, schools: Iterable, year: int) -> list[dict]:
    """One table per school. Students are counted once each (by local ID or initials)."""
    schools = list(schools)
    start, end = school_year_bounds(year)
    in_year = {"occurred_at__gte": start, "occurred_at__lt": end, "school__in": schools}
    incident_counts = {
        row["school_id"]: row
        for row in Incident.objects.filter(**in_year)
        .values("school_id")
        .annotate(
            referred=Count("pk", filter=_q(referred_to_law_enforcement=True)),
            arrested=Count("pk", filter=_q(school_related_arrest=True)),
        )
    }
    people = (
        IncidentPerson.objects.filter(
            kind=PersonKind.STUDENT, grade__in=K12_GRADES, **{f"incident__{k}": v for k, v in in_year.items()}
        )
        .order_by("incident__occurred_at", "pk")
        .values_list(
            "incident__school_id",
            "local_id_or_initials",
            "sex",
            "race_ethnicity",
            "idea_disability",
            "section_504",
            "english_learner",
            "referred_to_law_enforcement",
            "school_related_arrest",
        )
    )
    # Merge each student's rows: a flag is set if any row sets it, an attribute is the
    # latest one recorded.
    students: dict[int, dict[str, dict]] = defaultdict(dict)
    for school_id, student_id, sex, race, idea, s504, el, referred, arrested in people:
        merged = students[school_id].setdefault(
            _student_key(student_id),
            {
                "referred": False,
                "arrested": False,
                "sex": "",
                "race": "",
                "idea": None,
                "s504": None,
                "el": None,
            },
        )
        merged["referred"] |= bool(referred)
        merged["arrested"] |= bool(arrested)
        if sex:
            merged["sex"] = sex
        if race:
            merged["race"] = race
        for key, value in (("idea", idea), ("s504", s504), ("el", el)):
            if value is not None:
                merged[key] = value
    tables = []
    for school in schools:
        population = list(students.get(school.pk, {}).values())
        collected = {
            "sex": any(s["sex"] for s in population),
            "race": any(s["race"] for s in population),
            "idea": any(s["idea"] is not None for s in population),
            "s504": any(s["s504"] is not None for s in population),
            "el": any(s["el"] is not None for s in population),
        }
        counts = incident_counts.get(school.pk, {})
        table = {
            "school": school,
            "population": len(population),
            "incidents": {m: counts.get(m, 0) for m, _ in MEASURES},
            "students": {},
        }
        for measure, _ in MEASURES:
            counted = [s for s in population if s[measure]]
            # One pass over the students per measure (not one per cell).
            by_sex = Counter(s["sex"] for s in counted)
            by_sex_race = Counter((s["sex"], s["race"]) for s in counted)
            by_sex_flag = Counter((s["sex"], flag) for s in counted for flag in FLAGS if s[flag])
            cells: dict[str, int | None] = {"total": len(counted)}
            for sex in SEXES:
                for race in RACES:
                    cells[f"{race.value}_{sex.value}"] = (
                        by_sex_race[sex, race] if collected["sex"] and collected["race"] else None
                    )
                cells[f"total_{sex.value}"] = by_sex[sex] if collected["sex"] else None
                for flag in FLAGS:
                    cells[f"{flag}_{sex.value}"] = (
                        by_sex_flag[sex, flag] if collected["sex"] and collected[flag] else None
                    )
            table["students"][measure] = cells
        table["rows"] = [
            (label, table["students"][m]["total"], [table["students"][m][key] for key, _ in CRDC_COLUMNS])
            for m, label in MEASURES
        ]
        tables.append(table)
    return tables


def _q(**kwargs):
    from django.db.models import Q

    return Q(**kwargs)


def crdc_csv_rows(tables: list[dict]):
    """Rows of the CRDC tables, each naming its LEA (district) and NCES LEA ID: the CRDC is
    collected per LEA, then per school."""
    yield [
        "LEA",
        "NCES LEA ID",
        "School",
        "Counted as",
        "Measure",
        "Total",
        *(label for _, label in CRDC_COLUMNS),
    ]
    for table in tables:
        lea = [table["school"].district.name, table["school"].district.nces_id]
        for measure, label in MEASURES:
            yield [
                *lea,
                table["school"].name,
                "Incidents",
                label,
                table["incidents"][measure],
                *([""] * len(CRDC_COLUMNS)),
            ]
        for measure, label in MEASURES:
            cells = table["students"][measure]
            yield [
                *lea,
                table["school"].name,
                "Students",
                label,
                cells["total"],
                *("" if cells[key] is None else cells[key] for key, _ in CRDC_COLUMNS),
            ]


def ssec_summary(*, schools: Iterable, year: int) -> dict:
    """Counts of incidents by SSEC category and school (one query), with totals."""
    schools = list(schools)
    start, end = school_year_bounds(year)
    categories = list(IncidentCategory.objects.filter(is_ssec=True))
    counts = {
        (row["school_id"], row["category_id"]): (row["n"], row["with_weapon"])
        for row in Incident.objects.filter(
            school__in=schools, category__in=categories, occurred_at__gte=start, occurred_at__lt=end
        )
        .values("school_id", "category_id")
        .annotate(n=Count("pk"), with_weapon=Count("pk", filter=~_q(weapon_type="")))
    }
    rows = []
    for school in schools:
        cells = [counts.get((school.pk, c.pk), (0, 0)) for c in categories]
        rows.append({"school": school, "cells": cells, "total": sum(n for n, _ in cells)})
    totals = [sum(r["cells"][i][0] for r in rows) for i in range(len(categories))]
    return {"year": year, "categories": categories, "rows": rows, "totals": totals, "total": sum(totals)}


def ssec_csv_rows(summary: dict):
    categories = summary["categories"]
    header = ["School"]
    for c in categories:
        header += [c.name, f"{c.name} (weapon involved)"]
    yield [*header, "Total"]
    for row in summary["rows"]:
        cells = []
        for n, with_weapon in row["cells"]:
            cells += [n, with_weapon]
        yield [row["school"].name, *cells, row["total"]]
    yield ["All schools", *[v for t in summary["totals"] for v in (t, "")], summary["total"]]
