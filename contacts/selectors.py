"""Reads: the equity report, the code-of-conduct share, the program evaluation, the figures
the CRDC comparison uses and a student's timeline. Each runs a fixed number of queries
whatever the number of students and contacts (contacts/tests/test_query_counts.py)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    Expression,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.utils import timezone

from core.queries import at_schools
from core.templatetags import dates
from incidents.models import SRO_LEVEL, Alert, AlertKind, Incident, IncidentCategory, IncidentPerson
from incidents.reports import school_year_bounds
from students.models import Enrollment, Program, RaceEthnicity, Sex, Student, StudentStatus, in_force

from .models import ARREST_KINDS, ContactKind, PoliceContact, PoliceContactQuerySet, ProgramChange
from .stats import DiD, RelativeRate, difference_in_differences, rate_per, relative_rate, suppressed_cells

if TYPE_CHECKING:
    from accounts.models import User
    from schools.models import School

PER_STUDENTS = 1000


def minimum_cell() -> int:
    return int(settings.EQUITY_MINIMUM_CELL)


# --- Referrals and arrests as the CRDC defines them, read from the contacts -------------------


def crdc_referral_q() -> Q:
    """CRDC: a referral is any report to law enforcement and every school-related arrest is one;
    an arrest not school-related counts only when its referral was recorded as well (the same
    rule as incidents.reports.crdc_law_enforcement, read through the contact's person).

    The person is looked up by its key for those arrests only: joined instead, PostgreSQL
    hashed all ~400,000 incident people for a school year's ~1,800 contacts (41 -> ~2 ms on
    the large district)."""
    referred = IncidentPerson.objects.filter(pk=OuterRef("person_id"), referred_to_law_enforcement=True)
    return Q(kind__in=[ContactKind.REFERRAL_LAW_ENFORCEMENT, ContactKind.ARREST_SCHOOL_RELATED]) | (
        Q(kind=ContactKind.ARREST_OTHER) & Q(Exists(referred))
    )


def law_enforcement_counts(
    *, schools: Iterable[School], start: datetime.datetime, end: datetime.datetime
) -> dict[int, dict[str, int]]:
    """Per school: contacts that are CRDC referrals and school-related arrests, and the
    distinct students of each. One query."""
    rows = (
        PoliceContact.objects.filter(school__in=list(schools), occurred_at__gte=start, occurred_at__lt=end)
        .filter(crdc_referral_q())
        .values_list("school_id", "kind", "student_id", "pk")
    )
    out: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"referral": 0, "arrest": 0, "referral_students": set(), "arrest_students": set()}
    )
    for school_id, kind, student_id, pk in rows:
        key = student_id if student_id is not None else f"contact-{pk}"
        out[school_id]["referral"] += 1
        out[school_id]["referral_students"].add(key)
        if kind == ContactKind.ARREST_SCHOOL_RELATED:
            out[school_id]["arrest"] += 1
            out[school_id]["arrest_students"].add(key)
    return {
        school_id: {
            "referral": v["referral"],
            "arrest": v["arrest"],
            "referral_students": len(v["referral_students"]),
            "arrest_students": len(v["arrest_students"]),
        }
        for school_id, v in out.items()
    }


# --- The equity report -------------------------------------------------------------------------

# (key, label, which contacts count)
MEASURES: list[tuple[str, str, Q]] = [
    ("any", "Any police contact", Q()),
    (
        "referral",
        "Referrals to law enforcement (arrests included, as the CRDC counts them)",
        crdc_referral_q(),
    ),
    ("arrest", "Arrests (school-related or not)", Q(kind__in=ARREST_KINDS)),
    *[(kind.value, str(kind.label), Q(kind=kind)) for kind in ContactKind],
]
MEASURE_LABELS = {key: label for key, label, _ in MEASURES}
NOT_RECORDED = ""

# (dimension, heading, [(group, label)])
DIMENSIONS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "race",
        "Race / ethnicity",
        [(r.value, str(r.label)) for r in RaceEthnicity] + [(NOT_RECORDED, "Not recorded")],
    ),
    ("sex", "Sex", [(s.value, str(s.label)) for s in Sex] + [(NOT_RECORDED, "Not recorded")]),
    ("idea", "Disability (IDEA)", [("yes", "Students with an IEP (IDEA)"), ("no", "Students without")]),
    ("s504", "Section 504 only", [("yes", "Section 504 only"), ("no", "All other students")]),
    ("el", "English learners", [("yes", "English learners"), ("no", "All other students")]),
]


@dataclass
class GroupRow:
    group: str
    label: str
    enrolled: int
    students: int
    rate: float | None
    relative: RelativeRate
    suppressed: bool = False


@dataclass
class EquityTable:
    dimension: str
    heading: str
    rows: list[GroupRow]
    total_enrolled: int
    total_students: int
    total_suppressed: bool
    sentence: str = ""


@dataclass
class EquityMeasure:
    key: str
    label: str
    contacts: int
    students: int
    enrolled: int
    off_roster: int
    tables: list[EquityTable] = field(default_factory=list)


@dataclass
class EquityReport:
    year: int
    roster_on: datetime.date
    minimum: int
    enrolled: int
    measures: list[EquityMeasure]


def default_roster_day(year: int, today: datetime.date) -> datetime.date:
    """October 1 of the school year (a fall count date, as enrolment counts use), or today if
    that is still to come."""
    return min(datetime.date(year, 10, 1), today)


# A student's programs on the roster day and whether they had a contact in the year, as bits
# of one number (`_roster_cells`); a contact is marked with a word that is no program (those
# have at most 4 characters).
_CONTACTED = "contact"
_BIT = {Program.IDEA: 1, Program.SECTION_504: 2, Program.ENGLISH_LEARNER: 4, _CONTACTED: 8}


def _roster_cells(
    *, schools: QuerySet[School] | None, roster_on: datetime.date, contacts: QuerySet[PoliceContact]
) -> list[tuple[dict[str, str], int, int | None]]:
    """The students enrolled at these schools on `roster_on`, grouped by sex, race and the
    programs in force that day: per group, each dimension's group, how many were enrolled, and
    the student if the group is one student with a contact in the year (each of them is a
    group of their own, so that each measure's students are counted from the contacts
    instead of looking every student of the roster up in the contacts of every measure: 12
    lookups a student for the published report). One grouped query (a few hundred rows,
    however many students).

    The programs and the contact are one number per student, read from the day's statuses
    and the year's contacts (~10,000 rows on the large district) and joined to the roster
    once, instead of four lookups of each student (three programs and the contacts): 33 ->
    25 ms for the large district's 40,000. The ORM cannot join a grouped subquery, so the
    query is written here around the ORM's own SQL of each part."""
    qn = connection.ops.quote_name
    enrolled, enrolled_params = (
        at_schools(Enrollment.objects.on(roster_on), schools)
        .order_by()
        .values("student_id")
        .query.sql_with_params()
    )
    marks = (
        StudentStatus.objects.on(roster_on)
        .order_by()
        .values("student_id", "program")
        .union(
            contacts.filter(student__isnull=False).order_by().values("student_id", program=Value(_CONTACTED)),
            all=True,
        )
    )
    marks_sql, marks_params = marks.query.sql_with_params()
    # Each bit once however many rows set it (a program can have overlapping periods, a
    # student several contacts).
    bits = " + ".join(
        f"MAX(CASE WHEN marks.{qn('program')} = %s THEN {bit} ELSE 0 END)" for bit in _BIT.values()
    )
    # Django's SQL of each part, our names and numbers.
    sql = (
        f"SELECT s.{qn('sex')}, s.{qn('race_ethnicity')}, f.flags,"  # noqa: S608
        f" CASE WHEN f.flags >= {_BIT[_CONTACTED]} THEN s.{qn('id')} END, COUNT(*)"
        f" FROM {qn(Student._meta.db_table)} s LEFT JOIN ("
        f"SELECT marks.{qn('student_id')} AS student_id, {bits} AS flags FROM ({marks_sql}) marks"
        f" GROUP BY marks.{qn('student_id')}) f ON f.student_id = s.{qn('id')}"
        f" WHERE s.{qn('id')} IN ({enrolled}) GROUP BY 1, 2, 3, 4"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*map(str, _BIT), *marks_params, *enrolled_params])
        rows = cursor.fetchall()
    cells = []
    for sex, race, flags, contacted, n in rows:
        flags = flags or 0
        idea = bool(flags & _BIT[Program.IDEA])
        groups = {
            "race": race or NOT_RECORDED,
            "sex": sex or NOT_RECORDED,
            "idea": "yes" if idea else "no",
            # CRDC: "Section 504 only" leaves out students who also have an IEP.
            "s504": "yes" if flags & _BIT[Program.SECTION_504] and not idea else "no",
            "el": "yes" if flags & _BIT[Program.ENGLISH_LEARNER] else "no",
        }
        cells.append((groups, n, contacted))
    return cells


