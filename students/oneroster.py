"""Reading a OneRoster 1.1 or 1.2 CSV set (1EdTech's rostering exchange format) and the
supplemental CSV of IDEA / Section 504 / English-learner periods, which OneRoster does not
carry. Pure parsing and checking, no database: `students.services.import_roster` decides what
changes.

Files read (names as the specification gives them; a zip may hold them in one folder):

- `manifest.csv` (optional): `propertyName,value`; `oneroster.version` and `file.users`
  (`bulk`, `delta` or `absent`).
- `orgs.csv`: `sourcedId, name, type, identifier`; an org of type `school` is one of our
  schools through its `identifier` (`School.sis_identifier`).
- `users.csv`: 1.1 has `role` and `orgSourcedIds` in it; 1.2 moved both to `roles.csv`
  (`userSourcedId, roleType, role, orgSourcedId, beginDate, endDate`). Students only.
- `demographics.csv` (optional): `sourcedId` (the user's), `birthDate`, `sex`, the five race
  flags, `demographicRaceTwoOrMoreRaces`, `hispanicOrLatinoEthnicity`.
- `enrollments.csv` (optional): class enrolments; a student's rows at a school give that
  school's enrolment period (the earliest `beginDate`, the latest `endDate`).
- `sro_programs.csv` (optional, ours): SUPPLEMENTAL_COLUMNS.

Every problem is an Error (file, line, reason); the caller imports nothing when there is one.
"""

from __future__ import annotations

import csv
import datetime
import io
import posixpath
import zipfile
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO

from core.validators import CONTROL_CHARACTERS

from .models import Grade, Program, RaceEthnicity, Sex, race_roll_up

MANIFEST = "manifest.csv"
ORGS = "orgs.csv"
USERS = "users.csv"
ROLES = "roles.csv"
DEMOGRAPHICS = "demographics.csv"
ENROLLMENTS = "enrollments.csv"
SUPPLEMENTAL = "sro_programs.csv"

# The supplemental CSV (one row per program period; see the README):
# sourcedId: the student's users.csv sourcedId; program: idea | 504 | el; startDate, endDate:
# YYYY-MM-DD, empty for "before the records begin" / "still in the program"; stateId: the
# state student ID (optional; a row may carry only it, with program empty).
SUPPLEMENTAL_COLUMNS = ["sourcedId", "program", "startDate", "endDate", "stateId"]
# The OneRoster files the import reads (the manifest's entries for others are not checked).
READ = {ORGS, USERS, ROLES, DEMOGRAPHICS, ENROLLMENTS}
REQUIRED_COLUMNS = {
    MANIFEST: ["propertyName", "value"],
    ORGS: ["sourcedId", "type", "identifier"],
    USERS: ["sourcedId", "givenName", "familyName", "identifier"],
    ROLES: ["userSourcedId", "role", "orgSourcedId"],
    DEMOGRAPHICS: ["sourcedId", "birthDate", "sex"],
    ENROLLMENTS: ["userSourcedId", "schoolSourcedId", "role"],
    SUPPLEMENTAL: ["sourcedId", "program", "startDate", "endDate"],
}
# OneRoster 1.1 users.csv carries the role and the orgs; 1.2 moved them to roles.csv.
V11_USER_COLUMNS = ["role", "orgSourcedIds"]

