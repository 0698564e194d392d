from auditlog.signals import accessed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.models import Role
from accounts.permissions import coordinator_required, role_required
from core.pdf import pdf_response
from schools.filters import chosen_district, district_choices
from students.models import can_see_student_names, school_year_of

from . import publish, selectors, services
from .forms import ContactForm, EquityFilterForm, ProgramChangeForm
from .models import PoliceContact, ProgramChange

STAFF = (Role.SCHOOL_ADMIN, Role.OFFICER)


def get_contact_for_user(request, pk: int) -> PoliceContact:
    """The contact if the user may see it (404 otherwise); every look is an audited access."""
    contact = get_object_or_404(
        PoliceContact.objects.visible_to(request.user).select_related(
            "school", "student", "incident__category", "officer", "recorded_by"
        ),
        pk=pk,
    )
    accessed.send(sender=PoliceContact, instance=contact)
    return contact


def get_change_for_user(request, pk: int) -> ProgramChange:
    return get_object_or_404(ProgramChange.objects.visible_to(request.user).select_related("district"), pk=pk)


@role_required(*STAFF)
def contact_list(request):
    contacts = PoliceContact.objects.visible_to(request.user).select_related("school", "student", "officer")
    due_only = request.GET.get("notice") == "due"
    if due_only:
        contacts = contacts.needing_parent_notice()
    page = Paginator(contacts, 25).get_page(request.GET.get("page"))
    return render(request, "contacts/contact_list.html", {"page_obj": page, "due_only": due_only})


def _save(request, form, contact=None):
    data = {k: v for k, v in form.cleaned_data.items() if k != "student_id"}
    try:
        if contact is None:
            return services.record_contact(
                by=request.user, officer=form.officer or data.pop("officer", None), **data
            )
        data.setdefault("officer", contact.officer)
        return services.update_contact(contact=contact, by=request.user, changes=data)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return None


@role_required(*STAFF)
def contact_create(request):
    form = ContactForm(request.POST or None, user=request.user, initial={"occurred_at": timezone.localtime()})
    if request.method == "POST" and form.is_valid():
        contact = _save(request, form)
        if contact is not None:
            return redirect(contact)
    return render(request, "contacts/contact_form.html", {"form": form})


@role_required(*STAFF)
def contact_detail(request, pk: int):
    contact = get_contact_for_user(request, pk)
    return render(
        request,
        "contacts/contact_detail.html",
        {"contact": contact, "can_see_names": can_see_student_names(request.user)},
    )


@role_required(*STAFF)
def contact_edit(request, pk: int):
    contact = get_contact_for_user(request, pk)
    form = ContactForm(request.POST or None, instance=contact, user=request.user)
    if request.method == "POST" and form.is_valid():
        if _save(request, form, contact) is not None:
            return redirect(contact)
    return render(request, "contacts/contact_form.html", {"form": form, "contact": contact})


def _equity_context(request):
    """The scope (the user's schools, a district a program coordinator chose, or one school;
    None for every school, the program coordinator's totals) and the year and roster day the
    report reads."""
    today = timezone.localdate()
    form = EquityFilterForm(request.GET or {"year": school_year_of(today)}, user=request.user)
    schools = request.user.schools_in_scope()
    district = chosen_district(request)
    if district is not None:
        schools = schools.filter(district=district)
    year, roster_on, school = school_year_of(today), None, None
    if form.is_valid():
        data = form.cleaned_data
        year, roster_on, school = data["year"], data["roster_on"], data["school"]
        if school is not None:
            schools = schools.filter(pk=school.pk)
    roster_on = roster_on or selectors.default_roster_day(year, today)
    if request.user.is_program_coordinator and district is None and school is None:
        # Every school, said as None (core.queries.at_schools): the year's rows are not
        # semi-joined with all of them.
        return form, None, district, year, roster_on
    return form, schools, district, year, roster_on


@role_required(Role.SCHOOL_ADMIN)
def equity(request):
    form, schools, district, year, roster_on = _equity_context(request)
    measure = request.GET.get("measure", "referral")
    if measure not in selectors.MEASURE_LABELS:
        measure = "referral"
    report = selectors.equity_report(schools=schools, year=year, roster_on=roster_on, measures=[measure])
    tables = [
        {**publish.equity_table(t, published=False, key=t.dimension), "sentence": t.sentence}
        for t in report.measures[0].tables
    ]
    return render(
        request,
        "contacts/equity.html",
        {
            "form": form,
            "report": report,
            "measure": report.measures[0],
            "tables": tables,
            "measures": list(selectors.MEASURE_LABELS.items()),
            "chosen": measure,
            "share": publish.share_tables(
                selectors.conduct_share(schools=schools, year=year), published=False
            ),
            "districts": district_choices(request.user),
            "district": district,
            "query": request.GET.urlencode(),
        },
    )


def _published(request):
    _, schools, district, year, roster_on = _equity_context(request)
    return publish.published_report(schools=schools, year=year, roster_on=roster_on, district=district)


@role_required(Role.SCHOOL_ADMIN)
def equity_publish(request):
    return render(request, "contacts/equity_publish.html", _published(request))


@role_required(Role.SCHOOL_ADMIN)
def equity_pdf(request):
    return pdf_response(
        request,
        "contacts/equity_publish.html",
        {**_published(request), "pdf": True},
        filename="equity-report.pdf",
        stylesheet="css/equity-publish.css",
    )


@coordinator_required
def change_list(request):
    changes = ProgramChange.objects.visible_to(request.user).prefetch_related("schools")
    form = ProgramChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        schools = form.cleaned_data["schools"]
        change = services.record_program_change(
            by=request.user,
            district=schools[0].district,
            kind=form.cleaned_data["kind"],
            effective_on=form.cleaned_data["effective_on"],
            schools=schools,
            description=form.cleaned_data["description"],
        )
        return redirect(change)
    return render(request, "contacts/change_list.html", {"changes": changes, "form": form})


@coordinator_required
def evaluation(request, pk: int):
    change = get_change_for_user(request, pk)
    result = selectors.program_evaluation(change, today=timezone.localdate())
    return render(
        request,
        "contacts/evaluation.html",
        {
            "evaluation": result,
            "chart": publish.evaluation_chart(result),
            "groups": result.category_names,
        },
    )