def _counts(q: Q) -> Expression:
    """A contact's column saying whether `q` counts it."""
    return ExpressionWrapper(q, output_field=BooleanField()) if q else Value(True)


def equity_report(
    *,
    schools: QuerySet[School] | None,
    year: int,
    roster_on: datetime.date,
    measures: Iterable[str] | None = None,
    minimum: int | None = None,
) -> EquityReport:
    """Students with at least one contact of each measure in the school year, by group, over
    the students enrolled at these schools on `roster_on`, their groups read from their record
    and statuses on that day. Contacted students who were not on that roster are counted apart
    (`off_roster`) and left out of the rates, so every rate's students are among its enrolled.
    Two queries: the roster counted by group in the database, and the year's contacts (a few
    hundred), each with the measures it counts for. `schools`: None for every school (no
    semi-join of the year's rows with all of them: core.queries.at_schools)."""
    minimum = minimum_cell() if minimum is None else minimum
    start, end = school_year_bounds(year)
    wanted = [m for m in MEASURES if measures is None or m[0] in measures]
    contacts = at_schools(PoliceContact.objects.filter(occurred_at__gte=start, occurred_at__lt=end), schools)
    cells = _roster_cells(schools=schools, roster_on=roster_on, contacts=contacts)
    groups_of = {student: groups for groups, _, student in cells if student is not None}
    counted: dict[str, int] = defaultdict(int)
    students: dict[str, set[int]] = defaultdict(set)
    unidentified: set[str] = set()
    # Per measure, the groups of each student on the roster with such a contact.
    contacted: dict[str, dict[int, dict[str, str]]] = defaultdict(dict)
    rows = (
        contacts.order_by()
        .annotate(**{f"m_{key}": _counts(q) for key, _, q in wanted})
        .values("student_id", *[f"m_{key}" for key, _, _ in wanted])
    )
    for row in rows:
        student = row["student_id"]
        for key, _, _ in wanted:
            if not row[f"m_{key}"]:
                continue
            counted[key] += 1
            if student is None:
                unidentified.add(key)
                continue
            students[key].add(student)
            if student in groups_of:
                contacted[key][student] = groups_of[student]
    enrolled = sum(n for _, n, _ in cells)
    # Each dimension's group sizes, the same for every measure.
    sizes: dict[str, dict[str, int]] = {dimension: defaultdict(int) for dimension, _, _ in DIMENSIONS}
    for groups, n, _ in cells:
        for dimension, group in groups.items():
            sizes[dimension][group] += n
    result = []
    for key, label, _ in wanted:
        on_roster = len(contacted[key])
        measure = EquityMeasure(
            key=key,
            label=label,
            contacts=counted[key],
            students=on_roster,
            enrolled=enrolled,
            off_roster=len(students[key]) - on_roster + (1 if key in unidentified else 0),
        )
        for dimension, heading, options in DIMENSIONS:
            counts: dict[str, int] = defaultdict(int)
            for groups in contacted[key].values():
                counts[groups[dimension]] += 1
            measure.tables.append(
                _table(
                    dimension,
                    heading,
                    options,
                    sizes[dimension],
                    counts,
                    enrolled,
                    on_roster,
                    minimum,
                    label,
                    year,
                )
            )
        result.append(measure)
    return EquityReport(year=year, roster_on=roster_on, minimum=minimum, enrolled=enrolled, measures=result)


