import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.forms.models import model_to_dict
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.models import Role, User
from accounts.permissions import coordinator_required, program_coordinator_required, role_required
from core.csv_export import ChoiceLabels, csv_response, streamed
from core.links import record_urls
from core.pagination import capped_page
from core.templatetags.dates import day as day_label
from core.validators import one_line
from core.views import confirm_and_delete
from schools.models import District

from . import selectors, services
from .filters import ActivityNoteFilter, AgencyFilter, OfficerFilter
from .forms import ActivityNoteForm, AgencyForm, AgreementForm, AmendmentForm, OfficerForm
from .models import ActivityNote, Agency, Agreement, Officer

PER_PAGE = 25


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


# --- Scope: one place per model ------------------------------------------------------------


def get_officer_for_user(request, pk: int) -> Officer:
    """Program coordinators see every officer, district coordinators their district's
    (`Officer.objects.visible_to`); an officer sees themself and the officers they supervise."""
    officers = Officer.objects.visible_to(request.user).select_related("agency", "supervisor", "user")
    return get_object_or_404(officers, pk=pk)


def get_agency_for_user(request, pk: int | None) -> Agency:
    return get_object_or_404(Agency.objects.visible_to(request.user), pk=pk)


def get_agreement_for_user(request, pk: int) -> Agreement:
    return get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related("agency", "district"), pk=pk
    )


def get_note_for_user(request, pk: int) -> ActivityNote:
    notes = ActivityNote.objects.visible_to(request.user).select_related(
        "officer", "school", "officer__agency"
    )
    return get_object_or_404(notes, pk=pk)


def get_own_note(request, pk: int) -> ActivityNote:
    """A note the signed-in officer filed; anyone else's is a 404."""
    note = get_note_for_user(request, pk)
    if not note.is_owned_by(request.user):
        raise Http404
    return note


def _officer_of(request) -> Officer:
    officer = request.user.officer_record
    if officer is None:
        raise PermissionDenied("Only an officer with an officer record files activity notes.")
    return officer


# --- Agencies ------------------------------------------------------------------------------


@coordinator_required
def agency_list(request):
    agencies = (
        Agency.objects.visible_to(request.user)
        .annotate(officer_count=Count("officers", filter=Q(officers__status="active")))
        .prefetch_related(_agreements_of(request.user))
        .order_by("name")
    )
    filterset = AgencyFilter(request.GET, queryset=agencies, user=request.user)
    context = {"filter": filterset, "page_obj": _page(request, filterset.qs), "today": timezone.localdate()}
    return render(request, "officers/agency_list.html", context)


def _visible_agreements(user: User) -> QuerySet[Agreement]:
    """The agreements the user may see (a district coordinator: their district's)."""
    return Agreement.objects.visible_to(user).select_related("district").order_by("district__name")


def _agreements_of(user: User) -> Prefetch:
    """An agency's agreements the user may see, prefetched as `visible_agreements`."""
    return Prefetch("agreements", queryset=_visible_agreements(user), to_attr="visible_agreements")


@coordinator_required
def agency_detail(request, pk: int):
    agency = get_agency_for_user(request, pk)
    agreements = list(_visible_agreements(request.user).filter(agency=agency))
    officers = Officer.objects.visible_to(request.user).filter(agency=agency).select_related("supervisor")
    today = timezone.localdate()
    for agreement in agreements:
        agreement.days_left = agreement.days_until_review(today)  # type: ignore[attr-defined]
        agreement.in_pilot = agreement.in_pilot_on(today)  # type: ignore[attr-defined]
    can_add = request.user.is_program_coordinator and len(agreements) < District.objects.count()
    context = {"agency": agency, "agreements": agreements, "officers": officers, "can_add_agreement": can_add}
    return render(request, "officers/agency_detail.html", context)


@program_coordinator_required
def agency_form(request, pk: int | None = None):
    """Agencies are shared by the districts they serve: the program coordinator keeps them."""
    agency = get_agency_for_user(request, pk) if pk else None
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        agency = form.save()
        messages.success(request, f"{agency} saved.")
        return redirect(agency)
    return render(request, "officers/agency_form.html", {"form": form, "agency": agency})


@program_coordinator_required
def agency_delete(request, pk: int):
    agency = get_agency_for_user(request, pk)
    return confirm_and_delete(
        request,
        agency,
        success_url=reverse("officers:agency_list"),
        protected_message=f"{agency} cannot be deleted: officers are recorded under it. "
        "Deactivate its officers instead.",
    )


@coordinator_required
def agreement_form(request, agency_pk: int | None = None, pk: int | None = None):
    """Add an agency's agreement with a district it does not serve yet (program coordinator),
    or edit one (the program coordinator, or the coordinator of the agreement's district)."""
    if pk:
        agreement = get_agreement_for_user(request, pk)
        agency, districts = agreement.agency, District.objects.filter(pk=agreement.district_id)
    else:
        if not request.user.is_program_coordinator:
            raise PermissionDenied
        agency = get_agency_for_user(request, agency_pk)
        agreement = Agreement(agency=agency)
        districts = District.objects.exclude(agreements__agency=agency)
    form = AgreementForm(request.POST or None, request.FILES or None, instance=agreement, districts=districts)
    if request.method == "POST" and form.is_valid():
        agreement = form.save()
        messages.success(request, f"{agreement} saved.")
        return redirect(agency)
    context = {"form": form, "agency": agency, "agreement": agreement if pk else None}
    return render(request, "officers/agreement_form.html", context)