# OneRoster grades are CEDS "Entry Grade Level" codes. TK (transitional kindergarten, the year
# before kindergarten) is pre-K here; 13 and PS (postsecondary) are adult education, outside K-12.
GRADES = {
    "IT": Grade.PRE_K,
    "PR": Grade.PRE_K,
    "PK": Grade.PRE_K,
    "TK": Grade.PRE_K,
    "KG": Grade.K,
    **{f"{n:02d}": str(n) for n in range(1, 13)},
    **{str(n): str(n) for n in range(1, 13)},
    "13": Grade.ADULT,
    "PS": Grade.ADULT,
    "UG": Grade.UNGRADED,
    "Other": "",
}
# OneRoster's sex vocabulary; "other" is the nonbinary value, "unspecified" is not recorded, as
# is an empty value (sex is optional in OneRoster's demographics).
SEXES = {"male": Sex.MALE, "female": Sex.FEMALE, "other": Sex.NONBINARY, "unspecified": "", "": ""}
RACE_COLUMNS = [
    ("americanIndianOrAlaskaNative", RaceEthnicity.AMERICAN_INDIAN),
    ("asian", RaceEthnicity.ASIAN),
    ("blackOrAfricanAmerican", RaceEthnicity.BLACK),
    ("nativeHawaiianOrOtherPacificIslander", RaceEthnicity.PACIFIC_ISLANDER),
    ("white", RaceEthnicity.WHITE),
]
PROGRAMS = {"idea": Program.IDEA, "504": Program.SECTION_504, "el": Program.ENGLISH_LEARNER}
STATUSES = {"", "active", "tobedeleted"}
LIMITS = {"sourcedId": 255, "identifier": 40, "givenName": 100, "familyName": 100, "middleName": 100}


@dataclass(frozen=True)
class Error:
    file: str
    line: int
    reason: str

    def as_dict(self) -> dict[str, str | int]:
        return {"file": self.file, "line": self.line, "reason": self.reason}


@dataclass(frozen=True)
class Period:
    """An enrolment at a school. `dated`: from enrollments.csv or roles.csv dates; otherwise
    "enrolled there now" (1.1 orgSourcedIds, or a role without dates)."""

    school_id: int
    begin: datetime.date | None = None
    end: datetime.date | None = None
    dated: bool = False


@dataclass
class Demographics:
    date_of_birth: datetime.date | None
    sex: str
    race_ethnicity: str


@dataclass
class StudentRow:
    sourced_id: str
    line: int
    local_id: str
    first_name: str
    middle_name: str
    last_name: str
    grade: str
    active: bool
    schools: list[int] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    demographics: Demographics | None = None
    # (program, start, end) when the supplemental CSV is in the set.
    programs: list[tuple[str, datetime.date | None, datetime.date | None]] | None = None
    state_id: str | None = None


@dataclass
class RosterSet:
    version: str = ""
    students: dict[str, StudentRow] = field(default_factory=dict)
    errors: list[Error] = field(default_factory=list)
    has_demographics: bool = False
    has_programs: bool = False
    # The files manifest.csv calls delta (changes only), e.g. {"users.csv"}.
    deltas: set[str] = field(default_factory=set)


class _Table:
    """One CSV file: rows as dicts with their line numbers, after the header was checked."""

    def __init__(self, name: str, data: bytes, errors: list[Error]) -> None:
        self.name = name
        self.errors = errors
        self.columns: list[str] = []
        self.ok = False
        try:
            self.text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.error(1, "not UTF-8 text: export the file as UTF-8 CSV")
            return
        self.reader = csv.reader(io.StringIO(self.text, newline=""))
        try:
            self.columns = [c.strip() for c in next(self.reader)]
        except StopIteration:
            self.error(1, "the file is empty (no header line)")
            return
        except csv.Error as exc:
            self.error(1, f"not a CSV file ({exc})")
            return
        missing = [c for c in REQUIRED_COLUMNS[name] if c not in self.columns]
        for column in missing:
            self.error(1, f"missing required column “{column}”")
        self.ok = not missing

    def error(self, line: int, reason: str) -> None:
        self.errors.append(Error(self.name, line, reason))

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        if not self.ok:
            return
        width = len(self.columns)
        try:
            while True:
                line = self.reader.line_num + 1  # where the record starts (a quoted value may span lines)
                values = next(self.reader, None)
                if values is None:
                    break
                if not any(v.strip() for v in values):
                    continue  # a blank line
                if len(values) != width:
                    self.error(line, f"{len(values)} values where the header has {width} columns")
                    continue
                yield line, {c: v.strip() for c, v in zip(self.columns, values, strict=True)}
        except csv.Error as exc:
            self.error(self.reader.line_num, f"unreadable CSV ({exc})")

    def has(self, column: str) -> bool:
        return column in self.columns


