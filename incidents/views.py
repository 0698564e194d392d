from auditlog.signals import accessed
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import coordinator_required, program_coordinator_required, role_required
from core import datacache
from core.csv_export import ChoiceLabels, csv_response, streamed
from core.links import record_urls
from core.pagination import capped_page
from core.pdf import pdf_response
from core.queries import count_of
from core.templatetags.dates import moment
from core.validators import one_line
from schools.filters import chosen_district, district_choices
from schools.models import District, School
from students.models import can_see_student_names, school_year_of

from . import reports, selectors, services
from .filters import IncidentFilter
from .forms import (
    ActionDoneForm,
    AttachmentForm,
    BasePersonFormSet,
    CategoryForm,
    ClassifyForm,
    CrdcCollectionForm,
    IncidentCorrectionForm,
    IncidentForm,
    PersonFormSet,
    ReportYearForm,
    SafetyPlanForm,
    SsecMappingForm,
    StatusForm,
    ThreatAssessmentForm,
    ThresholdFormSet,
)
from .models import (
    SRO_LEVEL,
    Alert,
    Attachment,
    CrdcCollection,
    Incident,
    IncidentCategory,
    IncidentPerson,
    InterventionLevel,
    SafetyPlan,
    SsecMapping,
    Status,
    ThreatAction,
    ThreatAssessment,
    Threshold,
    ssec_mappings_in,
)

ANY_ROLE = (Role.SCHOOL_ADMIN, Role.OFFICER)


def get_incident_for_user(request, pk: int, *, audit: bool = True) -> Incident:
    """The incident if the user may see it (404 otherwise); every look is an audited access
    (`audit=False` only for the alert-status poll of a page whose view was audited)."""
    incident = get_object_or_404(
        Incident.objects.visible_to(request.user).select_related("school", "category", "reported_by"), pk=pk
    )
    if audit:
        accessed.send(sender=Incident, instance=incident)
    return incident


def get_threat_for_user(request, pk: int) -> ThreatAssessment:
    assessment = get_object_or_404(
        ThreatAssessment.objects.visible_to(request.user).select_related(
            "school", "incident", "created_by", "student_record"
        ),
        pk=pk,
    )
    accessed.send(sender=ThreatAssessment, instance=assessment)
    return assessment


# --- Incidents -----------------------------------------------------------------------------


def _filtered_incidents(request):
    incidents = Incident.objects.visible_to(request.user).select_related("school", "category")
    return IncidentFilter(request.GET or None, queryset=incidents, user=request.user)


@role_required(*ANY_ROLE)
def incident_list(request):
    filterset = _filtered_incidents(request)
    # Rows are read as plain values (the list shows nothing else; no model instances), and
    # people and open alerts are counted by per-row subqueries, not joins with GROUP BY: the
    # page's count stays a plain COUNT(*) and the database counts for the 25 rows shown only
    # (a join made the unfiltered list of 250,000 incidents take over a second).
    incidents = (
        filterset.qs.order_by("-occurred_at", "-pk")
        .annotate(
            people_count=count_of(IncidentPerson.objects.all(), "incident"),
            open_alerts=count_of(
                Alert.objects.filter(acknowledged_at__isnull=True, kind="officer"), "incident"
            ),
        )
        .values(
            "pk",
            "occurred_at",
            "weapon_type",
            "level",
            "table_level",
            "status",
            "school__name",
            "category__name",
            "people_count",
            "open_alerts",
        )  # fmt: skip
    )
    # Counted without the per-row counts, and only so far (core.pagination).
    counted = filterset.qs.order_by().values("pk")
    page = capped_page(incidents, 25, request.GET.get("page"), counted=counted)
    urls = record_urls("incidents:detail", (values["pk"] for values in page.object_list))
    rows = [_list_row(values, url) for values, url in zip(page.object_list, urls, strict=True)]
    return render(
        request, "incidents/incident_list.html", {"filter": filterset, "page_obj": page, "rows": rows}
    )


