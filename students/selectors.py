from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page
from django.db.models import OuterRef, QuerySet, Subquery

from core.pagination import capped_page

from .models import Student, StudentQuerySet, can_see_student_names

if TYPE_CHECKING:
    from accounts.models import User
    from incidents.models import IncidentPerson
    from schools.models import School

# "Jordan Smith (100234)" or "Student 100234", as the search list offers them.
ID_IN_LABEL = re.compile(r"(?:\(|^Student\s+)([^()\s]+)\)?\s*$")

SEARCH_LIMIT = 20


def search_results(*, user: User, school_id: str | int | None, text: str) -> list[dict[str, Any]]:
    """At most SEARCH_LIMIT students enrolled at the school today, matching `text` by local ID
    or name; two queries whatever the number of students."""
    from schools.models import School

    try:
        school = School.objects.visible_to(user).get(pk=int(school_id or 0))
    except (School.DoesNotExist, ValueError):
        return []
    names = can_see_student_names(user)
    students = students_of(school)
    found = students.search(text) if names else students.filter(local_id__istartswith=text.strip())
    return [
        {"id": s.pk, "local_id": s.local_id, "label": s.label(names=names)}
        for s in found.order_by("last_name", "first_name", "local_id")[:SEARCH_LIMIT]
    ]


def students_of(school: School) -> StudentQuerySet:
    """Students of the school's district enrolled there today: whom a report can name."""
    return Student.objects.filter(district__schools=school).enrolled_at(school)


def resolve(*, school: School, text: str, names: bool) -> tuple[Student | None, list[Student]]:
    """The student a person typed means: (the student, []) when the text names one (their
    local ID, "Name (ID)" as the search list offers it, or a name only one student has);
    (None, candidates) otherwise (none, or several to choose from). `names`: whether the
    user may search by name (officers use the local ID only)."""
    text = text.strip()
    if not text:
        return None, []
    students = students_of(school)
    match = ID_IN_LABEL.search(text)
    wanted = match.group(1) if match else text
    exact = list(students.filter(local_id__iexact=wanted)[:2])
    if len(exact) == 1:
        return exact[0], []
    if not names:
        return None, []
    candidates = list(
        students.search(text).order_by("last_name", "first_name", "local_id")[: SEARCH_LIMIT + 1]
    )
    if len(candidates) == 1:
        return candidates[0], []
    return None, candidates[:SEARCH_LIMIT]


def _same_local_id() -> QuerySet[Student]:
    """The students of an incident person's district whose local ID is what was typed."""
    return Student.objects.filter(
        district_id=OuterRef("incident__school__district_id"),
        local_id__iexact=OuterRef("local_id_or_initials"),
    )


def _unlinked(user: User) -> QuerySet[IncidentPerson]:
    from incidents.models import Incident, IncidentPerson, PersonKind

    people = IncidentPerson.objects.filter(
        kind=PersonKind.STUDENT, student__isnull=True, unidentified_reason=""
    )
    visible = Incident.objects.visible_to(user)
    # A scope of every incident (a program coordinator's) adds no condition: as a filter it was
    # a semi-join with all 250,000 incidents (counting a page ahead 1 -> 7 ms).
    return people.filter(incident__in=visible) if visible.query.has_filters() else people


def unlinked_people(user: User) -> QuerySet[IncidentPerson]:
    """Students of incidents in the user's scope logged before student records existed (not
    linked, not recorded as unidentified), oldest first, each with `suggested_id`: the
    student of the incident's district whose local ID is what was typed, if there is one."""
    return (
        _unlinked(user)
        .annotate(suggested_id=Subquery(_same_local_id().values("pk")[:1]))
        .select_related("incident__school", "incident__category")
        .order_by("incident__occurred_at", "pk")
    )


def unlinked_page(user: User, number: Any) -> Page[IncidentPerson]:
    """A page of `unlinked_people`, counted only so far ahead (core.pagination) and without
    the suggestions and the joins they need: 39,000 people joined to their incidents and
    schools took ~300 ms to count."""
    return capped_page(unlinked_people(user), 25, number, counted=_unlinked(user).order_by().values("pk"))


def district_student(*, district_id: int | None, text: str) -> Student | None:
    """The district's student a coordinator means by a local ID or "Name (ID)"."""
    match = ID_IN_LABEL.search(text.strip())
    wanted = match.group(1) if match else text.strip()
    if not wanted or district_id is None:
        return None
    return Student.objects.filter(district_id=district_id, local_id__iexact=wanted).first()


def students_by_pk(pks: list[int]) -> dict[int, Student]:
    return {s.pk: s for s in Student.objects.filter(pk__in=pks)}