def read_zip(stream: IO[bytes]) -> dict[str, bytes]:
    """The CSV files of an uploaded zip (already checked by core.uploads), by base name."""
    files: dict[str, bytes] = {}
    with zipfile.ZipFile(stream) as archive:
        for entry in archive.infolist():
            if entry.is_dir():
                continue
            files[posixpath.basename(entry.filename)] = archive.read(entry)
    return files


def read_set(files: Mapping[str, bytes], *, schools: Mapping[str, int]) -> RosterSet:
    """Parse and check a OneRoster set. `files`: file name -> content; `schools`: our schools'
    SIS identifiers -> school id (the district's)."""
    result = RosterSet()
    errors = result.errors
    # Other OneRoster files (classes, courses, academicSessions...) are not needed here.
    named = {name.lower(): name for name in files}

    def table(name: str) -> _Table | None:
        original = named.get(name.lower())
        return None if original is None else _Table(name, files[original], errors)

    for required in (ORGS, USERS):
        if required.lower() not in named:
            errors.append(Error(required, 0, "the set has no such file; it is required"))
    if errors:
        return result

    manifest_version = _read_manifest(table(MANIFEST), result, present=set(named))
    orgs = _read_orgs(table(ORGS), schools)
    users = table(USERS)
    assert users is not None
    if users.ok:
        result.version = "1.1" if users.has("role") else "1.2"
        if manifest_version and manifest_version != result.version:
            users.error(
                1,
                f"manifest.csv says OneRoster {manifest_version} but users.csv has "
                f"{result.version}'s columns" + (" (role, orgSourcedIds)" if result.version == "1.1" else ""),
            )
        if result.version == "1.1":
            for column in V11_USER_COLUMNS:
                if not users.has(column):
                    users.error(1, f"missing required column “{column}”")
    roles = table(ROLES)
    if result.version == "1.2" and roles is None:
        errors.append(Error(ROLES, 0, "a OneRoster 1.2 set (users.csv without “role”) needs roles.csv"))
    student_roles, former = (
        _read_roles(roles, orgs) if result.version == "1.2" and roles is not None else ({}, set())
    )
    if users.ok and not any(e.file == USERS and e.line == 1 for e in errors):
        _read_users(users, orgs, student_roles, former, result)
    periods = table(ENROLLMENTS)
    if periods is not None:
        _read_enrollments(periods, orgs, result)
    demographics = table(DEMOGRAPHICS)
    if demographics is not None:
        result.has_demographics = True
        _read_demographics(demographics, result)
    supplemental = table(SUPPLEMENTAL)
    if supplemental is not None:
        result.has_programs = True
        _read_programs(supplemental, result)
    errors.sort(key=lambda e: (e.file, e.line))
    return result


def _read_manifest(manifest: _Table | None, result: RosterSet, *, present: set[str]) -> str:
    """The manifest's version; its deltas go on `result`. `present`: the set's file names, in
    lower case. The manifest says which files belong to this export: one of the files read
    here that it calls absent but is in the set (left from an earlier export in the same
    folder), or that it lists but is missing, is an error, not something to guess about."""
    if manifest is None:
        return ""
    version = ""
    for line, row in manifest.rows():
        name, value = row["propertyName"], row["value"]
        if name == "oneroster.version":
            if value not in ("1.1", "1.2"):
                manifest.error(line, f"OneRoster version “{value}” is not 1.1 or 1.2")
            version = value
        elif name.startswith("file."):
            if value not in ("bulk", "delta", "absent"):
                manifest.error(line, f"“{value}” is not bulk, delta or absent")
            file = f"{name.removeprefix('file.')}.csv"
            if value == "delta":
                result.deltas.add(file)
            if file not in READ:
                continue
            if value == "absent" and file.lower() in present:
                manifest.error(
                    line,
                    f"{file} is in the set but manifest.csv says it is absent: remove the file (left "
                    "from an earlier export?) or correct the manifest",
                )
            elif value in ("bulk", "delta") and file.lower() not in present:
                manifest.error(line, f"manifest.csv lists {file} ({value}) but the set does not have it")
    return version


