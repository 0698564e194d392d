from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .models import Student, can_see_student_names

if TYPE_CHECKING:
    from accounts.models import User

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
    students = (
        Student.objects.filter(district__schools=school)
        .enrolled_at(school)
        .search(text)
        .order_by("last_name", "first_name", "local_id")[:SEARCH_LIMIT]
    )
    return [
        {
            "id": s.pk,
            "local_id": s.local_id,
            "label": f"{s.full_name} ({s.local_id}), grade {s.grade or '?'}"
            if names
            else f"Student {s.local_id}",
        }
        for s in students
    ]
