from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import coordinator_required, role_required

from . import oneroster, selectors, services
from .forms import RosterUploadForm
from .models import RosterImport
from .services import apply_upload, import_roster


@role_required(Role.SCHOOL_ADMIN, Role.OFFICER)
@require_POST
def student_search(request):
    """Students of a school the user may see, by local ID (or name, for those who may see
    names), for the incident form's search list; the form also finds students without it.
    A POST: what is typed may be a name, and names never go into URLs (access logs keep them)."""
    return JsonResponse(
        {
            "results": selectors.search_results(
                user=request.user, school_id=request.POST.get("school"), text=request.POST.get("q", "")
            )
        }
    )


@coordinator_required
def unlinked(request):
    """People of incidents logged before student records existed, to link to a student."""
    page = selectors.unlinked_page(request.user, request.GET.get("page"))
    suggested = selectors.students_by_pk([p.suggested_id for p in page.object_list if p.suggested_id])
    rows = [(person, suggested.get(person.suggested_id)) for person in page.object_list]
    # Suggestions are counted on the page shown only: counting them over every page tested
    # all 39,000 typed IDs against all 40,000 students' (~25 ms) on each view of any page.
    context = {"page_obj": page, "rows": rows, "suggested_here": sum(1 for _, student in rows if student)}
    return render(request, "students/unlinked.html", context)


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
    if linked:
        messages.success(
            request, f"{linked} people linked to the student whose local ID they were logged with."
        )
    else:
        messages.info(
            request,
            "No one on the list was logged with exactly a student's local ID in the incident's district.",
        )
    return redirect("students:unlinked")


def _district_of(request, form):
    if request.user.is_program_coordinator:
        return form.cleaned_data["district"]
    return request.user.district


@coordinator_required
def import_list(request):
    """Upload a district's OneRoster zip (checked by a dry run first) and the imports so far."""
    form = RosterUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            files = oneroster.read_zip(upload)
        finally:
            upload.seek(0)
        result = import_roster(
            district=_district_of(request, form),
            files=files,
            full=not form.cleaned_data["partial"],
            dry_run=True,
            by=request.user,
            source=upload.name,
            upload=upload,
        )
        return redirect(result)
    imports = RosterImport.objects.visible_to(request.user).select_related("district", "started_by")[:50]
    return render(request, "students/import_list.html", {"form": form, "imports": imports})


def get_import_for_user(request, pk: int) -> RosterImport:
    if not request.user.is_coordinator:
        raise PermissionDenied
    return get_object_or_404(RosterImport.objects.visible_to(request.user).select_related("district"), pk=pk)


@login_required
def import_detail(request, pk: int):
    """A dry run's counts and errors (file, line, reason), with the button that imports it."""
    record = get_import_for_user(request, pk)
    return render(request, "students/import_detail.html", {"record": record})


@require_POST
@login_required
def import_apply(request, pk: int):
    record = get_import_for_user(request, pk)
    if not record.can_be_applied:
        messages.error(request, "This dry run was imported already, or has errors: upload the files again.")
        return redirect(record)
    try:
        result = apply_upload(dry_run=record, by=request.user)
    except ValueError:  # imported by another request meanwhile
        messages.error(request, "This dry run was imported already.")
        return redirect(record)
    if result.applied:
        messages.success(request, "The students were imported.")
    else:
        messages.error(request, "Nothing was imported: the files no longer pass the checks.")
    return redirect(result)


def get_student_for_user(request, pk: int):
    """The student if the user may read their record: coordinators of their district and the
    administrators of a school they were enrolled at (404 for anyone else, officers included:
    a timeline joins names to incidents). Every look is an audited access."""
    from auditlog.signals import accessed
    from django.shortcuts import get_object_or_404

    from .models import Student, can_see_student_names

    if not can_see_student_names(request.user):
        raise Http404
    student = get_object_or_404(Student.objects.visible_to(request.user).select_related("district"), pk=pk)
    accessed.send(sender=Student, instance=student)
    return student


@login_required
def student_detail(request, pk: int):
    from django.shortcuts import render
    from django.utils import timezone

    from contacts.selectors import student_timeline

    student = get_student_for_user(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "students/student_detail.html",
        {
            "student": student,
            "items": student_timeline(student, request.user),
            "statuses": student.statuses.all(),
            "enrollments": student.enrollments.select_related("school"),
            "grade": student.grade_on(today),
        },
    )
