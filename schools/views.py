import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import coordinator_required, program_coordinator_required
from core.links import record_urls
from core.views import confirm_and_delete

from . import selectors, services
from .filters import AssignmentFilter, SchoolFilter, chosen_district, district_choices
from .forms import AssignmentForm, DistrictForm, SchoolForm
from .models import Assignment, District, School


def get_school_for_user(request, pk: int) -> School:
    """The school, if the user may see it; 404 otherwise (never reveal it exists)."""
    return get_object_or_404(School.objects.visible_to(request.user).select_related("district"), pk=pk)


def get_assignment_for_user(request, pk: int) -> Assignment:
    return get_object_or_404(Assignment.objects.visible_to(request.user), pk=pk)


def _page(request, queryset):
    return Paginator(queryset, 25).get_page(request.GET.get("page"))


@login_required
def school_list(request):
    today = timezone.localdate()
    primaries = Assignment.objects.active_on(today).primary().select_related("officer")
    schools = School.objects.visible_to(request.user).prefetch_related(
        Prefetch("assignments", queryset=primaries, to_attr="primary_now")
    )
    filterset = SchoolFilter(request.GET, queryset=schools.select_related("district"), user=request.user)
    return render(
        request, "schools/school_list.html", {"filter": filterset, "page_obj": _page(request, filterset.qs)}
    )


@login_required
def school_detail(request, pk: int):
    school = get_school_for_user(request, pk)
    context = {"school": school, "today": timezone.localdate()}
    if request.user.is_coordinator:
        context["assignments"] = school.assignments.select_related("officer", "officer__agency").order_by(
            "-start_date"
        )
        context["administrators"] = school.administrators.all()
    return render(request, "schools/school_detail.html", context)


@coordinator_required
def school_form(request, pk: int | None = None):
    school = get_school_for_user(request, pk) if pk else None
    form = SchoolForm(request.POST or None, instance=school, user=request.user)
    if request.method == "POST" and form.is_valid():
        school = form.save()
        messages.success(request, f"{school} saved.")
        return redirect(school)
    return render(request, "schools/school_form.html", {"form": form, "school": school})


@coordinator_required
def school_delete(request, pk: int):
    school = get_school_for_user(request, pk)
    return confirm_and_delete(
        request,
        school,
        success_url=reverse("schools:list"),
        protected_message=f"{school} cannot be deleted: assignments or records point at it. "
        "Edit the school and untick “In the program” instead.",
    )


@coordinator_required
def coverage(request):
    try:
        day = datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    schools = School.objects.visible_to(request.user).in_district(chosen_district(request))
    rows = selectors.coverage_on(day, schools=schools)
    context = {
        "day": day,
        "rows": rows,
        "uncovered": [row for row in rows if not row.covered],
        "gaps": selectors.upcoming_gaps(day, 30, schools=schools),
        "districts": district_choices(request.user),
        "district": chosen_district(request),
        "previous_day": day - datetime.timedelta(days=1),
        "next_day": day + datetime.timedelta(days=1),
    }
    return render(request, "schools/coverage.html", context)


@coordinator_required
def assignment_list(request):
    assignments = (
        Assignment.objects.visible_to(request.user)
        .select_related("officer", "officer__agency", "school")
        .order_by("-start_date", "school__name")
    )
    filterset = AssignmentFilter(request.GET, queryset=assignments, user=request.user)
    page = _page(request, filterset.qs)
    # Each assignment with its officer's, school's and edit links, made once for the page
    # rather than by three reverse() a row.
    links = (
        record_urls(name, (getattr(a, key) for a in page))
        for name, key in (
            ("officers:detail", "officer_id"),
            ("schools:detail", "school_id"),
            ("schools:assignment_update", "pk"),
        )
    )
    context = {
        "filter": filterset,
        "page_obj": page,
        "assignments": list(zip(page, *links, strict=True)),
        "today": timezone.localdate(),
    }
    return render(request, "schools/assignment_list.html", context)


@coordinator_required
def assignment_form(request, pk: int | None = None):
    assignment = get_assignment_for_user(request, pk) if pk else None
    initial = {k: request.GET[k] for k in ("officer", "school") if request.GET.get(k, "").isdigit()}
    form = AssignmentForm(request.POST or None, instance=assignment, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.save_assignment(assignment=form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Saved: {assignment}.")
            return redirect(assignment.school)
    return render(request, "schools/assignment_form.html", {"form": form, "assignment": assignment})


# --- Districts (LEAs) ----------------------------------------------------------------------


@coordinator_required
def district_list(request):
    """The program's districts with their schools; a district coordinator sees their own."""
    districts = District.objects.visible_to(request.user).annotate(
        school_count=Count("schools", filter=Q(schools__is_active=True)),
        agency_count=Count("agreements", distinct=True),
    )
    return render(request, "schools/district_list.html", {"districts": districts})


@program_coordinator_required
def district_form(request, pk: int | None = None):
    district = get_object_or_404(District, pk=pk) if pk else None
    form = DistrictForm(request.POST or None, instance=district)
    if request.method == "POST" and form.is_valid():
        district = form.save()
        messages.success(request, f"{district} saved.")
        return redirect("schools:district_list")
    return render(request, "schools/district_form.html", {"form": form, "district": district})
