from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.permissions import coordinator_required, role_required
from core.pdf import pdf_response
from incidents.selectors import pending_alerts_for
from schools.filters import chosen_district, district_choices

from . import csv_export, home, selectors
from .filters import DashboardFilterForm
from .monthly import MonthForm, MonthlyReport, monthly_report


def _filter_form(request) -> DashboardFilterForm:
    return DashboardFilterForm(request.GET or None, user=request.user, today=timezone.localdate())


@role_required(Role.SCHOOL_ADMIN, Role.OFFICER)
def dashboard(request):
    """Each role's home page: the district (or the administrator's schools) for coordinators and
    administrators, a personal page for officers."""
    if request.user.is_officer:
        context = selectors.officer_dashboard(user=request.user, today=timezone.localdate())
        context["pending_alerts"] = pending_alerts_for(request.user)
        return render(request, "reports/officer_dashboard.html", context)
    form = _filter_form(request)
    filters = form.filters()
    figures = selectors.dashboard_figures(filters)
    context = {"form": form, "filters": filters, "tiles": figures.tiles, "as_of": figures.as_of}
    return render(request, "reports/dashboard.html", context)


@role_required(Role.SCHOOL_ADMIN)
def my_schools(request):
    """A school administrator's home: what needs them at their schools today."""
    return render(request, "reports/admin_home.html", home.admin_home(user=request.user))


@role_required(Role.SCHOOL_ADMIN)
def dashboard_csv(request):
    """Every figure on the dashboard, as the tables behind the tiles, in one CSV."""
    form = _filter_form(request)
    filters = form.filters()
    tiles = selectors.dashboard_tiles(filters)
    response = StreamingHttpResponse(csv_export.tile_rows(tiles, filters), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="dashboard-{filters.start}-{filters.end}.csv"'
    return response


@coordinator_required
def index(request):
    return render(request, "reports/index.html", {"sections": selectors.report_links()})


def _monthly(request) -> tuple[MonthForm, MonthlyReport]:
    form = MonthForm(request.GET or None, today=timezone.localdate())
    report = monthly_report(user=request.user, month=form.selected_month(), district=chosen_district(request))
    return form, report


@role_required(Role.SCHOOL_ADMIN)
def monthly(request):
    form, report = _monthly(request)
    context = {
        "form": form,
        "report": report,
        "district": chosen_district(request),
        "districts": district_choices(request.user),
        "pdf_url": f"{reverse('reports:monthly_pdf')}?{request.GET.urlencode()}",
    }
    return render(request, "reports/monthly.html", context)


@role_required(Role.SCHOOL_ADMIN)
def monthly_pdf(request):
    """The monthly report as a PDF, drawn on the server from the page's own template."""
    _form, report = _monthly(request)
    filename = f"sro-report-{report.month:%Y-%m}.pdf"
    return pdf_response(request, "reports/monthly_pdf.html", {"report": report}, filename=filename)
