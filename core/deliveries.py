"""The delivery ledger: what must reach whom, written in the caller's transaction.

Every alert and reminder calls `notify()` once per recipient inside the transaction that
calls for it (the incident, the escalation, the day's reminder run). The in-app notification
is created there and then: it needs nothing but the database. The email is a row waiting for
a dispatcher (core.dispatcher), which is kicked once the transaction commits and, because a
kick can be lost (the broker is down, a worker dies), also swept every 30 seconds by beat.
Writing an occasion twice adds nothing: `(occasion, channel, address)` is unique."""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Channel, Delivery, DeliveryStatus, Notification, Queue
from .sender import render_email

if TYPE_CHECKING:
    from accounts.models import User

log = logging.getLogger("sro.deliveries")


def give_up_after(queue: str) -> datetime.timedelta:
    hours = (
        settings.DELIVERY_ALERT_GIVE_UP_HOURS if queue == Queue.ALERTS else settings.DELIVERY_GIVE_UP_HOURS
    )
    return datetime.timedelta(hours=hours)


def notify(
    *,
    occasion: str,
    template_prefix: str,
    context: dict[str, Any],
    user: User | None = None,
    email: str = "",
    title: str = "",
    body: str = "",
    url: str = "",
    level: str = "info",
    queue: str = Queue.REMINDERS,
    due_at: datetime.datetime | None = None,
) -> list[Delivery]:
    """Write the deliveries of one occasion to one person: an in-app notification for `user`
    (when `title` is given and the login is active) and an email to `email`, rendered from
    `template_prefix` with `context`. Returns the rows written now; those the occasion
    already had are left as they are."""
    now = timezone.now()
    written: list[Delivery] = []
    if user is not None and user.is_active and title:
        row = _insert(
            Delivery(
                occasion=occasion,
                channel=Channel.IN_APP,
                queue=queue,
                address=f"user:{user.pk}",
                recipient=user,
                subject=title[:300],
                status=DeliveryStatus.SENT,
                created_at=now,
                due_at=due_at,
                sent_at=now,
                attempts=1,
            )
        )
        if row is not None:
            row.notification = Notification.objects.create(
                user=user, title=title[:200], body=body, url=url, level=level, created_at=now
            )
            row.save(update_fields=["notification"])
            written.append(row)
    address = (email or "").strip()
    if (
        address
        and not Delivery.objects.filter(
            occasion=occasion, channel=Channel.EMAIL, address=address.lower()
        ).exists()
    ):
        subject, text, html = render_email(template_prefix, context)
        row = _insert(
            Delivery(
                occasion=occasion,
                channel=Channel.EMAIL,
                queue=queue,
                address=address.lower(),
                recipient=user,
                email=address,
                subject=subject[:300],
                body_text=text,
                body_html=html,
                created_at=now,
                due_at=due_at,
                next_attempt_at=now,
                give_up_at=now + give_up_after(queue),
            )
        )
        if row is not None:
            written.append(row)
            kick_after_commit(queue)
    return written


def _insert(row: Delivery) -> Delivery | None:
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        return None
    return row


def kick_after_commit(queue: str) -> None:
    """Ask a dispatcher of `queue` to run once the current transaction commits (at once when
    there is none); one kick per queue and transaction."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        kick(queue)
        return
    enclosing = set(connection.savepoint_ids)
    for savepoints, func, _ in connection.run_on_commit:
        # A kick already waiting for this commit, not in a savepoint that could be rolled back
        # without the rows written here (and not already run by a test's capture block).
        if (
            getattr(func, "delivery_queue", None) == queue
            and savepoints <= enclosing
            and not getattr(func, "done", False)
        ):
            return

    def run() -> None:
        run.done = True  # type: ignore[attr-defined]
        kick(queue)

    run.delivery_queue = queue  # type: ignore[attr-defined]
    transaction.on_commit(run)


def kick(queue: str) -> None:
    """Queue a dispatcher task. A broker that cannot take it is no error: the rows wait in
    the database and the beat sweep sends them."""
    from .tasks import dispatch_deliveries

    try:
        dispatch_deliveries.apply_async(kwargs={"queue": queue}, queue=queue, retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure; the sweep is the safety net
        log.warning("could not queue the %s dispatcher (%s); the sweep will send", queue, type(exc).__name__)


def resend(delivery: Delivery) -> bool:
    """Put a failed email back in line with a fresh retry window (`manage.py deliveries --resend`)."""
    now = timezone.now()
    done = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING,
        next_attempt_at=now,
        give_up_at=now + give_up_after(delivery.queue),
        attempts=0,
    )
    if done:
        kick_after_commit(delivery.queue)
    return bool(done)
