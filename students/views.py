from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse

from .selectors import search_results


@login_required
def student_search(request):
    """Students of a school the user may see, by local ID or name, for the incident form's
    search box (the form also searches without JavaScript). Names only for those allowed."""
    return JsonResponse(
        {
            "results": search_results(
                user=request.user, school_id=request.GET.get("school"), text=request.GET.get("q", "")
            )
        }
    )


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