@dataclass(frozen=True)
class _Org:
    line: int
    type: str
    identifier: str
    school_id: int | None


def _read_orgs(orgs: _Table | None, schools: Mapping[str, int]) -> dict[str, _Org]:
    found: dict[str, _Org] = {}
    if orgs is None:
        return found
    for line, row in orgs.rows():
        sourced_id = row["sourcedId"]
        if not sourced_id:
            orgs.error(line, "empty sourcedId")
            continue
        if sourced_id in found:
            orgs.error(line, f"duplicate sourcedId “{sourced_id}” (also on line {found[sourced_id].line})")
            continue
        found[sourced_id] = _Org(line, row["type"], row["identifier"], schools.get(row["identifier"]))
    return found


def _school_of(org_id: str, orgs: Mapping[str, _Org], report: _Table, line: int) -> int | None:
    """Our school of an org a student row names; None for an org that is not a school (a
    district, a department) or after reporting an unknown one."""
    org = orgs.get(org_id)
    if org is None:
        report.error(line, f"unknown org “{org_id}”: not in orgs.csv")
        return None
    if org.type != "school":
        return None
    if org.school_id is None:
        report.error(
            line,
            f"unknown school org “{org_id}” (identifier “{org.identifier}”): no school of this "
            "district has that SIS identifier",
        )
        return None
    return org.school_id


@dataclass
class _Role:
    line: int
    school_id: int
    primary: bool
    begin: datetime.date | None
    end: datetime.date | None


def _read_roles(roles: _Table, orgs: Mapping[str, _Org]) -> tuple[dict[str, list[_Role]], set[str]]:
    """The students' live roles at our schools, by user, and the users with a tobedeleted
    student role and no live one: students who left (a 1.2 SIS marks a leaver's roles
    tobedeleted with their user row), marked inactive rather than passed over."""
    found: dict[str, list[_Role]] = {}
    former: set[str] = set()
    for line, row in roles.rows():
        if row["role"] != "student":
            continue
        if row.get("status") == "tobedeleted":
            former.add(row["userSourcedId"])
            continue
        problems = len(roles.errors)
        school_id = _school_of(row["orgSourcedId"], orgs, roles, line)
        begin = _date(roles, line, row, "beginDate")
        end = _date(roles, line, row, "endDate")
        if begin and end and end < begin:
            roles.error(line, "endDate is before beginDate")
            continue
        if len(roles.errors) == problems and school_id is not None:
            found.setdefault(row["userSourcedId"], []).append(
                _Role(line, school_id, row.get("roleType") == "primary", begin, end)
            )
    return found, former - found.keys()