def _list_row(values: dict, url: str) -> dict:
    """What a row of the list shows (the template reads a dict's keys much faster than a
    model's attributes), with its link (made for the page by core.links.record_urls)."""
    return {
        "url": url,
        "when": moment(values["occurred_at"]),
        "school": values["school__name"],
        "category": values["category__name"],
        "weapon": bool(values["weapon_type"]),
        "level": values["level"],
        "level_label": InterventionLevel(values["level"]).label,
        "overridden": values["level"] != values["table_level"],
        "open_alerts": values["open_alerts"],
        "status": Status(values["status"]).label,
        "people": values["people_count"],
    }


CSV_HEADER = [
    "ID", "School", "Occurred at", "Location", "Category", "Severity", "Intervention level",
    "Table intervention level",
    "Override reason", "Status", "Weapon", "Injuries", "Referred to law enforcement",
    "School-related arrest", "People", "Retention until",
]  # fmt: skip


# What _incident_row reads, for the export's only().
CSV_FIELDS = [
    "school__name", "occurred_at", "location", "category__name", "severity", "level", "table_level",
    "override_reason", "status", "weapon_type", "injuries", "referred_to_law_enforcement",
    "school_related_arrest", "retention_until",
]  # fmt: skip


def _incident_row(i: Incident, display: ChoiceLabels) -> list:
    return [
        i.pk,
        i.school.name,
        timezone.localtime(i.occurred_at).strftime("%Y-%m-%d %H:%M"),
        display(i, "location"),
        i.category.name,
        display(i, "severity"),
        display(i, "level"),
        display(i, "table_level"),
        i.override_reason,
        display(i, "status"),
        display(i, "weapon_type"),
        display(i, "injuries"),
        "yes" if i.referred_to_law_enforcement else "no",
        "yes" if i.school_related_arrest else "no",
        i.people_count,  # type: ignore[attr-defined]  # annotated by the export's queryset
        i.retention_until.isoformat(),
    ]


@role_required(*ANY_ROLE)
def incident_export(request):
    # Only the columns the rows write: the description, the school's address and the rest were
    # read and built into 2,000 instances before the first row went out.
    incidents = (
        _filtered_incidents(request)
        .qs.only(*CSV_FIELDS)
        .annotate(people_count=count_of(IncidentPerson.objects.all(), "incident"))
    )

    display = ChoiceLabels(
        Incident, "location", "severity", "level", "table_level", "status", "weapon_type", "injuries"
    )

    def rows():
        yield CSV_HEADER
        for i in streamed(incidents):
            yield _incident_row(i, display)

    return csv_response(rows(), "incidents.csv")


@role_required(*ANY_ROLE)
@never_cache
def incident_preview(request):
    # What the threshold table would do for the form's school, category and severity, for the
    # report form's script (the form says it too, server-rendered, once they are chosen).
    form = IncidentForm(user=request.user)
    school = form.fields["school"].queryset.filter(pk=_int(request.GET.get("school"))).first()
    category = form.fields["category"].queryset.filter(pk=_int(request.GET.get("category"))).first()
    severity = request.GET.get("severity", "")
    if (
        school is None
        or category is None
        or severity not in dict(Incident._meta.get_field("severity").choices)
    ):
        return JsonResponse({"text": ""})
    return JsonResponse(
        {"text": selectors.what_will_happen(school=school, category=category, severity=severity)}
    )


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def _preview(form: IncidentForm) -> str:
    data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    school, category, severity = data.get("school"), data.get("category"), data.get("severity")
    if school and category and severity:
        return selectors.what_will_happen(school=school, category=category, severity=severity)
    return ""


def _people_formset(request, school: School | None) -> BasePersonFormSet:
    """The people rows of the report form and of Add people (templates/incidents/includes/
    person_rows.html): students are looked up among `school`'s."""
    return PersonFormSet(
        request.POST or None,
        prefix="people",
        form_kwargs={"school": school, "names": can_see_student_names(request.user)},
    )


