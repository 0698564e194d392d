"""Training workflows with side effects: submitting and verifying records, reminders."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.deliveries import notify
from core.templatetags.dates import day as day_label
from officers.models import Officer, OfficerStatus

from .models import RecordStatus, TrainingRecord

log = logging.getLogger("sro.training")


# --- records ---------------------------------------------------------------------------------


def record_save(*, record: TrainingRecord, by: User) -> TrainingRecord:
    """Save a new or changed record from a form. An officer's change to a record sends it
    back for verification; a coordinator's change to someone else's record does not."""
    is_new = record.pk is None
    if is_new:
        record.submitted_by = by
        record.status = RecordStatus.PENDING
    elif not by.is_coordinator or record.officer.user_id == by.pk:
        record.return_to_pending()
    record.save()
    return record


def record_verify(*, record: TrainingRecord, by: User) -> None:
    record.verify(by=by)


@transaction.atomic
def record_reject(*, record: TrainingRecord, by: User, reason: str) -> None:
    record.reject(by=by, reason=reason)
    if record.officer.user_id:
        notify(
            # Each rejection is its own occasion (a record can be rejected, fixed and rejected again).
            occasion=f"training-rejected:{record.pk}:{timezone.now().isoformat()}",
            template_prefix="",
            context={},
            user=record.officer.user,
            title=f"Training record rejected: {record.course}",
            url=record.get_absolute_url(),
            level="warning",
            body=record.rejection_reason,
        )


# --- reminders -------------------------------------------------------------------------------

# Kinds of reminder and the day each goes out, relative to the expiry date (the last valid day).
REMINDER_60 = "60d"
REMINDER_14 = "14d"
REMINDER_LAPSED = "lapsed"
REMINDER_KINDS = [REMINDER_60, REMINDER_14, REMINDER_LAPSED]
# A lapse is still announced up to a week late (e.g. after a few days without a worker), but
# not for certificates that expired long before the record was entered.
LAPSED_CATCH_UP = datetime.timedelta(days=7)


def reminder_kind(expires_on: datetime.date, today: datetime.date) -> str | None:
    """Which reminder is due on `today` for a certificate valid through `expires_on`:
    60 days before expiry up to 15 days before: "60d"; 14 days before up to the expiry date
    itself: "14d"; from the first day it is no longer valid (expiry + 1) for a week: "lapsed".
    Each kind is sent once per record and recipient (send_once), so the daily run may see the
    same record on many days and still mail once per kind."""
    days_left = (expires_on - today).days
    if 14 < days_left <= 60:
        return REMINDER_60
    if 0 <= days_left <= 14:
        return REMINDER_14
    if 1 <= -days_left <= LAPSED_CATCH_UP.days:
        return REMINDER_LAPSED
    return None


def records_needing_reminders(today: datetime.date) -> list[tuple[int, str]]:
    """(record id, kind) for every verified certificate of an active officer that is due a
    reminder today and has not been superseded by a later verified certificate."""
    renewed = TrainingRecord.objects.verified().filter(
        Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on")),
        officer=OuterRef("officer"),
        course=OuterRef("course"),
    )
    records = (
        TrainingRecord.objects.verified()
        .filter(
            officer__status=OfficerStatus.ACTIVE,
            expires_on__gte=today - LAPSED_CATCH_UP,
            expires_on__lte=today + datetime.timedelta(days=60),
        )
        .exclude(Exists(renewed))
        .values_list("pk", "expires_on")
    )
    due = []
    for pk, expires_on in records:
        assert expires_on is not None  # filtered on above
        kind = reminder_kind(expires_on, today)
        if kind:
            due.append((pk, kind))
    return due


def write_reminder(*, record: TrainingRecord, kind: str, today: datetime.date) -> int:
    """Tell the officer and every coordinator about one certificate; each recipient gets each
    kind of reminder once. Returns the deliveries written to the ledger now."""
    officer: Officer = record.officer
    assert record.expires_on is not None  # only certificates that expire are reminded
    days_left = (record.expires_on - today).days
    context = {
        "record": record,
        "officer": officer,
        "course": record.course,
        "kind": kind,
        "days_left": days_left,
    }
    title = {
        REMINDER_60: f"{record.course} expires {day_label(record.expires_on)}",
        REMINDER_14: f"{record.course} expires in {days_left} day{'s' if days_left != 1 else ''}",
        REMINDER_LAPSED: f"{record.course} has lapsed",
    }[kind]
    sent = 0
    officer_url = reverse("training:my_training")
    sent += len(
        notify(
            occasion=f"training-{kind}:{record.pk}:officer:{officer.pk}",
            template_prefix="training/email/reminder",
            context={**context, "for_coordinator": False, "url": officer_url},
            user=officer.user,
            email=officer.contact_email,
            title=title,
            url=officer_url,
            level="danger" if kind == REMINDER_LAPSED else "warning",
        )
    )
    coordinator_url = reverse("training:officer", args=[officer.pk])
    for user in User.objects.active_coordinators():
        if user.pk == officer.user_id:
            continue
        sent += len(
            notify(
                occasion=f"training-{kind}:{record.pk}:user:{user.pk}",
                template_prefix="training/email/reminder",
                context={**context, "for_coordinator": True, "url": coordinator_url},
                user=user,
                email=user.email,
                title=f"{officer.full_name}: {title}",
                url=coordinator_url,
                level="danger" if kind == REMINDER_LAPSED else "warning",
            )
        )
    return sent


@transaction.atomic
def queue_reminders(*, today: datetime.date | None = None) -> int:
    """Write the reminders due today (each (record, kind, recipient) once) to the delivery
    ledger. Returns how many deliveries were written now."""
    today = today or timezone.localdate()
    due = dict(records_needing_reminders(today))
    records = TrainingRecord.objects.select_related("officer__user", "course").filter(pk__in=due)
    written = sum(write_reminder(record=r, kind=due[r.pk], today=today) for r in records)
    log.info("training reminders: %d due, %d deliveries written", len(due), written)
    return written