def _table(
    dimension: str,
    heading: str,
    options: list[tuple[str, str]],
    sizes: dict[str, int],
    counts: dict[str, int],
    total_n: int,
    total_a: int,
    minimum: int,
    measure_label: str,
    year: int,
) -> EquityTable:
    # A "not recorded" group with nobody in it is no row at all.
    options = [(k, lbl) for k, lbl in options if k != NOT_RECORDED or sizes.get(k)]
    hidden = suppressed_cells(
        {k: counts.get(k, 0) for k, _ in options}, sizes=sizes, total=total_a, minimum=minimum
    )
    rows = []
    for group, group_label in options:
        n1, a = sizes.get(group, 0), counts.get(group, 0)
        rows.append(
            GroupRow(
                group=group,
                label=group_label,
                enrolled=n1,
                students=a,
                rate=rate_per(a, n1, PER_STUDENTS),
                relative=relative_rate(
                    group_count=a, group_size=n1, other_count=total_a - a, other_size=total_n - n1
                ),
                suppressed=group in hidden,
            )
        )
    table = EquityTable(
        dimension=dimension,
        heading=heading,
        rows=rows,
        total_enrolled=total_n,
        total_students=total_a,
        total_suppressed=0 < total_a < minimum,
    )
    table.sentence = sentence(table, measure_label, year, published=False)
    return table


