from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import coordinator_required, role_required

from . import selectors, services


@role_required(Role.SCHOOL_ADMIN, Role.OFFICER)
def student_search(request):
    """Students of a school the user may see, by local ID (or name, for those who may see
    names), for the incident form's search list; the form also finds students without it."""
    return JsonResponse(
        {
            "results": selectors.search_results(
                user=request.user, school_id=request.GET.get("school"), text=request.GET.get("q", "")
            )
        }
    )


@coordinator_required
def unlinked(request):
    """People of incidents logged before student records existed, to link to a student."""
    people = selectors.unlinked_people(request.user)
    page = Paginator(people, 25).get_page(request.GET.get("page"))
    suggested = selectors.students_by_pk([p.suggested_id for p in page.object_list if p.suggested_id])
    rows = [(person, suggested.get(person.suggested_id)) for person in page.object_list]
    matches = people.filter(suggested_id__isnull=False).count()
    return render(request, "students/unlinked.html", {"page_obj": page, "rows": rows, "matches": matches})


@coordinator_required
@require_POST
def link(request, pk: int):
    person = get_object_or_404(selectors.unlinked_people(request.user), pk=pk)
    text = request.POST.get("student", "")
    student = selectors.district_student(district_id=person.incident.school.district_id, text=text)
    if student is None:
        messages.error(
            request,
            f"Person {person.pk} was not linked: no student of {person.incident.school.district} "
            f"has the local ID “{text.strip()}”. Check the ID in the student information system.",
        )
    else:
        services.link_person(person=person, student=student, by=request.user)
        messages.success(
            request, f"Person {person.pk} is now student {student.local_id}; the reports count them so."
        )
    page = request.POST.get("page", "1")
    return redirect(f"{reverse('students:unlinked')}?page={page if page.isdigit() else 1}")


@coordinator_required
@require_POST
def link_suggested(request):
    linked = services.link_suggested(people=selectors.unlinked_people(request.user), by=request.user)
    messages.success(request, f"{linked} people linked to the student whose local ID they were logged with.")
    return redirect("students:unlinked")
