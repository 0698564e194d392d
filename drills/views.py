from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import coordinator_required, program_coordinator_required, role_required
from core import datacache
from core.csv_export import csv_response, streamed
from schools.filters import chosen_district, district_choices
from schools.models import District, School

from . import selectors, services
from .calendar import build_calendar
from .filters import DrillFilter
from .forms import CorrectiveActionForm, DrillForm, DrillRequirementForm, SummerSessionForm
from .models import (
    CalendarFeed,
    CorrectiveAction,
    Drill,
    DrillRequirement,
    SummerSession,
    school_year_for,
    school_year_label,
)


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return school_year_for(timezone.localdate())
    return year if 2000 <= year <= 2100 else school_year_for(timezone.localdate())


def get_school_for_user(request, pk: int) -> School:
    return get_object_or_404(School.objects.visible_to(request.user), pk=pk)


def get_drill_for_user(request, pk: int) -> Drill:
    return get_object_or_404(Drill.objects.visible_to(request.user).select_related("school"), pk=pk)


def can_manage(user, school: School) -> bool:
    """Coordinators, and the school's own administrators, schedule and log its drills."""
    return user.is_coordinator or (user.is_school_admin and school.administrators.filter(pk=user.pk).exists())


def _require_manage(request, school: School) -> None:
    if not can_manage(request.user, school):
        raise PermissionDenied


def _district_feed(user, district) -> CalendarFeed | None:
    """The feed of the coordinator's district, or for the program coordinator the chosen
    district's or the whole program's (None for other roles)."""
    if user.is_district_coordinator:
        district = user.district
    elif not user.is_program_coordinator:
        return None
    return (
        CalendarFeed.objects.filter(school__isnull=True, officer__isnull=True, district=district)
        .order_by("pk")
        .first()
    )


def _feed_url(request, feed: CalendarFeed | None) -> str | None:
    # Feeds are made with their school (drills.signals); a GET only reads them.
    return request.build_absolute_uri(feed.get_absolute_url()) if feed else None


@login_required
def overview(request):
    year = _year(request)
    district = chosen_district(request)
    in_scope = request.user.schools_in_scope().filter(is_active=True).in_district(district)
    schools = sorted(in_scope.values_list("pk", flat=True))

    def compliance() -> dict:
        rows = selectors.compliance_by_school(year, schools=School.objects.filter(pk__in=schools))
        return {"rows": rows, "summary": selectors.district_summary(rows), "year": year}

    # Every school's drills against every requirement: kept for the day, per year and set of
    # schools, until a drill, a requirement, a summer session or a school changes.
    parts = ("drills-overview", timezone.localdate(), year, request.user.is_coordinator, schools)
    context = {
        "overview_html": datacache.remember_html(
            parts, ["drills"], "drills/_overview.html", compliance, request=request
        ),
        "year": year,
        "year_label": school_year_label(year),
        "district_feed": _feed_url(request, _district_feed(request.user, district)),
        "district": district,
        "districts": district_choices(request.user),
        "officer": request.user.officer_record if request.user.is_officer else None,
    }
    if context["officer"] is not None:
        context["my_feed"] = _feed_url(
            request, CalendarFeed.objects.filter(officer=context["officer"]).first()
        )
    return render(request, "drills/overview.html", context)


@login_required
def school_drills(request, pk: int):
    school = get_school_for_user(request, pk)
    year = _year(request)
    compliance = selectors.compliance_for_school(school, year)
    drills = selectors.drills_for_school_year(school, year)
    context = {
        "school": school,
        "year": year,
        "year_label": school_year_label(year),
        "compliance": compliance,
        "page_obj": Paginator(drills, 25).get_page(request.GET.get("page")),
        "can_manage": can_manage(request.user, school),
        # A school's feed address is a key to its drills: its administrators and coordinators
        # only (officers subscribe to their own feed, which follows their assignments).
        "feed_url": _feed_url(request, CalendarFeed.objects.filter(school=school).first())
        if can_manage(request.user, school)
        else None,
        "summer": compliance.summer,
        "today": timezone.localdate(),
    }
    return render(request, "drills/school.html", context)


@login_required
def drill_log(request):
    drills = Drill.objects.visible_to(request.user).select_related("school").order_by("-scheduled_at", "-pk")
    drill_filter = DrillFilter(request.GET, queryset=drills, user=request.user)
    if request.GET.get("format") == "csv":
        return _csv(drill_filter.qs)
    page = Paginator(drill_filter.qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "drills/drill_log.html",
        {"filter": drill_filter, "page_obj": page, "today": timezone.localdate()},
    )


