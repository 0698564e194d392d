"""Role checks for views. Object scope lives with each model (`*_visible_to(user)`);
a record outside the user's scope is a 404, never a 403, so URLs reveal nothing."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .models import Role


def role_required(*roles: str) -> Callable:
    """Signed in, and holding one of `roles` (coordinators and superusers always pass)."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


coordinator_required = role_required(Role.COORDINATOR)


def program_coordinator_required(view: Callable) -> Callable:
    """Program coordinators (and superusers) only: settings shared by every district, such as
    thresholds, course requirements or the audit trail. District coordinators get a 403."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_program_coordinator:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
