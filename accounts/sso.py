"""Single sign-on with OpenID Connect (Google Workspace, Microsoft Entra ID, any provider),
through mozilla-django-oidc. Off unless SSO_ENABLED (every OIDC_* setting given).

Only accounts that already exist can sign in this way: the provider's *verified* email
address is matched (case-insensitively) to one active account; roles and scope stay as
assigned in the app, and nobody is created. The id_token's issuer and audience are checked
here (the library checks the signature, expiry and nonce). The provider's `amr` claim says
how the person signed in there; when it reports multi-factor authentication, that satisfies
the coordinators' two-factor rule for the session (accounts.middleware)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import User

log = logging.getLogger("sro.security")

# Session keys: how this session signed in, and whether the provider reported MFA.
SIGN_IN_METHOD = "sign_in_method"
SSO_MFA = "sso_mfa"
SSO = "single sign-on"
# RFC 8176 authentication method references: "mfa" (what Entra ID and most providers send),
# or something known together with something held or something one is.
KNOWN = {"pwd", "pin", "kba"}
HELD_OR_INHERENT = {"otp", "hwk", "swk", "sc", "sms", "tel", "pop", "fpt", "face", "iris", "retina", "vbm"}


def reports_mfa(amr) -> bool:
    if not isinstance(amr, list | tuple):
        return False
    methods = {str(m).lower() for m in amr}
    return "mfa" in methods or bool(methods & KNOWN and methods & HELD_OR_INHERENT)


class SsoBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        if not settings.SSO_ENABLED:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the id_token (a userinfo JWT is verified without one)
            audience = payload.get("aud")
            audiences = audience if isinstance(audience, list) else [audience]
            if payload.get("iss") != settings.OIDC_OP_ISSUER:
                raise SuspiciousOperation("id_token from another issuer")
            if settings.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("id_token for another client")
            self._id_claims = payload
        return payload

    def verify_claims(self, claims) -> bool:
        # The address must be one the provider has verified: otherwise anyone could put a
        # colleague's address on an account of their own at the provider.
        # Entra ID states it in the optional claim `xms_edov` (email domain owner verified).
        id_claims = getattr(self, "_id_claims", {})
        verified = [claims.get(k, id_claims.get(k)) for k in ("email_verified", "xms_edov")]
        if not claims.get("email") or not any(v is True or str(v).lower() == "true" for v in verified):
            log.warning("single sign-on refused: email not verified by the provider")
            return False
        return True

    def filter_users_by_claims(self, claims):
        return User.objects.filter(email__iexact=claims["email"].strip(), is_active=True)

    def create_user(self, claims):
        # No self-registration: an address without an account signs nobody in.
        return None

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None:
            log.warning("single sign-on refused: no active account for that verified email")
            return None
        self.request.session[SIGN_IN_METHOD] = SSO
        self.request.session[SSO_MFA] = reports_mfa(payload.get("amr"))
        return user

    def get_user(self, user_id):
        # Sessions made by this backend end with the account, as ModelBackend's do.
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