def _read_users(
    users: _Table,
    orgs: Mapping[str, _Org],
    student_roles: Mapping[str, list[_Role]],
    former: set[str],
    result: RosterSet,
) -> None:
    students = result.students
    sourced_ids: dict[str, int] = {}
    local_ids: dict[str, int] = {}
    for line, row in users.rows():
        sourced_id = row["sourcedId"]
        if result.version == "1.1":
            if row["role"] != "student":
                continue
        elif sourced_id not in student_roles and sourced_id not in former:
            continue
        problems = len(users.errors)
        for column, limit in LIMITS.items():
            value = row.get(column, "")
            if len(value) > limit:
                users.error(line, f"{column} is longer than {limit} characters")
            if CONTROL_CHARACTERS.search(value):
                users.error(line, f"{column} holds a line break or another control character")
        for column in ("sourcedId", "identifier", "givenName", "familyName"):
            if not row[column]:
                users.error(line, f"empty {column}")
        if sourced_id and sourced_id in sourced_ids:
            users.error(line, f"duplicate sourcedId “{sourced_id}” (also on line {sourced_ids[sourced_id]})")
        identifier = row["identifier"]
        if identifier and identifier in local_ids:
            users.error(line, f"duplicate identifier “{identifier}” (also on line {local_ids[identifier]})")
        sourced_ids.setdefault(sourced_id, line)
        local_ids.setdefault(identifier, line)
        status = row.get("status", "")
        if status not in STATUSES:
            users.error(line, f"status “{status}” is not active or tobedeleted")
        left = status == "tobedeleted" or sourced_id in former
        if row.get("dateLastModified"):
            _moment(users, line, row["dateLastModified"])
        grade = _grade(users, line, row.get("grades", ""))
        schools: list[int] = []
        periods: list[Period] = []
        if result.version == "1.1":
            for org_id in filter(None, (o.strip() for o in row["orgSourcedIds"].split(","))):
                school_id = _school_of(org_id, orgs, users, line)
                if school_id is not None and school_id not in schools:
                    schools.append(school_id)
        else:
            ordered = sorted(student_roles.get(sourced_id, []), key=lambda r: not r.primary)
            for role in ordered:
                if role.school_id not in schools:
                    schools.append(role.school_id)
                if role.begin or role.end:
                    periods.append(Period(role.school_id, role.begin, role.end, dated=True))
                else:
                    periods.append(Period(role.school_id))
        if not schools and not left and len(users.errors) == problems:
            users.error(line, "the student is at no school org")
        if len(users.errors) > problems or grade is None:
            continue
        students[sourced_id] = StudentRow(
            sourced_id=sourced_id,
            line=line,
            local_id=identifier,
            first_name=row["givenName"],
            middle_name=row.get("middleName", ""),
            last_name=row["familyName"],
            grade=grade,
            active=not left,
            schools=schools,
            periods=periods or [Period(school_id) for school_id in schools],
        )


def _read_enrollments(enrollments: _Table, orgs: Mapping[str, _Org], result: RosterSet) -> None:
    """A student's class enrolments at a school become one enrolment at it: from the earliest
    beginDate to the latest endDate (open when any row has none)."""
    spans: dict[str, dict[int, list[datetime.date | None]]] = defaultdict(dict)
    for line, row in enrollments.rows():
        if row["role"] != "student" or row.get("status") == "tobedeleted":
            continue
        user = row["userSourcedId"]
        problems = len(enrollments.errors)
        school_id = _school_of(row["schoolSourcedId"], orgs, enrollments, line)
        begin = _date(enrollments, line, row, "beginDate")
        end = _date(enrollments, line, row, "endDate")
        if user not in result.students:
            continue  # a student refused in users.csv was reported there
        if len(enrollments.errors) > problems or school_id is None:
            continue
        if begin and end and end < begin:
            enrollments.error(line, "endDate is before beginDate")
            continue
        span = spans[user].get(school_id)
        if span is None:
            spans[user][school_id] = [begin, end]
        else:
            span[0] = None if span[0] is None or begin is None else min(span[0], begin)
            span[1] = None if span[1] is None or end is None else max(span[1], end)
    for user, schools in spans.items():
        student = result.students[user]
        student.periods = [Period(school, begin, end, dated=True) for school, (begin, end) in schools.items()]