def _fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def sentence(table: EquityTable, measure_label: str, year: int, *, published: bool) -> str:
    """The plain-language sentence opening a table; `published` reads suppressed figures only."""
    what = measure_label[0].lower() + measure_label[1:]
    period = f"{year}–{(year + 1) % 100:02d}"
    if table.total_enrolled == 0:
        return f"No students were on the roster for {period}, so there is nothing to compare."
    if published and table.total_suppressed:
        overall = (
            f"In {period}, fewer than {minimum_cell()} of the {table.total_enrolled:,} enrolled students had "
            f"a contact of this kind ({what}); figures this small are not published."
        )
        return overall
    rate = rate_per(table.total_students, table.total_enrolled, PER_STUDENTS)
    overall = (
        f"In {period}, {table.total_students:,} of {table.total_enrolled:,} enrolled students "
        f"({_fmt(rate)} per 1,000) had at least one contact of this kind: {what}."
    )
    shown = [r for r in table.rows if not (published and r.suppressed) and r.relative.index is not None]
    notable = [r for r in shown if r.relative.significant and (r.relative.index or 0) > 1]
    if notable:
        top = max(notable, key=lambda r: r.relative.index or 0)
        return (
            f"{overall} {top.label} students' rate was {_fmt(top.relative.index, 2)} times that of all "
            f"other students (95% confidence interval {_fmt(top.relative.low, 2)} to "
            f"{_fmt(top.relative.high, 2)}): more than chance alone would explain."
        )
    return f"{overall} No group's rate differs from the other students' by more than chance could explain."


# --- Code-of-conduct share ---------------------------------------------------------------------


@dataclass
class ShareRow:
    label: str
    total: int
    conduct: int
    no_incident: int = 0

    @property
    def share(self) -> float | None:
        return 100 * self.conduct / self.total if self.total else None


def _school_year(first: int, last: int) -> Case:
    """The school year (incidents.reports.school_year_bounds) an `occurred_at` falls in, to
    count several years in one pass."""
    return Case(
        *[When(occurred_at__lt=school_year_bounds(y)[1], then=Value(y)) for y in range(first, last + 1)],
        output_field=IntegerField(),
    )


def _summed(
    rows: Iterable[dict[str, Any]], key: str, year: int, fields: tuple[str, ...]
) -> list[dict[str, Any]]:
    """Rows grouped by school year and more, added up by `key` over the one year."""
    out: dict[Any, dict[str, Any]] = {}
    for r in rows:
        if r["school_year"] == year:
            row = out.setdefault(r[key], {key: r[key], **{f: 0 for f in fields}})
            for f in fields:
                row[f] += r[f]
    return list(out.values())