@program_coordinator_required
def agreement_delete(request, pk: int):
    agreement = get_agreement_for_user(request, pk)
    return confirm_and_delete(
        request, agreement, success_url=agreement.get_absolute_url(), protected_message=""
    )


@coordinator_required
def agreement_document(request, pk: int):
    """The signed MOU, to the coordinators of its district (uploads are never served from
    MEDIA_ROOT directly)."""
    agreement = get_agreement_for_user(request, pk)
    if not agreement.document:
        raise Http404
    return FileResponse(
        agreement.document.open("rb"),
        as_attachment=True,
        filename=f"MOU - {one_line(agreement.agency.name)} - {one_line(agreement.district.name)}.pdf",
        content_type="application/pdf",
    )


# --- Officers ------------------------------------------------------------------------------


@coordinator_required
def officer_list(request):
    officers = Officer.objects.visible_to(request.user).select_related("agency", "supervisor")
    filterset = OfficerFilter(request.GET, queryset=officers, user=request.user)
    return render(
        request, "officers/officer_list.html", {"filter": filterset, "page_obj": _page(request, filterset.qs)}
    )


@coordinator_required
def officer_detail(request, pk: int):
    officer = get_officer_for_user(request, pk)
    # An officer may serve schools of several districts: each coordinator sees their own.
    in_scope = request.user.schools_in_scope().values("pk")
    assignments = (
        officer.assignments.filter(school__in=in_scope).select_related("school").order_by("-start_date")
    )
    today = timezone.localdate()
    return render(
        request,
        "officers/officer_detail.html",
        {"officer": officer, "assignments": assignments, "today": today},
    )


@coordinator_required
def officer_form(request, pk: int | None = None):
    officer = get_officer_for_user(request, pk) if pk else None
    previous_status = officer.status if officer else None
    form = OfficerForm(request.POST or None, instance=officer, user=request.user)
    if request.method == "POST" and form.is_valid():
        officer = services.save_officer(
            officer=form.save(commit=False), previous_status=previous_status, today=timezone.localdate()
        )
        messages.success(request, f"{officer} saved.")
        return redirect(officer)
    return render(request, "officers/officer_form.html", {"form": form, "officer": officer})


@coordinator_required
def officer_deactivate(request, pk: int):
    """Officers are never deleted; a POST (after this confirmation page) makes them inactive."""
    officer = get_officer_for_user(request, pk)
    if request.method == "POST":
        ended = services.deactivate_officer(officer=officer, today=timezone.localdate())
        messages.success(
            request,
            f"{officer} is now inactive and signed out everywhere; {ended} current "
            f"assignment{'s' if ended != 1 else ''} ended today. Their records are kept.",
        )
        return redirect(officer)
    return render(request, "officers/officer_deactivate.html", {"officer": officer})


@coordinator_required
def officer_reactivate(request, pk: int):
    """A POST (after this confirmation page) makes an inactive officer and their login active."""
    officer = get_officer_for_user(request, pk)
    if request.method == "POST":
        services.reactivate_officer(officer=officer)
        messages.success(
            request, f"{officer} is active again and can sign in. Add an assignment to give access."
        )
        return redirect(officer)
    return render(request, "officers/officer_reactivate.html", {"officer": officer})


# --- Activity notes ------------------------------------------------------------------------


def _week_from(request) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    return selectors.week_start(day)


def _render_week(request, officer: Officer, *, own: bool):
    start = _week_from(request)
    summary = selectors.week_summary(officer, start, visible=ActivityNote.objects.visible_to(request.user))
    context = {
        "summary": summary,
        "own": own,
        "previous_week": start - datetime.timedelta(days=7),
        "next_week": start + datetime.timedelta(days=7),
        "this_week": selectors.week_start(timezone.localdate()),
        "today": timezone.localdate(),
    }
    return render(request, "officers/week.html", context)


@role_required(Role.OFFICER)
def my_week(request):
    if request.user.officer_record is None:
        return redirect("officers:note_list")
    return _render_week(request, request.user.officer_record, own=True)


@role_required(Role.OFFICER)
def officer_week(request, pk: int):
    """An officer's week, for coordinators and the officer's supervisor."""
    officer = get_officer_for_user(request, pk)
    return _render_week(request, officer, own=officer.user_id == request.user.pk)


def _notes_for_list(request):
    notes = ActivityNote.objects.visible_to(request.user).select_related("officer", "school")
    return ActivityNoteFilter(request.GET, queryset=notes.order_by("-date", "-created_at"), request=request)


