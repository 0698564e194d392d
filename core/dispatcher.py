"""Sends the emails of the delivery ledger: claim a row with a lease, send it, record what
really happened. Run by core.tasks (kicked after each commit and swept by beat) and by
`manage.py deliveries`.

- A row is claimed with `select_for_update(skip_locked=True)` and a lease token, so two
  workers never take one row; a row whose lease ran out (its worker was killed, or lost
  the database) is claimed again.
- "Sent" means the mail server accepted the message. A duplicate can arise only where the
  outcome is unknown: the worker or its database is lost between that acceptance and the
  update that records it, or the connection drops (or times out) after the message went and
  before the server's answer. Either is sent again (at least once, never "sent" on a guess)
  with the same Message-ID on every attempt, so mail systems can recognise it.
- Failures are retried with exponential backoff until the row's `give_up_at` (24 hours for
  alerts by default), then marked failed; a refusal of the address itself fails at once."""

from __future__ import annotations

import datetime
import logging
import time
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone

from .models import Delivery, DeliveryStatus
from .sender import SendFailed, send_email

log = logging.getLogger("sro.deliveries")

# Sent with `delivery` once the mail server accepted it (incidents mark the alert reached).
delivered = Signal()


def claim_next(*, queue: str, now: datetime.datetime | None = None) -> Delivery | None:
    """Take the next due email of `queue` for this worker, or None."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    with transaction.atomic():
        row = (
            Delivery.objects.claimable(now)
            .filter(queue=queue)
            .order_by("next_attempt_at", "pk")
            .select_for_update(skip_locked=True)
            .only("pk")
            .first()
        )
        if row is None:
            return None
        # The condition is repeated so that a database without row locks (SQLite) still
        # hands a row to one worker only.
        claimed = (
            Delivery.objects.claimable(now)
            .filter(pk=row.pk)
            .update(
                status=DeliveryStatus.SENDING,
                lease_token=token,
                lease_until=now + datetime.timedelta(seconds=settings.DELIVERY_LEASE_SECONDS),
                attempts=F("attempts") + 1,
            )
        )
    if not claimed:
        return None
    return Delivery.objects.get(pk=row.pk)


def send_claimed(delivery: Delivery) -> bool:
    """Send a claimed row and record the outcome. True if the server accepted it."""
    try:
        send_email(
            to=delivery.email,
            subject=delivery.subject,
            text=delivery.body_text,
            html=delivery.body_html,
            message_id=delivery.message_id,
        )
    except SendFailed as exc:
        record_failure(delivery, exc.reason, permanent=exc.permanent)
        return False
    now = timezone.now()
    # Only our own claim is recorded: a row whose lease expired and went to another worker
    # is that worker's to record.
    Delivery.objects.filter(pk=delivery.pk, lease_token=delivery.lease_token).update(
        status=DeliveryStatus.SENT, sent_at=now, lease_until=None, lease_token="", last_error=""
    )
    delivery.status, delivery.sent_at = DeliveryStatus.SENT, now
    log.info("delivery %s sent (%s, attempt %s)", delivery.pk, delivery.occasion, delivery.attempts)
    delivered.send(sender=Delivery, delivery=delivery)
    return True


def record_failure(delivery: Delivery, reason: str, *, permanent: bool = False) -> None:
    now = timezone.now()
    give_up = permanent or (delivery.give_up_at is not None and now >= delivery.give_up_at)
    delay = min(
        settings.DELIVERY_RETRY_SECONDS * 2 ** max(delivery.attempts - 1, 0),
        settings.DELIVERY_RETRY_MAX_SECONDS,
    )
    Delivery.objects.filter(pk=delivery.pk, lease_token=delivery.lease_token).update(
        status=DeliveryStatus.FAILED if give_up else DeliveryStatus.RETRYING,
        next_attempt_at=now + datetime.timedelta(seconds=delay),
        lease_until=None,
        lease_token="",
        last_error=reason[:300],
    )
    log.warning(
        "delivery %s (%s) attempt %s %s: %s",
        delivery.pk,
        delivery.occasion,
        delivery.attempts,
        "failed for good" if give_up else f"will be retried in {delay} s",
        reason,
    )


def dispatch(*, queue: str, budget_seconds: float | None = None) -> int:
    """Send due emails of `queue` one at a time until none is due or the time budget is
    spent. Returns how many the mail server accepted. A database error stops the run (the
    task retries; a row it held is taken again when its lease runs out)."""
    budget = settings.DELIVERY_DISPATCH_BUDGET_SECONDS if budget_seconds is None else budget_seconds
    deadline = time.monotonic() + budget
    sent = 0
    while time.monotonic() < deadline:
        delivery = claim_next(queue=queue)
        if delivery is None:
            break
        sent += send_claimed(delivery)
    return sent
