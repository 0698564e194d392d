"""Student records and the people of incidents who are students.

An incident's person who is a student links to the student record; what the reports need of
them (grade, sex, race/ethnicity, date of birth, IDEA, Section 504, English learner) is copied
from the record *as it stood on the incident's date* by `sync_involvements`, the only writer of
those fields for linked people. The import calls it for every student it changes, so a
correction in the SIS reaches past reports' figures."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from auditlog.context import disable_auditlog
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from contacts.services import sync_person_contacts
from core import datacache

from . import oneroster
from .models import Enrollment, Program, RosterImport, Student, StudentStatus, school_year_of

if TYPE_CHECKING:
    from accounts.models import User
    from incidents.models import IncidentPerson
    from schools.models import District


def demographics_on(
    student: Student, day: datetime.date, statuses: Iterable[StudentStatus] | None = None
) -> dict[str, Any]:
    """What the reports read of a student on a day. `statuses`: the student's statuses when
    the caller has them already (no query)."""
    held = {
        s.program for s in (statuses if statuses is not None else student.statuses.all()) if s.covers(day)
    }
    return {
        "grade": student.grade_on(day),
        "sex": student.sex,
        "race_ethnicity": student.race_ethnicity,
        "date_of_birth": student.date_of_birth,
        "idea_disability": Program.IDEA in held,
        # CRDC: "Section 504 only" excludes students who also have an IEP under IDEA.
        "section_504": Program.SECTION_504 in held and Program.IDEA not in held,
        "english_learner": Program.ENGLISH_LEARNER in held,
    }


DEMOGRAPHIC_FIELDS = [
    "grade",
    "sex",
    "race_ethnicity",
    "date_of_birth",
    "idea_disability",
    "section_504",
    "english_learner",
]


def sync_involvements(student_ids: Iterable[int]) -> int:
    """Copy each linked person's demographics from their student's record on the incident's
    date. Returns the number of people updated. A fixed number of queries per 2,000 students."""
    from incidents.models import IncidentPerson

    ids = list(student_ids)
    updated = 0
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        students = {s.pk: s for s in Student.objects.filter(pk__in=chunk)}
        statuses: dict[int, list[StudentStatus]] = defaultdict(list)
        for status in StudentStatus.objects.filter(student_id__in=chunk):
            statuses[status.student_id].append(status)
        changed = []
        for person in IncidentPerson.objects.filter(student_id__in=chunk).select_related("incident"):
            assert person.student_id is not None
            day = timezone.localdate(person.incident.occurred_at)
            values = demographics_on(students[person.student_id], day, statuses[person.student_id])
            if any(getattr(person, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(person, field, value)
                changed.append(person)
        if changed:
            IncidentPerson.objects.bulk_update(changed, DEMOGRAPHIC_FIELDS, batch_size=500)
            updated += len(changed)
    if updated:
        # Bulk updates send no signals: the cached reports must see the new figures.
        datacache.bump("incidents")
    return updated


def link_person(*, person: IncidentPerson, student: Student, by: User) -> None:
    """Link a person logged before student records existed (or logged unidentified) to the
    student record: from then on the reports count them as that student."""
    with transaction.atomic():
        person.student = student
        person.unidentified_reason = ""
        person.save(update_fields=["student", "unidentified_reason"])
        sync_involvements([student.pk])
        sync_person_contacts([person.pk])


def link_suggested(*, people: QuerySet[IncidentPerson], by: User) -> int:
    """Link every one of `people` (from students.selectors.unlinked_people) whose typed ID is
    exactly a student's local ID in the incident's district; each link is saved (and so
    audited) on its own. Returns how many were linked."""
    annotated = people.values_list("pk", "suggested_id")  # type: ignore[misc]  # unlinked_people's
    suggested = {pk: sid for pk, sid in annotated if sid is not None}
    with transaction.atomic():
        for person in people.model.objects.filter(pk__in=suggested).select_for_update():
            person.student_id = suggested[person.pk]
            person.save(update_fields=["student"])
        sync_involvements(set(suggested.values()))
        sync_person_contacts(suggested)
    return len(suggested)


# Rows per INSERT / UPDATE: a fixed number of queries per this many students.
BATCH = 1000
# Errors kept on the RosterImport record (all are counted).
ERRORS_KEPT = 1000
STUDENT_FIELDS = [
    "local_id",
    "first_name",
    "middle_name",
    "last_name",
    "grade",
    "grades",
    "active",
    "date_of_birth",
    "sex",
    "race_ethnicity",
    "state_id",
]


@dataclass
class _Plan:
    """What an import would do, worked out before anything is written."""

    new: list[tuple[Student, oneroster.StudentRow]] = field(default_factory=list)
    changed: list[Student] = field(default_factory=list)
    renamed: list[Student] = field(default_factory=list)  # local ID changes (swaps allowed)
    enrol: list[tuple[Student, int, datetime.date | None, datetime.date | None]] = field(default_factory=list)
    ended: list[Enrollment] = field(default_factory=list)
    statuses: dict[int, list[tuple[str, datetime.date | None, datetime.date | None]]] = field(
        default_factory=dict
    )
    new_statuses: list[tuple[Student, str, datetime.date | None, datetime.date | None]] = field(
        default_factory=list
    )
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(["new", "changed", "unchanged", "inactivated", "errors"], 0)
    )


def import_roster(
    *,
    district: District,
    files: Mapping[str, bytes],
    full: bool,
    dry_run: bool,
    by: User | None,
    source: str = "",
    upload: File[bytes] | None = None,
) -> RosterImport:
    """Import a OneRoster CSV set (`files`: name -> content) into `district`'s students.

    Validation first: a set with any error imports nothing. A dry run works out the counts
    and writes only the RosterImport record (with `upload`, kept for the confirming import).
    Students are matched by sourcedId; a full import marks those left out inactive. Changed
    students' incident people get their new demographics (`sync_involvements`)."""
    from schools.models import School

    today = timezone.localdate()
    named = School.objects.filter(district=district).exclude(sis_identifier="")
    schools = dict(named.values_list("sis_identifier", "pk"))
    roster = oneroster.read_set(files, schools=schools)
    errors = list(roster.errors)
    # A full import marks the students left out inactive, so the files that say who the
    # students are (users.csv, and 1.2's roles.csv) must be whole files, not deltas.
    for name in (oneroster.USERS, oneroster.ROLES) if roster.version == "1.2" else (oneroster.USERS,):
        if full and name in roster.deltas:
            errors.append(
                oneroster.Error(
                    oneroster.MANIFEST, 0, f"{name} is a delta file: import it as a partial import"
                )
            )
    existing = {s.sourced_id: s for s in Student.objects.filter(district=district)}
    if full and not errors and not roster.students and any(s.active for s in existing.values()):
        # A users.csv with a header and no students is an export that went wrong, not a
        # district whose students all left.
        errors.append(
            oneroster.Error(
                oneroster.USERS,
                0,
                "no students in users.csv: a full import would mark every student of the district "
                "inactive. Check the export, or import it as a partial import.",
            )
        )
    errors += _local_id_clashes(roster, existing)
    plan = _plan(roster, existing, district=district, full=full, today=today)
    plan.counts["errors"] = len(errors)
    record = RosterImport(
        district=district,
        started_by=by,
        source=source[:255],
        dry_run=dry_run,
        full=full,
        version=roster.version,
        counts=plan.counts,
        errors=[e.as_dict() for e in errors[:ERRORS_KEPT]],
    )
    if dry_run or errors:
        if upload is not None and not errors:
            # One pending upload per district: an older one is superseded (its student data
            # is not kept longer than needed).
            for older in RosterImport.objects.filter(district=district, dry_run=True).exclude(upload=""):
                older.upload.delete(save=True)
            record.upload.save(f"roster-{district.pk}.zip", upload, save=False)
        record.save()
        return record
    with transaction.atomic():
        _apply(plan)
        record.applied = True
        record.save()
        sync_involvements(s.pk for s in plan.changed)
    return record