def conduct_share(
    *, schools: QuerySet[School] | None, year: int, years: int = 5, by_officer: bool = True
) -> dict[str, Any]:
    """How many contacts (those with an incident) and SRO involvements (incidents at the SRO
    levels) were code-of-conduct matters, which the agreement leaves to the school: by school and
    officer for the year, and by school year for the trend. The contacts of all the years in
    one query grouped by school year, school and officer; the involvements likewise grouped by
    school year and school; the officers' alerts of the year; the school and officer names:
    5 queries. `schools`: None for every school, as for equity_report. Without `by_officer`
    (the published report names no officer) the officers' alerts and names are not read: 3
    queries."""
    from officers.models import Officer
    from schools.models import School

    first = year - years + 1
    since, _ = school_year_bounds(first)
    start, end = school_year_bounds(year)
    # Each contact's incident is looked up by its key (a few thousand index probes): joined
    # instead, PostgreSQL hashes the whole incident table (8,400 pages, ~60-90 ms).
    conduct = Q(incident_category__in=IncidentCategory.objects.filter(is_code_of_conduct=True).values("pk"))
    school_names = dict((School.objects.all() if schools is None else schools).values_list("pk", "name"))

    def by(rows: Iterable[dict[str, Any]], key: str, names: dict[Any, str]) -> list[ShareRow]:
        out = [
            ShareRow(
                label=names.get(r[key], "No officer recorded"),
                total=r["total"],
                conduct=r["conduct"],
                no_incident=r.get("no_incident", 0),
            )
            for r in rows
        ]
        return sorted(out, key=lambda r: r.label)

    contact_rows = list(
        at_schools(PoliceContact.objects.filter(occurred_at__gte=since, occurred_at__lt=end), schools)
        .annotate(
            school_year=_school_year(first, year),
            incident_category=Subquery(
                Incident.objects.filter(pk=OuterRef("incident_id")).order_by().values("category_id")
            ),
        )
        .values("school_year", "school_id", "officer_id")
        .annotate(
            total=Count("pk", filter=Q(incident__isnull=False)),
            conduct=Count("pk", filter=conduct),
            no_incident=Count("pk", filter=Q(incident__isnull=True)),
        )
        .order_by()
    )
    # The five years in one query, from the partial index of SRO-level incidents alone
    # (`incident_sro_when`, ~310 buffers; 5 queries of 1-4 ms -> one of ~9 ms). Before that
    # index, one range over the five years was planned as a bitmap scan of every heap page.
    involvement_rows = list(
        at_schools(
            Incident.objects.filter(level__gte=SRO_LEVEL, occurred_at__gte=since, occurred_at__lt=end),
            schools,
        )
        .annotate(school_year=_school_year(first, year))
        .values("school_year", "school_id")
        .annotate(total=Count("pk"), conduct=Count("pk", filter=Q(category__is_code_of_conduct=True)))
        .order_by()
    )
    stats = ("total", "conduct", "no_incident")

    def year_share(rows: list[dict[str, Any]], y: int, label: str) -> ShareRow:
        of_year = [r for r in rows if r["school_year"] == y]
        return ShareRow(
            label=label, total=sum(r["total"] for r in of_year), conduct=sum(r["conduct"] for r in of_year)
        )

    trend = [
        {
            "year": y,
            "label": f"{y}–{(y + 1) % 100:02d}",
            "contacts": year_share(contact_rows, y, "contacts"),
            "involvements": year_share(involvement_rows, y, "involvements"),
        }
        for y in range(first, year + 1)
    ]
    share: dict[str, Any] = {
        "contacts_by_school": by(_summed(contact_rows, "school_id", year, stats), "school_id", school_names),
        "involvements_by_school": by(
            _summed(involvement_rows, "school_id", year, ("total", "conduct")), "school_id", school_names
        ),
        "trend": trend,
    }
    if not by_officer:
        return share
    # Joined to the year's incidents directly: as a subquery of them, each alert's incident
    # was looked up a second time for its category.
    alert_rows = list(
        at_schools(
            Alert.objects.filter(
                kind=AlertKind.OFFICER,
                incident__level__gte=SRO_LEVEL,
                incident__occurred_at__gte=start,
                incident__occurred_at__lt=end,
            ),
            schools,
            through="incident__school",
        )
        .values("officer_id")
        .annotate(
            total=Count("incident", distinct=True),
            conduct=Count("incident", distinct=True, filter=Q(incident__category__is_code_of_conduct=True)),
        )
        .order_by()
    )
    officer_rows = _summed(contact_rows, "officer_id", year, stats)
    officer_ids = {r["officer_id"] for r in officer_rows + alert_rows if r["officer_id"]}
    officer_names = {o.pk: o.full_name for o in Officer.objects.filter(pk__in=officer_ids)}
    share["contacts_by_officer"] = by(officer_rows, "officer_id", officer_names)
    share["involvements_by_officer"] = by(alert_rows, "officer_id", officer_names)
    return share


