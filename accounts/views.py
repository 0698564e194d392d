from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .permissions import coordinator_required


@coordinator_required
def locked_accounts(request):
    attempts = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).order_by(
        "-attempt_time"
    )
    return render(request, "accounts/locked_accounts.html", {"attempts": attempts})


@coordinator_required
@require_POST
def unlock_account(request):
    username = request.POST.get("username", "")
    if username and reset(username=username):
        messages.success(request, f"{username} can sign in again.")
    else:
        messages.error(request, "That account was not locked.")
    return redirect("accounts:locked")