def _csv(drills):
    header = [
        "school", "type", "scheduled", "conducted", "duration_min", "accountability_min",
        "sro_present", "first_responders_notified", "lunch_or_assembly", "observations", "after_action_notes",
    ]  # fmt: skip

    def rows():
        yield (header)
        for d in streamed(drills):
            yield (
                [
                    d.school.name,
                    d.get_drill_type_display(),
                    timezone.localtime(d.scheduled_at).isoformat(timespec="minutes")
                    if d.scheduled_at
                    else "",
                    timezone.localtime(d.conducted_at).isoformat(timespec="minutes")
                    if d.conducted_at
                    else "",
                    d.duration_minutes or "",
                    d.accountability_minutes or "",
                    "yes" if d.sro_present else "no",
                    "yes" if d.first_responders_notified else "no",
                    d.get_lunch_or_assembly_display() if d.lunch_or_assembly else "",
                    d.observations,
                    d.after_action_notes,
                ]
            )

    return csv_response(rows(), "drills.csv")


@role_required(Role.SCHOOL_ADMIN)
def drill_create(request, school_pk: int):
    school = get_school_for_user(request, school_pk)
    _require_manage(request, school)
    form = DrillForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        drill = form.save(commit=False)
        drill.school, drill.created_by = school, request.user
        drill.save()
        messages.success(request, f"{drill} saved.")
        return redirect("drills:school", pk=school.pk)
    return render(request, "drills/drill_form.html", {"form": form, "school": school})


@login_required
def drill_detail(request, pk: int):
    drill = get_drill_for_user(request, pk)
    context = {
        "drill": drill,
        "actions": drill.corrective_actions.all(),
        "can_manage": can_manage(request.user, drill.school),
        "action_form": CorrectiveActionForm(),
        "today": timezone.localdate(),
    }
    return render(request, "drills/drill_detail.html", context)