# --- Program evaluation --------------------------------------------------------------------------

# Incident groups of the evaluation, by our category codes (incidents/defaults.py); a category
# may be in more than one group (a fight is violent and a code-of-conduct matter) and every
# incident is in "all".
GROUPS: list[tuple[str, str]] = [
    ("violent", "Violent incidents"),
    ("weapons", "Weapons"),
    ("threats", "Threats"),
    ("drugs", "Drugs and alcohol"),
    ("conduct", "Code-of-conduct matters"),
    ("all", "All incidents"),
]
GROUP_CODES = {
    "violent": ["homicide", "sexual_offense", "forcible_sex_offense", "assault_injury", "fight"],
    "weapons": ["weapons", "weapon_security_check"],
    "threats": ["bomb_threat", "other_threat"],
    "drugs": ["drugs", "alcohol"],
}


def evaluation_groups(code: str | None, conduct: bool | None) -> list[str]:
    """The evaluation groups an incident of this category (code, code-of-conduct flag) is in."""
    keys = [key for key, codes in GROUP_CODES.items() if code in codes]
    return [*keys, "conduct", "all"] if conduct else [*keys, "all"]


@dataclass
class Period:
    start: datetime.date
    end: datetime.date  # exclusive

    @property
    def label(self) -> str:
        return f"{self.start:%b %-d, %Y} – {self.end - datetime.timedelta(days=1):%b %-d, %Y}"


@dataclass
class Evaluation:
    change: ProgramChange
    before: Period
    after: Period
    treated: list[str]
    comparison: list[str]
    enrolled: dict[str, int]  # "treated_before", ...
    enrolment_source: str
    rows: list[tuple[str, str, DiD, dict[str, int]]]
    category_names: dict[str, list[str]]  # of each group but "all", for the page's explanation


def evaluation_periods(change: ProgramChange, today: datetime.date, days: int = 365) -> tuple[Period, Period]:
    """After: from the change to a year later or today. Before: the same days of the school
    year one year earlier, so both periods hold the same weeks (seasonality)."""
    after_end = min(change.effective_on + datetime.timedelta(days=days), today + datetime.timedelta(days=1))
    after_end = max(after_end, change.effective_on + datetime.timedelta(days=1))
    before = Period(_year_earlier(change.effective_on), _year_earlier(after_end))
    return before, Period(change.effective_on, after_end)


