import logging

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from two_factor import views as two_factor_views

from .permissions import program_coordinator_required

log = logging.getLogger("sro.security")


@program_coordinator_required
def locked_accounts(request):
    attempts = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).order_by(
        "-attempt_time"
    )
    return render(request, "accounts/locked_accounts.html", {"attempts": attempts})


@program_coordinator_required
@require_POST
def unlock_account(request):
    username = request.POST.get("username", "")
    if username and reset(username=username):
        messages.success(request, f"{username} can sign in again.")
    else:
        messages.error(request, "That account was not locked.")
    return redirect("accounts:locked")


class LoginView(two_factor_views.LoginView):
    """django-two-factor-auth's sign-in wizard (password, then the code for anyone who has set
    up two-factor authentication). Wrong passwords are logged by accounts.signals; this logs
    wrong codes. (The class keeps the library's name: the wizard's form prefix derives from it.)"""

    def post(self, *args, **kwargs):
        step = self.request.POST.get(f"{self.prefix}-current_step")
        going_elsewhere = "wizard_goto_step" in self.request.POST or "challenge_device" in self.request.POST
        response = super().post(*args, **kwargs)
        if (
            step in (self.TOKEN_STEP, self.BACKUP_STEP)
            and not going_elsewhere
            and response.status_code == 200
        ):
            user = self.get_user()
            log.warning(
                "failed second factor username=%s ip=%s",
                getattr(user, "username", ""),
                self.request.META.get("REMOTE_ADDR", ""),
            )
        return response
