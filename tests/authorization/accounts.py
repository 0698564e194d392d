"""Sign-in, sign-out, passwords, two-factor authentication, locked accounts."""

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from . import (
    FORBIDDEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    REDIRECT,
    access,
    coordinator_only,
    public,
    signed_in,
)


def reset_link(world):
    # Not a persona: signing the personas in changes their last_login, which voids a link.
    from conftest import make_user

    user = world.once("reset_user", lambda: make_user("forgetful", "school_admin"))
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


def other_account(world):
    from conftest import make_user

    return {"pk": world.once("other_account", lambda: make_user("someone", "school_admin")).pk}


ENTRIES = {
    # Public: signing in and recovering a password must work signed out.
    "login": public(note="public: the sign-in page"),
    "two_factor:login": public(note="public: the same sign-in page under the library's name"),
    "password_reset": public(note="public"),
    "password_reset_done": public(note="public"),
    "password_reset_confirm": public(
        REDIRECT, kwargs=reset_link, note="public: a valid link redirects to the form"
    ),
    "password_reset_complete": public(note="public"),
    # Sign-out is POST only (no state change over GET).
    "logout": public(NOT_ALLOWED, note="GET is refused; sign-out is a POST"),
    "password_change": signed_in(),
    "password_change_done": signed_in(),
    # Two-factor authentication, for every signed-in user.
    "two_factor:profile": signed_in(),
    "two_factor:setup": signed_in(),
    "two_factor:qr": signed_in(NOT_FOUND, note="404 until the setup wizard has made a key"),
    # These need a session verified with a second factor; the personas have none.
    "two_factor:setup_complete": signed_in(LOGIN),
    "two_factor:backup_tokens": signed_in(LOGIN),
    "two_factor:disable": public(REDIRECT, note="without a verified session the library redirects home"),
    # Locked accounts: the program coordinator unlocks (anyone's, whatever their district).
    "accounts:locked": coordinator_only(districts="program"),
    "accounts:unlock": access(
        coordinator=REDIRECT,
        coordinator_a=FORBIDDEN,
        coordinator_b=FORBIDDEN,
        admin_a=FORBIDDEN,
        admin_b=FORBIDDEN,
        officer_a=FORBIDDEN,
        officer_b=FORBIDDEN,
        method="post",
        data=lambda world: {"username": "nobody"},
    ),
    # Accounts to review (no sign-in for 90 days): the coordinator deactivates or reactivates.
    "accounts:review": coordinator_only(districts="program"),
    "accounts:deactivate": coordinator_only(
        REDIRECT, districts="program", kwargs=other_account, method="post"
    ),
    "accounts:reactivate": coordinator_only(
        REDIRECT, districts="program", kwargs=other_account, method="post"
    ),
    # Single sign-on: 404 while it is not set up (as here); with a provider, see
    # accounts/tests/test_sso.py and test_browser_sso.py.
    "accounts:sso_start": public(NOT_FOUND, note="public: starts single sign-on"),
    "accounts:sso_callback": public(NOT_FOUND, note="public: the provider's redirect back"),
    "accounts:sso_failed": public(NOT_FOUND, note="public: says why single sign-on failed"),
    # Only for a coordinator whose single sign-on reported no MFA; anyone else is sent home.
    "accounts:verify_second_factor": signed_in(REDIRECT),
}