def _local_id_clashes(roster: oneroster.RosterSet, existing: Mapping[str, Student]) -> list[oneroster.Error]:
    """A local ID that another student of the district holds and keeps (absent from the set, or
    given another ID by it)."""
    holders = {s.local_id: s.sourced_id for s in existing.values()}
    clashes = []
    for row in roster.students.values():
        holder = holders.get(row.local_id)
        if holder is not None and holder != row.sourced_id and holder not in roster.students:
            clashes.append(
                oneroster.Error(
                    oneroster.USERS,
                    row.line,
                    f"identifier “{row.local_id}” is the local ID of another student of the district "
                    f"(sourcedId “{holder}”) who is not in this set",
                )
            )
    return clashes


def _plan(
    roster: oneroster.RosterSet,
    existing: Mapping[str, Student],
    *,
    district: District,
    full: bool,
    today: datetime.date,
) -> _Plan:
    plan = _Plan()
    year = str(school_year_of(today))
    enrolments: dict[int, list[Enrollment]] = defaultdict(list)
    for enrolment in Enrollment.objects.filter(student__district=district):
        enrolments[enrolment.student_id].append(enrolment)
    statuses: dict[int, list[tuple[str, datetime.date | None, datetime.date | None]]] = defaultdict(list)
    if roster.has_programs:
        for status in StudentStatus.objects.filter(student__district=district):
            statuses[status.student_id].append((status.program, status.start_date, status.end_date))
    for row in roster.students.values():
        student = existing.get(row.sourced_id)
        if student is None:
            student = Student(district=district, sourced_id=row.sourced_id)
            _set_fields(student, row, year)
            plan.new.append((student, row))
            plan.counts["new"] += 1
            for period in row.periods if row.active else []:
                plan.enrol.append((student, period.school_id, _begin(period, today), period.end))
            for program, start, end in row.programs or []:
                plan.new_statuses.append((student, program, start, end))
            continue
        was_active, old_local_id = student.active, student.local_id
        changed = _set_fields(student, row, year)
        if student.local_id != old_local_id:
            plan.renamed.append(student)
        periods = row.periods if row.active else []
        changed |= _plan_enrolments(plan, student, periods, enrolments[student.pk], today)
        if row.programs is not None and sorted(row.programs, key=_status_key) != sorted(
            statuses[student.pk], key=_status_key
        ):
            plan.statuses[student.pk] = row.programs
            plan.new_statuses += [(student, program, start, end) for program, start, end in row.programs]
            changed = True
        if changed:
            plan.changed.append(student)
        bucket = "inactivated" if was_active and not student.active else "changed" if changed else "unchanged"
        plan.counts[bucket] += 1
    if full:
        for sourced_id, student in existing.items():
            if sourced_id in roster.students or not student.active:
                continue
            student.active = False
            _plan_enrolments(plan, student, [], enrolments[student.pk], today)
            plan.changed.append(student)
            plan.counts["inactivated"] += 1
    return plan


