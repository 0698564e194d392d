from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import coordinator_required, program_coordinator_required, role_required
from core import datacache
from core.csv_export import ChoiceLabels, csv_response, streamed
from core.links import record_urls
from officers.models import Officer
from schools.filters import chosen_district, district_choices

from . import selectors, services
from .filters import RecordFilter
from .forms import CourseForm, RejectForm, RequirementForm, TrainingRecordForm
from .models import Course, RecordStatus, Requirement, TrainingRecord

officer_or_coordinator = role_required(Role.OFFICER)


# --- scope: one place per model ------------------------------------------------------------


def get_record_for_user(request, pk: int) -> TrainingRecord:
    """The record, if the user may see it (coordinators: all; officers: their own); else 404."""
    records = TrainingRecord.objects.visible_to(request.user).select_related(
        "officer", "course", "submitted_by", "verified_by"
    )
    return get_object_or_404(records, pk=pk)


def get_officer_for_user(request, pk: int) -> Officer:
    """Coordinators may open any officer's training page; an officer only their own."""
    if request.user.is_coordinator:
        return get_object_or_404(Officer.objects.visible_to(request.user).select_related("agency"), pk=pk)
    own = request.user.officer_record
    if own is None or own.pk != pk:
        raise Http404
    return own


def own_officer(request) -> Officer:
    officer = request.user.officer_record
    if officer is None:
        raise Http404("No officer record is linked to this account.")
    return officer


# --- compliance ----------------------------------------------------------------------------


@officer_or_coordinator
def home(request):
    if request.user.is_coordinator:
        return redirect("training:matrix")
    return redirect("training:my_training")


def _filter_rows(rows, show: str):
    if show == "out":
        return [row for row in rows if not row.is_compliant]
    if show == "attention":
        return [row for row in rows if any(c.state != selectors.State.CURRENT for c in row.cells)]
    return rows


def _officers_in_view(request):
    """The active officers the coordinator sees, narrowed to a chosen district."""
    return Officer.objects.visible_to(request.user).serving(chosen_district(request)).active()


def _scope_key(request) -> str:
    user = request.user
    return "program" if user.is_program_coordinator else f"district-{user.district_id}"


@coordinator_required
def matrix(request):
    def context() -> dict:
        result = selectors.matrix(_officers_in_view(request))
        show = request.GET.get("show", "")
        page = Paginator(_filter_rows(result.rows, show), 25).get_page(request.GET.get("page"))
        pending = TrainingRecord.objects.visible_to(request.user).filter(status=RecordStatus.PENDING).count()
        return {
            "matrix": result,
            "page_obj": page,
            "show": show,
            "pending": pending,
            "districts": district_choices(request.user),
            "district": chosen_district(request),
        }

    # Every officer against every course: kept for the day, per scope, until a record, the
    # catalogue, an officer or an assignment changes.
    parts = ("training-matrix", timezone.localdate(), _scope_key(request), request.GET.urlencode())
    html = datacache.remember_html(parts, ["training"], "training/_matrix.html", context, request=request)
    return render(request, "training/matrix.html", {"matrix_html": html})


@coordinator_required
def matrix_csv(request):
    result = selectors.matrix(_officers_in_view(request))

    def rows():
        yield [
            "Officer",
            "Badge",
            "Agency",
            "Compliant",
            *[r.course.name for r in result.requirements],
            "Reasons",
        ]
        for row in _filter_rows(result.rows, request.GET.get("show", "")):
            yield [
                row.officer.full_name,
                row.officer.badge_number,
                row.officer.agency.name,
                "yes" if row.is_compliant else "no",
                *[cell.csv_label for cell in row.cells],
                "; ".join(row.reasons),
            ]

    return csv_response(rows(), f"training-compliance-{result.today:%Y-%m-%d}.csv")


def _officer_page(request, officer: Officer):
    row = selectors.officer_compliance(officer)
    records = officer.training_records.select_related("course").order_by("-completed_on", "-pk")
    return render(
        request,
        "training/officer.html",
        {
            "officer": officer,
            "row": row,
            "records": records,
            "hours": selectors.hours_by_year(officer),
            "is_self": officer.user_id == request.user.pk,
        },
    )


@officer_or_coordinator
def my_training(request):
    return _officer_page(request, own_officer(request))


@officer_or_coordinator
def officer_training(request, pk: int):
    return _officer_page(request, get_officer_for_user(request, pk))


@coordinator_required
def hours(request):
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    rows = selectors.hours_by_officer(year, _officers_in_view(request).select_related("agency"))
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"training-hours-{year}.csv",
            rows=[["Officer", "Badge", "Agency", f"Verified hours {year}"]]
            + [
                [r["officer"].full_name, r["officer"].badge_number, r["officer"].agency.name, r["hours"]]
                for r in rows
            ],
        )
    # Each officer's link from one reverse() of the route (120 officers: 120 {% url %} tags).
    for row, url in zip(rows, record_urls("training:officer", (r["officer"].pk for r in rows)), strict=True):
        row["url"] = url
    years = range(this_year, this_year - 6, -1)
    context = {"rows": rows, "year": year, "years": years}
    context |= {"districts": district_choices(request.user), "district": chosen_district(request)}
    return render(request, "training/hours.html", context)


# --- records -------------------------------------------------------------------------------


