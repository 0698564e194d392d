"""Training workflows with side effects: submitting and verifying records, reminders."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from core.messaging import send_once
from core.models import Notification
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


def record_reject(*, record: TrainingRecord, by: User, reason: str) -> None:
    record.reject(by=by, reason=reason)
    if record.officer.user_id:
        Notification.objects.create(
            user_id=record.officer.user_id,
            title=f"Training record rejected: {record.course}",
            body=record.rejection_reason,
            url=record.get_absolute_url(),
            level="warning",
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
        kind = reminder_kind(expires_on, today)
        if kind:
            due.append((pk, kind))
    return due


def coordinators():
    return User.objects.filter(role=Role.COORDINATOR, is_active=True)


def send_reminder(*, record_id: int, kind: str) -> int:
    """Tell the officer and every coordinator about one certificate; each recipient gets each
    kind of reminder once. Returns how many messages went out now."""
    record = TrainingRecord.objects.select_related("officer__user", "course").filter(pk=record_id).first()
    if record is None or record.status != RecordStatus.VERIFIED or record.expires_on is None:
        return 0
    officer: Officer = record.officer
    days_left = (record.expires_on - timezone.localdate()).days
    context = {
        "record": record,
        "officer": officer,
        "course": record.course,
        "kind": kind,
        "days_left": days_left,
    }
    title = {
        REMINDER_60: f"{record.course} expires {record.expires_on:%b %-d, %Y}",
        REMINDER_14: f"{record.course} expires in {days_left} day{'s' if days_left != 1 else ''}",
        REMINDER_LAPSED: f"{record.course} has lapsed",
    }[kind]
    sent = 0
    officer_url = reverse("training:my_training")
    sent += send_once(
        key=f"training-{kind}:{record.pk}:officer:{officer.pk}",
        template_prefix="training/email/reminder",
        to=officer.contact_email,
        context={**context, "for_coordinator": False, "url": officer_url},
        user=officer.user,
        notification_title=title,
        notification_url=officer_url,
        level="danger" if kind == REMINDER_LAPSED else "warning",
    )
    coordinator_url = reverse("training:officer", args=[officer.pk])
    for user in coordinators():
        if user.pk == officer.user_id:
            continue
        sent += send_once(
            key=f"training-{kind}:{record.pk}:user:{user.pk}",
            template_prefix="training/email/reminder",
            to=user.email,
            context={**context, "for_coordinator": True, "url": coordinator_url},
            user=user,
            notification_title=f"{officer.full_name}: {title}",
            notification_url=coordinator_url,
            level="danger" if kind == REMINDER_LAPSED else "warning",
        )
    return sent


def queue_reminders(*, today: datetime.date | None = None) -> int:
    """Queue one task per (record, kind) due today. Returns how many were queued."""
    from .tasks import send_training_reminder

    today = today or timezone.localdate()
    due = records_needing_reminders(today)
    for record_id, kind in due:
        transaction.on_commit(lambda r=record_id, k=kind: send_training_reminder.delay(r, k))
    log.info("training reminders queued: %d", len(due))
    return len(due)