def _year_earlier(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def program_evaluation(change: ProgramChange, *, today: datetime.date) -> Evaluation:
    """Incident rates per 100 students before and after the change at its schools and at the
    district's other schools, and the difference in differences. Five queries."""
    from schools.models import School

    before, after = evaluation_periods(change, today)
    groups_of, category_names = _category_groups()
    # The district's schools and the change's (each with its name and recorded enrolment) in
    # one query, not three.
    in_change = change.schools.through.objects.filter(programchange_id=change.pk, school_id=OuterRef("pk"))
    schools = (
        School.objects.filter(Q(district_id=change.district_id) | Q(Exists(in_change)))
        .annotate(treated=Exists(in_change))
        .values_list("pk", "name", "enrollment", "district_id", "treated")
    )
    treated_ids, district_schools, recorded = set(), {}, {}
    for pk, name, enrollment, district_id, treated in schools:
        recorded[pk] = enrollment
        if treated:
            treated_ids.add(pk)
        if district_id == change.district_id:
            district_schools[pk] = name
    comparison_ids = set(district_schools) - treated_ids
    tz = timezone.get_current_timezone()

    def moment(day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)

    counts: dict[bool, dict[str, int]] = {True: defaultdict(int), False: defaultdict(int)}

    # Counted by category in the database (a few dozen rows a period), then added up by
    # group: one count an incident instead of twelve filtered counts. By category_id, from the
    # covering index alone: joined to the categories for their codes, each period's ~8,000
    # incidents were hashed once more and grouped by text (3.4 -> 2.3 ms a period on the large
    # district); the codes come from the categories read once above. Each period's incidents
    # are read on their own: the days between the two periods (up to a year of the district's
    # incidents) are not read. One query a period, not their UNION ALL: PostgreSQL runs a
    # union of two such counts in parallel workers, whose start-up took longer than the
    # counts (README, Every page).
    for name, period in (("before", before), ("after", after)):
        by_category = (
            Incident.objects.filter(
                school_id__in=district_schools,
                occurred_at__gte=moment(period.start),
                occurred_at__lt=moment(period.end),
            )
            .annotate(
                treated=Case(
                    When(school_id__in=treated_ids or [0], then=True),
                    default=False,
                    output_field=BooleanField(),
                )
            )
            .values_list("treated", "category_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for treated, category_id, n in by_category:
            for key in groups_of[category_id]:
                counts[treated][f"{key}_{name}"] += n
    enrolled, source = _enrolment(treated_ids, comparison_ids, recorded, before.start, after.start)
    rows = []
    t, c = counts[True], counts[False]
    for key, label in GROUPS:
        figures = {
            "treated_before": t.get(f"{key}_before", 0),
            "treated_after": t.get(f"{key}_after", 0),
            "comparison_before": c.get(f"{key}_before", 0),
            "comparison_after": c.get(f"{key}_after", 0),
        }
        did = difference_in_differences(
            treated_before=(figures["treated_before"], enrolled["treated_before"]),
            treated_after=(figures["treated_after"], enrolled["treated_after"]),
            comparison_before=(figures["comparison_before"], enrolled["comparison_before"]),
            comparison_after=(figures["comparison_after"], enrolled["comparison_after"]),
        )
        rows.append((key, label, did, figures))
    return Evaluation(
        change=change,
        before=before,
        after=after,
        treated=sorted(district_schools[i] for i in treated_ids if i in district_schools),
        comparison=sorted(district_schools[i] for i in comparison_ids),
        enrolled=enrolled,
        enrolment_source=source,
        rows=rows,
        category_names=category_names,
    )


def _category_groups() -> tuple[dict[int, list[str]], dict[str, list[str]]]:
    """Each category's evaluation groups (by pk), and the category names of each group but
    "all" (the page's explanation), in the categories' order. One query."""
    groups_of: dict[int, list[str]] = {}
    names: dict[str, list[str]] = defaultdict(list)
    for pk, code, name, conduct in IncidentCategory.objects.values_list(
        "pk", "code", "name", "is_code_of_conduct"
    ):
        groups_of[pk] = evaluation_groups(code, conduct)
        for key in groups_of[pk][:-1]:  # every category is in "all", which the page names
            names[key].append(name)
    return groups_of, dict(names)


def _enrolment(
    treated: set[int],
    comparison: set[int],
    recorded: dict[int, int],
    before: datetime.date,
    after: datetime.date,
) -> tuple[dict[str, int], str]:
    """Students of each group's schools on each period's first day. A school counts its roster
    when the roster has students there on both days, else its recorded enrolment figure on both
    (one source per school, so a roster that begins between the periods cannot make a rate
    jump); the page says which. `recorded`: each school's recorded enrolment figure."""
    # Both days' rosters in one query: each school's students counted with a filter a day.
    days = {"before": before, "after": after}
    in_force_on = {period: in_force(day, "begin_date", "end_date") for period, day in days.items()}
    roster = {
        (row["school_id"], period): row[period]
        for row in Enrollment.objects.filter(school_id__in=treated | comparison)
        .filter(in_force_on["before"] | in_force_on["after"])
        .values("school_id")
        .annotate(
            **{period: Count("student_id", distinct=True, filter=on) for period, on in in_force_on.items()}
        )
        .order_by()
        for period in days
    }
    used_recorded = False
    out = {f"{group}_{period}": 0 for group in ("treated", "comparison") for period in ("before", "after")}
    for group, ids in (("treated", treated), ("comparison", comparison)):
        for pk in ids:
            from_roster = roster.get((pk, "before"), 0) and roster.get((pk, "after"), 0)
            used_recorded = used_recorded or not from_roster
            for period in ("before", "after"):
                out[f"{group}_{period}"] += roster[(pk, period)] if from_roster else recorded.get(pk, 0)
    source = (
        "each school's roster where it has students on both days, its recorded enrolment otherwise"
        if used_recorded
        else "the student roster on each period's first day"
    )
    return out, source


# --- A student's timeline ------------------------------------------------------------------------


def student_timeline(student: Student, user: User) -> list[dict[str, Any]]:
    """The student's incidents (with referrals and arrests), threat assessments and police
    contacts the user may see, in time order, each with its `record` (the view audits each
    one it shows). Three queries."""
    from incidents.models import ThreatAssessment

    items: list[dict[str, Any]] = []
    people = (
        IncidentPerson.objects.filter(student=student, incident__in=Incident.objects.visible_to(user))
        .select_related("incident__category", "incident__school")
        .order_by()
    )
    for person in people:
        incident = person.incident
        items.append(
            {
                "when": incident.occurred_at,
                "kind": "Incident",
                "title": f"{incident.category} at {incident.school} ({person.get_role_display().lower()})",
                "detail": _person_actions(person),
                "outcome": incident.outcome or incident.get_status_display(),
                "url": incident.get_absolute_url(),
                "record": incident,
            }
        )
    threats = (
        ThreatAssessment.objects.visible_to(user)
        .filter(
            Q(student_record=student)
            # Opened before the school had student records: by the local ID typed then.
            | Q(
                student_record__isnull=True,
                school__district_id=student.district_id,
                student__iexact=student.local_id,
            )
        )
        .select_related("school")
    )
    tz = timezone.get_current_timezone()
    for threat in threats:
        items.append(
            {
                "when": datetime.datetime.combine(threat.reported_on, datetime.time.min, tzinfo=tz),
                "kind": "Threat assessment",
                "title": f"{threat.get_classification_display()} at {threat.school}",
                "detail": threat.threat,
                "outcome": threat.get_status_display(),
                "url": threat.get_absolute_url(),
                "record": threat,
            }
        )
    contacts = PoliceContact.objects.visible_to(user).filter(student=student).select_related("school")
    for contact in contacts:
        items.append(
            {
                "when": contact.occurred_at,
                "kind": "Police contact",
                "title": f"{contact.get_kind_display()} at {contact.school}",
                "detail": contact.basis,
                "outcome": contact.outcome,
                "url": contact.get_absolute_url(),
                "flag": "No parent notification recorded" if contact.needs_parent_notice else "",
                "record": contact,
            }
        )
    return sorted(items, key=lambda item: item["when"])


def _person_actions(person: IncidentPerson) -> str:
    actions = []
    if person.referred_to_law_enforcement:
        actions.append("referred to law enforcement")
    if person.arrest:
        actions.append(person.get_arrest_display().lower())
    return "; ".join(actions).capitalize()


# --- The contact form's suggestions ----------------------------------------------------------


def recent_incidents(user: User, *, days: int = 90, limit: int = 25) -> list[tuple[int, str]]:
    """The latest incidents the user may see (at most `limit`, of the last `days`), as (number,
    label), for the contact form to suggest under its incident number. One query."""
    since = timezone.now() - datetime.timedelta(days=days)
    incidents = (
        Incident.objects.visible_to(user)
        .filter(occurred_at__gte=since)
        .order_by("-occurred_at", "-pk")
        .values_list("pk", "category__name", "school__name", "occurred_at")[:limit]
    )
    return [(pk, f"{category}, {school}, {dates.moment(when)}") for pk, category, school, when in incidents]


# --- Parent notification ----------------------------------------------------------------------


def parent_notice_due(contacts: PoliceContactQuerySet, limit: int = 10) -> tuple[int, list[PoliceContact]]:
    """Arrests and uses of force without a recorded parent notification: how many, and the
    latest few (what the tiles show of them: when, kind, school, student). One query: the
    count is a window over them all."""
    shown = ("occurred_at", "kind", "school__name", "student__local_id")
    latest: list[Any] = list(  # PoliceContact rows, each with `due`
        contacts.needing_parent_notice()
        .select_related("school", "student")
        .only(*shown)
        .annotate(due=Window(Count("pk")))[:limit]
    )
    return (latest[0].due if latest else 0), latest