def _status_key(status: tuple[str, datetime.date | None, datetime.date | None]) -> tuple[str, str, str]:
    program, start, end = status
    return program, str(start or ""), str(end or "")


def _set_fields(student: Student, row: oneroster.StudentRow, year: str) -> bool:
    """Copy the row onto the student; True when anything changed."""
    grades = dict(student.grades)
    if row.grade:
        grades[year] = row.grade
    else:
        grades.pop(year, None)
    values: dict[str, Any] = {
        "local_id": row.local_id,
        "first_name": row.first_name,
        "middle_name": row.middle_name,
        "last_name": row.last_name,
        "grade": row.grade,
        "grades": grades,
        "active": row.active,
    }
    if row.demographics is not None:
        values["date_of_birth"] = row.demographics.date_of_birth
        values["sex"] = row.demographics.sex
        values["race_ethnicity"] = row.demographics.race_ethnicity
    if row.state_id is not None:
        values["state_id"] = row.state_id
    changed = False
    for name, value in values.items():
        if getattr(student, name) != value:
            setattr(student, name, value)
            changed = True
    return changed


def _begin(period: oneroster.Period, today: datetime.date) -> datetime.date | None:
    # An enrolment known only as "at this school now" begins on the day it was first imported.
    return period.begin if period.dated else today


