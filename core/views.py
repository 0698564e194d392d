from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import program_coordinator_required

from . import selectors
from .csv_export import ChoiceLabels
from .models import Notification
from .pagination import capped_page


@require_GET
@never_cache
def health(request):
    # Liveness check and the benchmark's baseline: no database query, no template, no login.
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@never_cache
def health_deliveries(request):
    # For monitoring: how many deliveries are past their response window and not made, how
    # many failed for good, and how many escalations are late. 503 while any is overdue or
    # late, so a plain HTTP check can page. Counts only: no recipient, no content.
    counts = selectors.delivery_health()
    return JsonResponse(counts, status=503 if counts["overdue"] or counts["escalations_late"] else 200)


@program_coordinator_required
def deliveries(request):
    show = request.GET.get("show", "overdue")
    rows, counts = selectors.deliveries_to_review(show)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "core/deliveries.html", {"page_obj": page, "show": show, "counts": counts})


@login_required
def home(request):
    # Each role's home: administrators land on what needs them at their schools today.
    if request.user.is_school_admin:
        return redirect("reports:my_schools")
    return redirect("reports:dashboard")


@login_required
def notifications(request):
    page = Paginator(request.user.notifications.all(), 25).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page_obj": page})


@login_required
@require_POST
def notification_open(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    notification.mark_read()
    # Links are the app's own paths; anything else goes to the list rather than off site.
    target = notification.url
    if target and target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("core:notifications")


@login_required
@require_POST
def notifications_mark_all_read(request):
    request.user.notifications.unread().update(read_at=timezone.now())
    return redirect("core:notifications")


@program_coordinator_required
def audit_log(request):
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    model = request.GET.get("model", "")
    actor = request.GET.get("actor", "").strip()
    action = request.GET.get("action", "")
    if model.isdigit():
        entries = entries.filter(content_type_id=int(model))
    if actor:
        entries = entries.filter(actor__username__icontains=actor)
    if action.isdigit():
        entries = entries.filter(action=int(action))
    # Every view of a record adds an entry: counted only so far ahead (core.pagination).
    page = capped_page(entries, 50, request.GET.get("page"), counted=entries.order_by())
    # Each entry with its action's label, the labels translated once (get_action_display
    # translated its lazy label again for every entry).
    display = ChoiceLabels(LogEntry, "action")
    return render(
        request,
        "core/audit_log.html",
        {
            "page_obj": page,
            "entries": [(entry, display(entry, "action")) for entry in page],
            "content_types": selectors.audited_content_types(),
            "actions": LogEntry.Action.choices,
            "filters": {"model": model, "actor": actor, "action": action},
        },
    )


def confirm_and_delete(request, obj, *, success_url: str, protected_message: str):
    """GET asks for confirmation; POST deletes, or explains that records depending on the
    object keep it (on_delete=PROTECT) and deletes nothing."""
    if request.method == "POST":
        try:
            obj.delete()
        except ProtectedError:
            messages.error(request, protected_message)
            return redirect(obj)
        messages.success(request, f"{obj} deleted.")
        return redirect(success_url)
    return render(request, "confirm_delete.html", {"object": obj, "cancel_url": obj.get_absolute_url()})