@role_required(Role.SCHOOL_ADMIN)
def drill_edit(request, pk: int):
    drill = get_drill_for_user(request, pk)
    _require_manage(request, drill.school)
    initial = {}
    if request.GET.get("log") and not drill.conducted_at:
        initial["conducted_at"] = drill.scheduled_at
    form = DrillForm(request.POST or None, instance=drill, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{drill} saved.")
        return redirect("drills:school", pk=drill.school_id)
    return render(request, "drills/drill_form.html", {"form": form, "school": drill.school, "drill": drill})


@role_required(Role.SCHOOL_ADMIN)
def drill_delete(request, pk: int):
    drill = get_drill_for_user(request, pk)
    _require_manage(request, drill.school)
    if request.method == "POST":
        school_pk = drill.school_id
        drill.delete()
        messages.success(request, "Drill deleted.")
        return redirect("drills:school", pk=school_pk)
    return render(request, "drills/drill_confirm_delete.html", {"drill": drill})


@require_POST
@role_required(Role.SCHOOL_ADMIN)
def action_add(request, pk: int):
    drill = get_drill_for_user(request, pk)
    _require_manage(request, drill.school)
    form = CorrectiveActionForm(request.POST)
    if form.is_valid():
        action = form.save(commit=False)
        action.drill = drill
        action.save()
        messages.success(request, "Corrective action added.")
        return redirect(drill)
    context = {
        "drill": drill,
        "actions": drill.corrective_actions.all(),
        "can_manage": True,
        "action_form": form,
    }
    return render(request, "drills/drill_detail.html", context, status=400)


@require_POST
@role_required(Role.SCHOOL_ADMIN)
def action_complete(request, pk: int):
    action = get_object_or_404(
        CorrectiveAction.objects.filter(drill__in=Drill.objects.visible_to(request.user)), pk=pk
    )
    _require_manage(request, action.drill.school)
    action.completed_on = timezone.localdate()
    action.save(update_fields=["completed_on"])
    messages.success(request, "Corrective action marked done.")
    return redirect(action.drill)


@role_required(Role.SCHOOL_ADMIN)
def summer_session(request, school_pk: int):
    school = get_school_for_user(request, school_pk)
    _require_manage(request, school)
    year = _year(request)
    instance = SummerSession.objects.filter(school=school, school_year=year).first()
    form = SummerSessionForm(
        request.POST or None, instance=instance or SummerSession(school=school, school_year=year)
    )
    if request.method == "POST" and form.is_valid():
        session = form.save(commit=False)
        session.school, session.school_year = school, year
        session.save()
        messages.success(request, "Summer school dates saved.")
        return redirect(f"{reverse('drills:school', args=[school.pk])}?year={year}")
    context = {"form": form, "school": school, "year_label": school_year_label(year)}
    return render(request, "drills/summer_form.html", context)


@coordinator_required
def requirements(request):
    year = _year(request)
    saved = DrillRequirement.objects.for_year(year)
    context = {"year": year, "year_label": school_year_label(year), "requirements": saved}
    if not saved:
        context["defaults"] = selectors.requirements_for(year)
    return render(request, "drills/requirements.html", context)


@require_POST
@program_coordinator_required
def requirements_setup(request):
    year = _year(request)
    services.ensure_requirements(year)
    messages.success(request, f"Requirements for {school_year_label(year)} set up from §807.")
    return redirect(f"{reverse('drills:requirements')}?year={year}")


@program_coordinator_required
def requirement_edit(request, pk: int | None = None):
    instance = get_object_or_404(DrillRequirement, pk=pk) if pk else None
    year = instance.school_year if instance else _year(request)
    form = DrillRequirementForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        requirement = form.save(commit=False)
        requirement.school_year = year
        requirement.save()
        messages.success(request, "Requirement saved.")
        return redirect(f"{reverse('drills:requirements')}?year={year}")
    return render(
        request,
        "drills/requirement_form.html",
        {"form": form, "year_label": school_year_label(year), "instance": instance},
    )


@program_coordinator_required
def requirement_delete(request, pk: int):
    requirement = get_object_or_404(DrillRequirement, pk=pk)
    if request.method == "POST":
        year = requirement.school_year
        requirement.delete()
        messages.success(request, "Requirement deleted.")
        return redirect(f"{reverse('drills:requirements')}?year={year}")
    return render(request, "drills/requirement_confirm_delete.html", {"requirement": requirement})


@require_POST
@coordinator_required
def feed_rotate(request, school_pk: int | None = None):
    if school_pk is None:
        # A district coordinator's district feed; the program coordinator's chosen district
        # (a `district` field) or the whole program's.
        pk = request.POST.get("district", "")
        district = District.objects.filter(pk=pk).first() if pk.isdigit() else None
        if request.user.is_district_coordinator:
            district = request.user.district
        feed = CalendarFeed.for_district(district)
    else:
        feed = CalendarFeed.for_school(get_school_for_user(request, school_pk))
    feed.rotate()
    messages.success(request, "Calendar address changed: subscribers must use the new address.")
    if school_pk:
        return redirect("drills:school", pk=school_pk)
    return redirect(
        f"{reverse('drills:list')}?district={district.pk}" if district else reverse("drills:list")
    )


@require_POST
@role_required(Role.OFFICER)
def my_feed_rotate(request):
    """An officer's own feed: made on first use, a new address (the old one stops) after."""
    officer = request.user.officer_record
    if officer is None:
        raise PermissionDenied
    feed = CalendarFeed.objects.filter(officer=officer).first()
    if feed is None:
        CalendarFeed.for_officer(officer)
        messages.success(request, "Your calendar address is ready.")
    else:
        feed.rotate()
        messages.success(request, "Calendar address changed: subscribers must use the new address.")
    return redirect("drills:list")


def feed(request, token: str):
    """Public (calendar apps cannot sign in): the token is the key, and it names one school's
    drills, an officer's (the schools of their current assignments, while they are active),
    a district's, or (the program feed) every district's."""
    feed = (
        CalendarFeed.objects.select_related("school", "officer__user", "district").filter(token=token).first()
    )
    if feed is None:
        raise Http404
    drills = Drill.objects.select_related("school").order_by("pk")
    if feed.officer is not None:
        officer = feed.officer
        if not officer.is_active or officer.user is None or not officer.user.is_active:
            raise Http404
        drills = drills.filter(school__in=officer.user.schools_in_scope().values("pk"))
        name = f"Drills: {officer.full_name}"
    elif feed.school is not None:
        drills = drills.filter(school=feed.school)
        name = f"Drills: {feed.school.name}"
    elif feed.district is not None:
        drills = drills.filter(school__district=feed.district)
        name = f"Drills: {feed.district.name}"
    else:
        name = "Drills: every district"
    today = timezone.localdate()
    drills = drills.in_school_year(school_year_for(today) - 1) | drills.in_school_year(school_year_for(today))
    response = HttpResponse(build_calendar(drills, name=name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="drills.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
