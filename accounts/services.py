"""Account lifecycle: ending access at once when an account is deactivated."""

from __future__ import annotations

import datetime

from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone

from .models import User

# CJIS Security Policy 5.5.1 (account management): accounts are reviewed, and inactive
# ones disabled; an account with no sign-in for this many days is listed for review.
DORMANT_AFTER_DAYS = 90


def end_sessions(user: User) -> int:
    """Delete every live session of `user` (database sessions), so every browser they are
    signed in on is signed out at its next request. Returns how many were ended."""
    mine = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(session_key__in=mine).delete()
    return len(mine)


def deactivate_user(*, user: User) -> None:
    """The login stops working and every open session ends now. An officer's record follows
    (officers.services.deactivate_officer ends their assignments and feeds too)."""
    from officers.services import deactivate_officer

    officer = user.officer_record
    if officer is not None and officer.is_active:
        deactivate_officer(officer=officer, today=timezone.localdate())
        return
    user.is_active = False
    user.save(update_fields=["is_active"])  # accounts.signals ends the sessions


def reactivate_user(*, user: User) -> None:
    from officers.services import reactivate_officer

    officer = user.officer_record
    if officer is not None and not officer.is_active:
        reactivate_officer(officer=officer)
        return
    user.is_active = True
    user.save(update_fields=["is_active"])


def dormant_users(now: datetime.datetime | None = None) -> QuerySet[User]:
    """Active accounts with no sign-in for DORMANT_AFTER_DAYS (never signed in: counted from
    when the account was made), longest unused first."""
    from django.db.models import F, Q

    cutoff = (now or timezone.now()) - datetime.timedelta(days=DORMANT_AFTER_DAYS)
    dormant: QuerySet[User] = User.objects.filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff), is_active=True
    ).order_by(F("last_login").asc(nulls_first=True), "date_joined")
    return dormant