@role_required(*ANY_ROLE)
def incident_create(request):
    form = IncidentForm(request.POST or None, request.FILES or None, user=request.user)
    school = None
    if form.is_bound:
        form.is_valid()  # students are looked up among the chosen school's, even if another field is wrong
        school = form.cleaned_data.get("school")
    people = _people_formset(request, school)
    if request.method == "POST" and form.is_valid() and people.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "attachment"}
        upload = form.cleaned_data.get("attachment")
        try:
            incident = services.report_incident(
                reported_by=request.user,
                people=people.people(),
                attachments=[upload] if upload else [],
                **data,
            )
        except services.DuplicateSubmission as duplicate:
            messages.info(request, "This report was already logged: here it is. Nothing was sent twice.")
            return _after_report(request, duplicate.incident)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if incident.level < SRO_LEVEL:
                # An SRO-level report's page opens with what to do and who was alerted instead.
                messages.success(request, "Incident logged: the school handles it, no SRO is involved.")
            return _after_report(request, incident)
    return render(
        request, "incidents/incident_form.html", {"form": form, "people": people, "preview": _preview(form)}
    )


def _after_report(request, incident: Incident):
    if Incident.objects.visible_to(request.user).filter(pk=incident.pk).exists():
        return redirect(incident)
    return redirect("incidents:list")


def _alerts_of(incident: Incident) -> list[Alert]:
    return selectors.with_deliveries(
        list(incident.alerts.select_related("officer__supervisor__user", "recipient", "acknowledged_by"))
    )


def _record_of(incident: Incident, user) -> dict:
    """What the incident's page and its PDF show of it (one rule for both)."""
    alerts = _alerts_of(incident)
    return {
        "incident": incident,
        "people": _people_shown(incident, user),
        "alerts": alerts,
        "timeline": incident.timeline(alerts),
        "alert_status": selectors.alert_status(incident, alerts),
        "attachments": incident.attachments.all(),
    }


@role_required(*ANY_ROLE)
def incident_detail(request, pk: int):
    return _incident_page(request, get_incident_for_user(request, pk))


def _incident_page(
    request, incident: Incident, *, status_form: StatusForm | None = None,
    attachment_form: AttachmentForm | None = None,
) -> HttpResponse:  # fmt: skip
    """The incident's page; with a form that was refused, at status 400 with what was typed."""
    context = _record_of(incident, request.user)
    context.update(
        my_alerts=[a for a in context["alerts"] if a.can_acknowledge(request.user)],
        status_form=status_form or StatusForm(incident=incident),
        attachment_form=attachment_form or AttachmentForm(),
    )
    return render(
        request,
        "incidents/incident_detail.html",
        context,
        status=400 if status_form or attachment_form else 200,
    )


@role_required(*ANY_ROLE)
def incident_pdf(request, pk: int):
    """The incident's record as a PDF, from the page's own parts; an audited access as the page is."""
    incident = get_incident_for_user(request, pk)
    context = {**_record_of(incident, request.user), "pdf": True}
    return pdf_response(
        request, "incidents/incident_pdf.html", context, filename=f"incident-{incident.pk}.pdf"
    )


def _people_shown(incident: Incident, user) -> list[IncidentPerson]:
    names = can_see_student_names(user)
    people = list(incident.people.select_related("student"))
    for person in people:
        person.who = person.label(names=names)  # type: ignore[attr-defined]
    return people


