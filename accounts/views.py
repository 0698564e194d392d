import logging

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.forms import OTPTokenForm
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView
from two_factor import views as two_factor_views
from two_factor.utils import default_device

from . import services, sso
from .models import User
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

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        context["sso_enabled"] = settings.SSO_ENABLED
        context["sso_provider_name"] = settings.SSO_PROVIDER_NAME
        context["next_url"] = self.get_redirect_url()
        return context

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


REVIEW_PAGE_SIZE = 50


@program_coordinator_required
def account_review(request):
    """Accounts with no sign-in for 90 days, for a coordinator to keep or deactivate (CJIS
    account management), and the deactivated ones, which can be reactivated."""
    dormant = Paginator(services.dormant_users(), REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "dormant": dormant,
        "page_obj": dormant,
        "inactive": User.objects.filter(is_active=False).order_by("username"),
        "days": services.DORMANT_AFTER_DAYS,
    }
    return render(request, "accounts/account_review.html", context)


def _account_for(request, pk: int) -> User:
    user = get_object_or_404(User, pk=pk)
    if user == request.user or (user.is_superuser and not request.user.is_superuser):
        raise PermissionDenied("You cannot change this account's access here.")
    return user


@program_coordinator_required
@require_POST
def account_deactivate(request, pk: int):
    user = _account_for(request, pk)
    services.deactivate_user(user=user)
    messages.success(request, f"{user.username} is deactivated and signed out everywhere.")
    return redirect("accounts:review")


@program_coordinator_required
@require_POST
def account_reactivate(request, pk: int):
    user = _account_for(request, pk)
    services.reactivate_user(user=user)
    messages.success(request, f"{user.username} can sign in again.")
    return redirect("accounts:review")


# --- Single sign-on (OpenID Connect, accounts.sso) -------------------------------------------


def _sso_on() -> None:
    if not settings.SSO_ENABLED:
        raise Http404("Single sign-on is not set up.")


def sso_start(request):
    """Sends the browser to the identity provider (mozilla-django-oidc, with state, nonce
    and PKCE)."""
    _sso_on()
    return OIDCAuthenticationRequestView.as_view()(request)


def sso_callback(request):
    """The provider sends the browser back here with a code; the backend (accounts.sso)
    exchanges it, checks the id_token and finds the account."""
    _sso_on()
    return OIDCAuthenticationCallbackView.as_view()(request)


def sso_failed(request):
    _sso_on()
    return render(request, "accounts/sso_failed.html", status=403)


@login_required
def verify_second_factor(request):
    """A coordinator signed in through single sign-on without multi-factor authentication at
    the provider enters their authentication code here (django-otp, throttled)."""
    if request.user.is_verified() or request.session.get(sso.SIGN_IN_METHOD) != sso.SSO:
        return redirect(settings.LOGIN_REDIRECT_URL)
    data = None
    if request.method == "POST":
        # The code is checked against the user's authenticator app (their default device).
        device = default_device(request.user)
        data = {
            "otp_token": request.POST.get("otp_token", ""),
            "otp_device": getattr(device, "persistent_id", ""),
        }
    form = OTPTokenForm(request.user, request, data)
    if request.method == "POST" and form.is_valid():
        otp_login(request, request.user.otp_device)
        return redirect(settings.LOGIN_REDIRECT_URL)
    if request.method == "POST":
        log.warning(
            "failed second factor username=%s ip=%s",
            request.user.username,
            request.META.get("REMOTE_ADDR", ""),
        )
    return render(request, "accounts/verify_second_factor.html", {"form": form})
