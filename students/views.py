from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import coordinator_required

from . import oneroster
from .forms import RosterUploadForm
from .models import RosterImport
from .selectors import search_results
from .services import apply_upload, import_roster


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
