import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

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