@role_required(Role.SCHOOL_ADMIN)
def incident_edit(request, pk: int):
    # The reporting school's administrators and coordinators correct a logged incident.
    incident = get_incident_for_user(request, pk)
    form = IncidentCorrectionForm(request.POST or None, instance=incident, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.correct_incident(
                incident=incident,
                by=request.user,
                changes={name: data[name] for name in services.CORRECTABLE if name in data},
                level_override=data.get("level_override"),
                override_reason=data.get("override_reason", ""),
                reason=data.get("reason", ""),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Incident corrected. The change is on its timeline.")
            return redirect(incident)
    return render(request, "incidents/incident_edit.html", {"form": form, "incident": incident})


@role_required(Role.SCHOOL_ADMIN)
def incident_people(request, pk: int):
    """Add the people involved to a logged incident: the report form leaves them for later, so
    that the first minute goes to the report. Who may correct the incident may add them."""
    incident = get_incident_for_user(request, pk)
    people = _people_formset(request, incident.school)
    if request.method == "POST" and people.is_valid():
        added = services.add_people(incident=incident, by=request.user, people=people.people())
        if added:
            who = "1 person" if added == 1 else f"{added} people"
            messages.success(request, f"{who} added to the incident.")
            return redirect(incident)
        messages.info(request, "Nothing was added: fill in at least one person.")
    return render(request, "incidents/incident_people.html", {"incident": incident, "people": people})


@role_required(*ANY_ROLE)
@require_POST
def incident_status(request, pk: int):
    incident = get_incident_for_user(request, pk)
    form = StatusForm(request.POST, incident=incident)
    if form.is_valid():
        incident.change_status(
            to=form.cleaned_data["status"], by=request.user, note=form.cleaned_data["note"],
            outcome=form.cleaned_data["outcome"],
        )  # fmt: skip
        messages.success(request, f"Status changed to {incident.get_status_display()}.")
        return redirect(incident)
    return _incident_page(request, incident, status_form=form)


@role_required(*ANY_ROLE)
@require_POST
def attachment_upload(request, pk: int):
    incident = get_incident_for_user(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _incident_page(request, incident, attachment_form=form)
    services.add_attachment(incident=incident, upload=form.cleaned_data["file"], by=request.user)
    messages.success(request, "File attached.")
    return redirect(incident)


@role_required(*ANY_ROLE)
def attachment_download(request, pk: int):
    attachment = get_object_or_404(
        Attachment.objects.filter(incident__in=Incident.objects.visible_to(request.user)), pk=pk
    )
    accessed.send(sender=Attachment, instance=attachment)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=one_line(attachment.original_name),
        content_type=attachment.content_type,
    )


@role_required(*ANY_ROLE)
@never_cache
def incident_alerts_json(request, pk: int):
    # Polled by the incident page every few seconds: who was alerted and where each message
    # is. Names of staff and officers only, no student data.
    incident = get_incident_for_user(request, pk, audit=False)
    return JsonResponse(selectors.alert_status(incident, _alerts_of(incident)))


@role_required(*ANY_ROLE)
@never_cache
def my_alerts_json(request):
    # Polled by every page of a signed-in user: their alerts not yet acknowledged, for the
    # banner (incident, school, place; no student data).
    return JsonResponse({"alerts": selectors.pending_alerts_for(request.user)})


@role_required(*ANY_ROLE)
@require_POST
def alerts_acknowledge(request):
    ids = [int(pk) for pk in request.POST.getlist("alert") if pk.isdigit()]
    alerts = Alert.objects.filter(recipient=request.user, pk__in=ids)
    done = sum(services.acknowledge_alert(alert=alert, user=request.user) for alert in alerts)
    if done:
        messages.success(request, f"{done} alert{'s' if done != 1 else ''} acknowledged.")
    else:
        messages.info(request, "Choose the alerts to acknowledge (those shown were already acknowledged).")
    return redirect("reports:dashboard")


@role_required(*ANY_ROLE)
@require_POST
def alert_acknowledge(request, pk: int):
    alert = get_object_or_404(Alert.objects.filter(recipient=request.user), pk=pk)
    if services.acknowledge_alert(alert=alert, user=request.user):
        messages.success(request, "Alert acknowledged. The reporting school can see you are on it.")
    else:
        messages.info(request, "This alert was already acknowledged.")
    if Incident.objects.visible_to(request.user).filter(pk=alert.incident_id).exists():
        return redirect(alert.incident)
    return redirect("core:notifications")


# --- Categories and thresholds (coordinators) ------------------------------------------------


@role_required(*ANY_ROLE)
def threshold_guide(request):
    # Everyone who reports reads the table (coordinators edit it at threshold_table).
    rows = (
        Threshold.objects.select_related("category")
        .filter(category__active=True)
        .order_by("category__name", "severity")
    )
    return render(request, "incidents/threshold_guide.html", {"rows": rows})


@program_coordinator_required
def threshold_table(request):
    rows = Threshold.objects.select_related("category").filter(category__active=True)
    formset = ThresholdFormSet(request.POST or None, queryset=rows)
    if request.method == "POST" and formset.is_valid():
        formset.save()
        messages.success(request, "Threshold table saved. It applies to incidents logged from now on.")
        return redirect("incidents:thresholds")
    return render(request, "incidents/threshold_table.html", {"formset": formset})


@program_coordinator_required
def category_list(request):
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            category = form.save()
            from .defaults import SEVERITIES

            for severity in SEVERITIES:
                Threshold.objects.create(
                    category=category,
                    severity=severity,
                    level=0 if category.is_code_of_conduct else 1,
                    response_minutes=None if category.is_code_of_conduct else 24 * 60,
                )
        messages.success(request, f"Category “{category}” added. Review its thresholds below.")
        return redirect("incidents:thresholds")
    year = school_year_of(timezone.localdate())
    in_force = ssec_mappings_in(year)
    counts = selectors.incidents_per_category(year)
    rows = [(c, in_force.get(c.pk), counts.get(c.pk, 0)) for c in IncidentCategory.objects.all()]
    return render(request, "incidents/category_list.html", {"form": form, "rows": rows, "year": year})


# --- Threat assessments ----------------------------------------------------------------------


@role_required(*ANY_ROLE)
def threat_list(request):
    threats = (
        ThreatAssessment.objects.visible_to(request.user)
        .select_related("school", "student_record")
        .annotate(
            open_steps=count_of(
                ThreatAction.objects.filter(required=True, done_at__isnull=True), "assessment"
            ),
            overdue_steps=count_of(
                ThreatAction.objects.filter(
                    required=True, done_at__isnull=True, due_date__lt=timezone.localdate()
                ),
                "assessment",
            ),
        )
    )
    threats = threats.order_by("-reported_on", "-pk")
    status = request.GET.get("status", "open")
    if status in ("open", "closed"):
        threats = threats.filter(status=status)
    district = chosen_district(request)
    if district is not None:
        threats = threats.filter(school__district=district)
    page = Paginator(threats, 25).get_page(request.GET.get("page"))
    context = {"page_obj": page, "status": status, "district": district}
    return render(
        request, "incidents/threat_list.html", context | {"districts": district_choices(request.user)}
    )


@role_required(Role.SCHOOL_ADMIN)
def threat_create(request):
    incident_id = request.GET.get("incident", "")
    incident = get_incident_for_user(request, int(incident_id)) if incident_id.isdigit() else None
    initial = (
        {"school": incident.school_id, "weapon_involved": bool(incident.weapon_type)} if incident else {}
    )
    form = ThreatAssessmentForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        assessment = form.save(commit=False)
        assessment.incident = incident
        assessment.created_by = request.user
        assessment.save()
        messages.success(request, "Threat report opened. Evaluate it and classify it below.")
        return redirect(assessment)
    return render(request, "incidents/threat_form.html", {"form": form, "incident": incident})


@role_required(*ANY_ROLE)
def threat_detail(request, pk: int):
    return _threat_page(request, get_threat_for_user(request, pk))


def _threat_page(
    request, assessment: ThreatAssessment, *, classify_form: ClassifyForm | None = None,
    plan_form: SafetyPlanForm | None = None,
) -> HttpResponse:  # fmt: skip
    """The assessment's page; with a form that was refused, at status 400 with what was typed."""
    plan = SafetyPlan.objects.filter(assessment=assessment).first()
    return render(
        request,
        "incidents/threat_detail.html",
        {
            "assessment": assessment,
            "who": assessment.student_record.label_for(request.user)
            if assessment.student_record
            else assessment.student,
            "actions": assessment.actions.select_related("done_by"),
            "classify_form": classify_form
            or ClassifyForm(initial={"classification": assessment.classification}),
            "plan_form": plan_form or SafetyPlanForm(instance=plan),
            "plan": plan,
            "can_edit": request.user.has_role(Role.SCHOOL_ADMIN) and assessment.status == "open",
            "can_act": assessment.status == "open",
        },
        status=400 if classify_form or plan_form else 200,
    )


def _threat_for_team(request, pk: int) -> ThreatAssessment:
    """Classifying, planning and closing are the school team's (administrators, coordinators)."""
    if not request.user.has_role(Role.SCHOOL_ADMIN):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    return get_threat_for_user(request, pk)


@role_required(*ANY_ROLE)
@require_POST
def threat_classify(request, pk: int):
    assessment = _threat_for_team(request, pk)
    form = ClassifyForm(request.POST)
    if form.is_valid():
        try:
            services.classify_threat(
                assessment=assessment, by=request.user, classification=form.cleaned_data["classification"],
                summary=form.cleaned_data["summary"],
            )  # fmt: skip
            messages.success(
                request, f"Classified as {assessment.get_classification_display()}. Checklist updated."
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(assessment)
    return _threat_page(request, assessment, classify_form=form)


@role_required(*ANY_ROLE)
@require_POST
def threat_action_done(request, pk: int, action_pk: int):
    assessment = get_threat_for_user(request, pk)
    action = get_object_or_404(ThreatAction, pk=action_pk, assessment=assessment)
    form = ActionDoneForm(request.POST)
    if assessment.status != "open":
        messages.error(request, "This threat assessment is closed.")
    elif form.is_valid():
        try:
            services.complete_action(action=action, by=request.user, notes=form.cleaned_data["notes"])
            messages.success(request, f"Done: {action.get_kind_display()}.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect(assessment)


@role_required(*ANY_ROLE)
@require_POST
def threat_safety_plan(request, pk: int):
    assessment = _threat_for_team(request, pk)
    plan = SafetyPlan.objects.filter(assessment=assessment).first()
    form = SafetyPlanForm(request.POST, instance=plan)
    if form.is_valid():
        plan = form.save(commit=False)
        plan.assessment = assessment
        plan.save()
        messages.success(request, "Safety plan saved.")
        return redirect(assessment)
    return _threat_page(request, assessment, plan_form=form)


@role_required(*ANY_ROLE)
@require_POST
def threat_close(request, pk: int):
    assessment = _threat_for_team(request, pk)
    try:
        assessment.close(by=request.user)
        messages.success(request, "Threat assessment closed.")
    except ValidationError as exc:
        messages.error(request, "It cannot be closed yet. " + " ".join(exc.messages))
    return redirect(assessment)


# --- Reports (coordinators) -----------------------------------------------------------------


def _report_year(request) -> int:
    form = ReportYearForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["year"]
    return school_year_of(timezone.localdate())


def _report_schools(request):
    """The schools a report covers: the coordinator's scope, narrowed to a chosen district,
    in LEA order (the CRDC reports per LEA)."""
    from schools.models import School

    district = chosen_district(request)
    schools = School.objects.visible_to(request.user).in_district(district).select_related("district")
    return district, schools.order_by("district__name", "name")


def _declarations(schools, year: int) -> list[tuple[District, CrdcCollection | None]]:
    """Each LEA of the report with what it declared it collects that year (None: nothing)."""
    declared = CrdcCollection.objects.by_district(year)
    districts = District.objects.filter(pk__in=schools.values("district_id")).order_by("name")
    return [(district, declared.get(district.pk)) for district in districts]


@coordinator_required
def crdc_report(request):
    year = _report_year(request)
    district, schools = _report_schools(request)
    school_id = request.GET.get("school", "")
    if request.GET.get("format") == "csv":
        school = get_object_or_404(schools, pk=school_id) if school_id.isdigit() else None
        leas = reports.crdc_by_lea(schools=[school] if school else schools, year=year)
        name = school_id or (f"lea-{district.nces_id or district.pk}" if district else "all")
        return csv_response(reports.crdc_csv_rows(leas), f"crdc-law-enforcement-{year}-{name}.csv")

    # A year of the referred students of every school in scope, per LEA: kept, per set of
    # schools, until an incident, a person involved, a category, a summer session, the year's
    # declaration or a school changes.
    scope = sorted(schools.values_list("pk", flat=True))

    def context() -> dict:
        leas = reports.crdc_by_lea(schools=schools, year=year)
        for lea in leas:
            lea["tables"] = reports.crdc_tables(lea["report"])
        return {"leas": leas, "year": year}

    tables_html = datacache.remember_html(
        ("crdc", year, scope), ["incidents"], "incidents/_crdc_tables.html", context
    )
    return render(
        request,
        "incidents/crdc_report.html",
        {
            "tables_html": tables_html,
            "year": year,
            "declarations": _declarations(schools, year),
            "form": ReportYearForm(initial={"year": year}),
            "district": district,
            "districts": district_choices(request.user),
        },
    )


@coordinator_required
def crdc_collection(request, district_pk: int):
    """A coordinator declares what an LEA in their scope collects in a school year."""
    district = get_object_or_404(District.objects.visible_to(request.user), pk=district_pk)
    year = _report_year(request)
    declared = CrdcCollection.objects.for_year(year, district)
    form = CrdcCollectionForm(request.POST or None, instance=declared)
    if request.method == "POST" and form.is_valid():
        services.declare_crdc_collection(
            district=district, school_year=year, by=request.user, **form.cleaned_data
        )
        messages.success(request, f"What {district} collects in {year}–{year + 1} is saved.")
        return redirect(f"{reverse('incidents:crdc_report')}?year={year}")
    return render(
        request,
        "incidents/crdc_collection.html",
        {"form": form, "year": year, "declared": declared, "district": district},
    )


@coordinator_required
def ssec_report(request):
    year = _report_year(request)
    district, schools = _report_schools(request)
    summary = reports.ssec_summary(schools=schools, year=year)
    if request.GET.get("format") == "csv":
        return csv_response(reports.ssec_csv_rows(summary), f"ssec-summary-{year}.csv")
    return render(
        request,
        "incidents/ssec_report.html",
        {
            "summary": summary,
            "figures": reports.SSEC_FIGURES,
            "year": year,
            "form": ReportYearForm(initial={"year": year}),
            "district": district,
            "districts": district_choices(request.user),
        },
    )


@program_coordinator_required
def ssec_mappings(request):
    """Where each category is reported to NYSED, year by year; a change applies from a year on."""
    form = SsecMappingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mapping = services.save_ssec_mapping(by=request.user, **form.cleaned_data)
        messages.success(
            request,
            f"“{mapping.category}” is reported as {mapping.ssec or 'not reported'} "
            f"from {mapping.from_year}–{mapping.from_year + 1} on; earlier years are unchanged.",
        )
        return redirect("incidents:ssec_mappings")
    mappings = SsecMapping.objects.select_related("category", "ssec", "split_to", "changed_by")
    return render(request, "incidents/ssec_mappings.html", {"form": form, "mappings": mappings})