def _read_demographics(demographics: _Table, result: RosterSet) -> None:
    seen: dict[str, int] = {}
    for line, row in demographics.rows():
        sourced_id = row["sourcedId"]
        if sourced_id in seen:
            demographics.error(line, f"duplicate sourcedId “{sourced_id}” (also on line {seen[sourced_id]})")
            continue
        seen[sourced_id] = line
        problems = len(demographics.errors)
        birth = _date(demographics, line, row, "birthDate")
        sex = row["sex"].lower()  # in any case, as the race flags are
        if sex not in SEXES:
            demographics.error(line, f"sex “{row['sex']}” is not male, female, other or unspecified")
        races = []
        for column, race in RACE_COLUMNS:
            if _flag(demographics, line, row, column):
                races.append(race)
        if _flag(demographics, line, row, "demographicRaceTwoOrMoreRaces") and len(races) < 2:
            races.append(RaceEthnicity.TWO_OR_MORE)
        hispanic = _flag(demographics, line, row, "hispanicOrLatinoEthnicity")
        student = result.students.get(sourced_id)
        if student is None or len(demographics.errors) > problems:
            continue  # a teacher's row, or a student refused in users.csv
        student.demographics = Demographics(
            date_of_birth=birth,
            sex=SEXES[sex],
            race_ethnicity=race_roll_up(hispanic=hispanic, races=[str(r) for r in races]),
        )


def _read_programs(supplemental: _Table, result: RosterSet) -> None:
    # The file is the whole story for the current students; a student who left (tobedeleted)
    # is no longer in the SIS's program export, so without rows of their own they keep their
    # periods, which past years' reports read.
    for each in result.students.values():
        each.programs = [] if each.active else None
    seen: dict[tuple[str, str, datetime.date | None], int] = {}
    for line, row in supplemental.rows():
        sourced_id = row["sourcedId"]
        student = result.students.get(sourced_id)
        problems = len(supplemental.errors)
        if student is None:
            supplemental.error(line, f"sourcedId “{sourced_id}” is not a student of users.csv")
        program = row["program"]
        state_id = row.get("stateId", "")
        if program and program not in PROGRAMS:
            supplemental.error(line, f"program “{program}” is not idea, 504 or el")
        if not program and not state_id:
            supplemental.error(line, "neither a program nor a stateId")
        if len(state_id) > 40 or CONTROL_CHARACTERS.search(state_id):
            supplemental.error(line, "stateId is longer than 40 characters or holds control characters")
        start = _date(supplemental, line, row, "startDate")
        end = _date(supplemental, line, row, "endDate")
        if start and end and end < start:
            supplemental.error(line, "endDate is before startDate")
        if student is None or len(supplemental.errors) > problems:
            continue
        if state_id:
            if student.state_id not in (None, state_id):
                supplemental.error(line, f"a second stateId for “{sourced_id}”")
                continue
            student.state_id = state_id
        if not program:
            continue
        key = (sourced_id, program, start)
        if key in seen:
            supplemental.error(line, f"the same {program} period start as line {seen[key]}")
            continue
        seen[key] = line
        if student.programs is None:
            student.programs = []
        student.programs.append((PROGRAMS[program], start, end))


def _date(table: _Table, line: int, row: Mapping[str, str], column: str) -> datetime.date | None:
    """The column's date (YYYY-MM-DD); None when empty, or after reporting a bad one."""
    value = row.get(column, "")
    if not value:
        return None
    try:
        if len(value) != 10:
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        table.error(line, f"{column} “{value}” is not a date (YYYY-MM-DD)")
        return None


def _moment(table: _Table, line: int, value: str) -> None:
    try:
        datetime.datetime.fromisoformat(value)
    except ValueError:
        table.error(line, f"dateLastModified “{value}” is not an ISO 8601 date and time")


def _flag(table: _Table, line: int, row: Mapping[str, str], column: str) -> bool | None:
    value = row.get(column, "").lower()
    if value == "true":
        return True
    if value == "false":
        return False
    if value:
        table.error(line, f"{column} “{row[column]}” is not true or false")
    return None


def _grade(table: _Table, line: int, value: str) -> str | None:
    """Our grade from the first of the row's grades; None after reporting an unknown one."""
    codes = [g.strip() for g in value.split(",") if g.strip()]
    for code in codes:
        if code not in GRADES:
            table.error(line, f"unknown grade “{code}” (OneRoster uses CEDS codes: KG, 01-12, PK, UG...)")
            return None
    return str(GRADES[codes[0]]) if codes else ""