def _is_open(enrolment: Enrollment, today: datetime.date) -> bool:
    return enrolment.end_date is None or enrolment.end_date >= today


def _plan_enrolments(
    plan: _Plan,
    student: Student,
    periods: list[oneroster.Period],
    current: list[Enrollment],
    today: datetime.date,
) -> bool:
    """Match the set's periods with the student's enrolments: a dated one by school and
    begin date (its end date updated), an undated one by an open enrolment at the school.
    Open enrolments the set no longer has end yesterday (a change of school). True when
    anything changes."""
    matched: set[int] = set()
    changed = False
    for period in periods:
        found = next(
            (
                e
                for e in current
                if e.pk not in matched
                and e.school_id == period.school_id
                and (e.begin_date == period.begin if period.dated else _is_open(e, today))
            ),
            None,
        )
        if found is None:
            plan.enrol.append((student, period.school_id, _begin(period, today), period.end))
            changed = True
            continue
        matched.add(found.pk)
        if period.dated and found.end_date != period.end:
            found.end_date = period.end
            plan.ended.append(found)
            changed = True
    yesterday = today - datetime.timedelta(days=1)
    for enrolment in current:
        if enrolment.pk in matched or not _is_open(enrolment, today):
            continue
        if enrolment.begin_date is not None and enrolment.begin_date > today:
            continue  # a future enrolment the SIS no longer sends: left as it is
        end = yesterday if enrolment.begin_date is None else max(yesterday, enrolment.begin_date)
        if enrolment.end_date != end:
            enrolment.end_date = end
            plan.ended.append(enrolment)
            changed = True
    return changed


def _apply(plan: _Plan) -> None:
    """Write the plan in batches: a fixed number of queries per BATCH students."""
    now = timezone.now()
    if plan.renamed:
        # Park changed local IDs first, so two students may swap theirs without a clash.
        final = {s.pk: s.local_id for s in plan.renamed}
        for student in plan.renamed:
            student.local_id = f"~{student.pk}"
        Student.objects.bulk_update(plan.renamed, ["local_id"], batch_size=BATCH)
        for student in plan.renamed:
            student.local_id = final[student.pk]
    Student.objects.bulk_create([student for student, _row in plan.new], batch_size=BATCH)
    for student in plan.changed:
        student.updated_at = now
    Student.objects.bulk_update(plan.changed, [*STUDENT_FIELDS, "updated_at"], batch_size=BATCH)
    Enrollment.objects.bulk_update(plan.ended, ["end_date"], batch_size=BATCH)
    Enrollment.objects.bulk_create(
        [
            Enrollment(student_id=student.pk, school_id=school_id, begin_date=begin, end_date=end)
            for student, school_id, begin, end in plan.enrol
        ],
        batch_size=BATCH,
    )
    replaced = list(plan.statuses)
    # The RosterImport record is the import's audit, as for its bulk inserts: no entry (and
    # no query) per replaced status.
    with disable_auditlog():
        for start in range(0, len(replaced), BATCH):
            StudentStatus.objects.filter(student_id__in=replaced[start : start + BATCH]).delete()
    StudentStatus.objects.bulk_create(
        [
            StudentStatus(student_id=student.pk, program=program, start_date=start, end_date=end)
            for student, program, start, end in plan.new_statuses
        ],
        batch_size=BATCH,
    )


def apply_upload(*, dry_run: RosterImport, by: User) -> RosterImport:
    """Import the zip a dry run checked, then delete it: the import's own record is returned."""
    with transaction.atomic():
        locked = RosterImport.objects.select_for_update().get(pk=dry_run.pk)
        if not locked.can_be_applied:
            raise ValueError("This dry run was imported already, or had errors.")
        with locked.upload.open("rb") as stream:
            files = oneroster.read_zip(stream)
        result = import_roster(
            district=locked.district,
            files=files,
            full=locked.full,
            dry_run=False,
            by=by,
            source=locked.source,
        )
        # The zip goes once the import is committed (kept if it rolls back).
        name, storage = locked.upload.name, locked.upload.storage
        locked.upload = ""
        locked.save(update_fields=["upload"])
        transaction.on_commit(lambda: storage.delete(name))
    return result