@role_required(Role.SCHOOL_ADMIN, Role.OFFICER)
def note_list(request):
    filterset = _notes_for_list(request)
    # A million notes: counted only so far ahead (core.pagination).
    page = capped_page(filterset.qs, PER_PAGE, request.GET.get("page"), counted=filterset.qs.order_by())
    # Each note with its link and duty category, made once for the page rather than by a
    # reverse() and a get_category_display() a row.
    display = ChoiceLabels(ActivityNote, "category")
    urls = record_urls("officers:note_detail", (note.pk for note in page))
    context = {
        "filter": filterset,
        "page_obj": page,
        "notes": [(note, url, display(note, "category")) for note, url in zip(page, urls, strict=True)],
        "show_narrative": not request.user.is_school_admin,
        "can_export": not request.user.is_officer,
    }
    return render(request, "officers/note_list.html", context)


@role_required(Role.SCHOOL_ADMIN)
def note_export(request):
    """The filtered notes as CSV, streamed. School administrators get no narrative column."""
    filterset = _notes_for_list(request)
    with_narrative = request.user.is_coordinator
    header = ["Date", "Officer", "Badge", "School", "Duty category", "Topic", "Minutes", "Students contacted"]
    header += ["Follow-up", "Follow up by", "Follow-up done"] + (["Narrative"] if with_narrative else [])
    fields = ["date", "officer__first_name", "officer__last_name", "officer__badge_number", "school__name"]
    fields += ["category", "topic", "minutes", "students_contacted", "follow_up", "follow_up_date"]
    fields += ["follow_up_done_at"] + (["narrative"] if with_narrative else [])

    display = ChoiceLabels(ActivityNote, "category")

    def rows():
        yield header
        # Only the columns the rows write (not the officer's and school's other details).
        for note in streamed(filterset.qs.only(*fields)):
            row = [
                note.date.isoformat(),
                note.officer.full_name,
                note.officer.badge_number,
                note.school.name,
                display(note, "category"),
                note.topic,
                note.minutes,
                note.students_contacted,
                "yes" if note.follow_up else "no",
                note.follow_up_date.isoformat() if note.follow_up_date else "",
                "yes" if note.follow_up_done_at else "",
            ]
            yield row + ([note.narrative] if with_narrative else [])

    return csv_response(rows(), f"activity-notes-{timezone.localdate()}.csv")


@role_required(Role.SCHOOL_ADMIN, Role.OFFICER)
def note_detail(request, pk: int):
    note = get_note_for_user(request, pk)
    context = {
        "note": note,
        "show_narrative": note.narrative_visible_to(request.user),
        "own": note.is_owned_by(request.user),
        "locked": note.is_locked(),
        "amendments": note.amendments.select_related("amended_by")
        if not request.user.is_school_admin
        else [],
    }
    return render(request, "officers/note_detail.html", context)


@role_required(Role.OFFICER)
def note_create(request):
    officer = _officer_of(request)
    form = ActivityNoteForm(request.POST or None, officer=officer)
    if request.method == "GET" and request.GET.get("date"):
        form.initial["date"] = request.GET["date"]
    if request.method == "POST" and form.is_valid():
        note = form.save()
        messages.success(request, f"Note saved: {note.get_category_display()}, {note.minutes} min.")
        if "another" in request.POST:
            return redirect("officers:note_create")
        return redirect(_week_url(note.date))
    return render(request, "officers/note_form.html", {"form": form, "title": "New activity note"})


def _week_url(day: datetime.date) -> str:
    return f"{reverse('officers:my_week')}?week={selectors.week_start(day).isoformat()}"


@role_required(Role.OFFICER)
def note_update(request, pk: int):
    note = get_own_note(request, pk)
    if note.is_locked():
        return redirect("officers:note_amend", pk=note.pk)
    form = ActivityNoteForm(request.POST or None, instance=note, officer=note.officer)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Note updated.")
        return redirect(_week_url(note.date))
    return render(
        request, "officers/note_form.html", {"form": form, "note": note, "title": "Edit activity note"}
    )


@role_required(Role.OFFICER)
def note_amend(request, pk: int):
    """A locked note (older than 7 days) changes only with a reason, kept in the audit trail."""
    note = get_own_note(request, pk)
    if not note.is_locked():
        return redirect("officers:note_update", pk=note.pk)
    original = model_to_dict(note, fields=services.AMENDABLE)
    form = AmendmentForm(request.POST or None, instance=note, officer=note.officer)
    if request.method == "POST" and form.is_valid():
        try:
            services.amend_note(
                note=form.instance, by=request.user, reason=form.cleaned_data["reason"], original=original
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Amendment saved with its reason.")
            return redirect(note)
    return render(
        request,
        "officers/note_form.html",
        {"form": form, "note": note, "title": "Amend a locked note", "amend": True},
    )


@role_required(Role.OFFICER)
@require_POST
def note_follow_up_done(request, pk: int):
    note = get_own_note(request, pk)
    note.mark_follow_up_done()
    messages.success(request, f"Follow-up from {day_label(note.date)} marked done.")
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    return redirect(target if safe and target.startswith("/") else "officers:my_week")