def _filtered_records(request):
    records = TrainingRecord.objects.visible_to(request.user).select_related("officer", "course")
    return RecordFilter(request.GET, queryset=records, user=request.user)


@officer_or_coordinator
def record_list(request):
    if not request.user.is_coordinator:
        own_officer(request)
    filterset = _filtered_records(request)
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    return render(request, "training/record_list.html", {"filter": filterset, "page_obj": page})


@officer_or_coordinator
def record_csv(request):
    filterset = _filtered_records(request)
    display = ChoiceLabels(TrainingRecord, "status")

    def rows():
        yield [
            "Officer",
            "Badge",
            "Course",
            "Completed",
            "Hours",
            "Provider",
            "Valid through",
            "Status",
            "Verified by",
        ]
        for r in streamed(filterset.qs.select_related("verified_by")):
            yield [
                r.officer.full_name,
                r.officer.badge_number,
                r.course.name,
                r.completed_on.isoformat(),
                r.hours,
                r.provider,
                r.expires_on.isoformat() if r.expires_on else "",
                display(r, "status"),
                str(r.verified_by or ""),
            ]

    return csv_response(rows(), f"training-records-{timezone.localdate():%Y-%m-%d}.csv")


@officer_or_coordinator
def record_create(request):
    if not request.user.is_coordinator:
        own_officer(request)
    initial = {"officer": request.GET.get("officer")} if request.user.is_coordinator else {}
    form = TrainingRecordForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        record = services.record_save(record=form.save(commit=False), by=request.user)
        messages.success(request, f"{record.course} submitted. A coordinator will verify it.")
        return redirect(record)
    return render(request, "training/record_form.html", {"form": form})


@officer_or_coordinator
def record_edit(request, pk: int):
    record = get_record_for_user(request, pk)
    was_verified = record.status == RecordStatus.VERIFIED
    form = TrainingRecordForm(request.POST or None, request.FILES or None, instance=record, user=request.user)
    if request.method == "POST" and form.is_valid():
        record = services.record_save(record=form.save(commit=False), by=request.user)
        if was_verified and record.is_pending:
            messages.info(request, "Changes saved. The record goes back to a coordinator for verification.")
        else:
            messages.success(request, "Changes saved.")
        return redirect(record)
    return render(request, "training/record_form.html", {"form": form, "record": record})


@officer_or_coordinator
def record_detail(request, pk: int):
    record = get_record_for_user(request, pk)
    return render(request, "training/record_detail.html", _detail_context(request, record))


def _detail_context(request, record, reject_form=None) -> dict:
    can_verify = False
    if record.is_pending:
        try:
            record.check_verifier(request.user)
            can_verify = True
        except PermissionDenied:
            pass
    return {"record": record, "can_verify": can_verify, "reject_form": reject_form or RejectForm()}


@coordinator_required
@require_POST
def record_verify(request, pk: int):
    record = get_record_for_user(request, pk)
    try:
        services.record_verify(record=record, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Verified: {record.course} for {record.officer.full_name}.")
    return redirect(record)


@coordinator_required
@require_POST
def record_reject(request, pk: int):
    record = get_record_for_user(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return render(
            request, "training/record_detail.html", _detail_context(request, record, form), status=400
        )
    try:
        services.record_reject(record=record, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Rejected: {record.course} for {record.officer.full_name}.")
    return redirect(record)


@officer_or_coordinator
def certificate(request, pk: int):
    record = get_record_for_user(request, pk)
    if not record.certificate:
        raise Http404
    response = FileResponse(
        record.certificate.open("rb"),
        content_type=record.certificate_type or "application/octet-stream",
        as_attachment=request.GET.get("download") == "1",
        filename=f"certificate-{record.pk}{record.certificate.name[record.certificate.name.rfind('.') :]}",
    )
    if record.certificate_type.startswith("image/"):
        # An image shown inline runs nothing. (PDFs get no sandbox: Chrome then refuses to show
        # them; its PDF viewer isolates a PDF's scripts itself.)
        response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["Cache-Control"] = "private, no-store"
    return response


# --- courses and requirements -----------------------------------------------------------------


@program_coordinator_required
def course_edit(request, pk: int | None = None):
    course = get_object_or_404(Course, pk=pk) if pk else None
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Course saved: {form.instance}.")
        return redirect("training:requirement_list")
    return render(request, "training/course_form.html", {"form": form, "course": course})


@coordinator_required
def requirement_list(request):
    requirements = Requirement.objects.select_related("course").order_by("course__name")
    courses = Course.objects.order_by("name")
    return render(
        request, "training/requirement_list.html", {"requirements": requirements, "courses": courses}
    )


@program_coordinator_required
def requirement_edit(request, pk: int | None = None):
    requirement = get_object_or_404(Requirement, pk=pk) if pk else None
    form = RequirementForm(request.POST or None, instance=requirement)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Requirement saved: {form.instance.course}.")
        return redirect("training:requirement_list")
    return render(request, "training/requirement_form.html", {"form": form, "requirement": requirement})


@program_coordinator_required
def requirement_delete(request, pk: int):
    requirement = get_object_or_404(Requirement.objects.select_related("course"), pk=pk)
    if request.method == "POST":
        requirement.delete()
        messages.success(request, f"{requirement.course} is no longer required.")
        return redirect("training:requirement_list")
    return render(request, "training/requirement_confirm_delete.html", {"requirement": requirement})
