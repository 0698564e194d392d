import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from two_factor.utils import default_device

from .sso import SIGN_IN_METHOD, SSO, SSO_MFA

SESSION_STARTED_KEY = "signed_in_at"


class AbsoluteSessionLimitMiddleware:
    """Ends a session a fixed time after sign-in, however active it has been.
    (The idle limit is SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = time.time()
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_LIMIT_SECONDS:
                logout(request)
                messages.info(request, "Your session reached its 12-hour limit. Please sign in again.")
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


def needs_second_factor(request) -> bool:
    """Coordinators and superusers must have verified a second factor this session: here, or
    at the identity provider when a single sign-on reported multi-factor (accounts.sso)."""
    user = request.user
    return (
        settings.REQUIRE_2FA_FOR_COORDINATORS
        and user.is_authenticated
        and user.is_coordinator
        and not user.is_verified()
        and not request.session.get(SSO_MFA)
    )


class TwoFactorRequiredMiddleware:
    """Sends a coordinator or superuser who has not verified a second factor this session to
    set one up (no device yet) or to sign in with it (device exists), from every page but
    the two-factor pages themselves, sign-out and static files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_factor(request) and not self._exempt(request):
            if default_device(request.user) is None:
                messages.info(request, "Your role needs two-factor authentication. Set it up to continue.")
                return redirect("two_factor:setup")
            if request.session.get(SIGN_IN_METHOD) == SSO:
                # The provider did not report multi-factor sign-in: the app's code is needed.
                return redirect("accounts:verify_second_factor")
            # A device exists but this session never used it (e.g. enabled mid-session):
            # sign out and sign in again, this time with the code.
            logout(request)
            messages.info(request, "Please sign in again with your authentication code.")
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def _exempt(request) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True  # a 404 reveals nothing
        return (
            match.namespace == "two_factor"
            or match.url_name in {"login", "logout"}
            or match.view_name == "accounts:verify_second_factor"
        )
