from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .templatetags.dates import clock


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message for one user (alerts, reminders). The bell in the navigation
    counts the unread ones."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    level = models.CharField(
        max_length=10,
        choices=[("info", "Info"), ("warning", "Warning"), ("danger", "Urgent")],
        default="info",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        # Every signed-in page counts the user's unread ones (core.context_processors): only
        # those are read, not every notification the user ever had (65,000 read ones: 800
        # buffers, ~5 ms a page; 5 buffers with this index).
        indexes = [
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread")
        ]

    def __str__(self) -> str:
        return self.title

    def mark_read(self) -> None:
        if self.read_at is None:
            self.read_at = timezone.now()
            self.save(update_fields=["read_at"])


class Channel(models.TextChoices):
    IN_APP = "in_app", "In the app"
    EMAIL = "email", "Email"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    SENDING = "sending", "Sending"
    RETRYING = "retrying", "Retrying"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Queue(models.TextChoices):
    """Celery queue of the dispatcher that sends a delivery: alerts never wait behind reminders."""

    ALERTS = "alerts", "Alert"
    REMINDERS = "reminders", "Reminder"


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def claimable(self, now: datetime.datetime) -> DeliveryQuerySet:
        """Emails whose turn has come: waiting or retrying and due, or claimed by a worker
        whose lease ran out (it was killed, or lost its database)."""
        return self.filter(channel=Channel.EMAIL).filter(
            Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING], next_attempt_at__lte=now)
            | Q(status=DeliveryStatus.SENDING, lease_until__lt=now)
        )

    def not_made(self) -> DeliveryQuerySet:
        return self.exclude(status=DeliveryStatus.SENT)

    def overdue(self, now: datetime.datetime) -> DeliveryQuerySet:
        """Not made within its response window: still not sent after `due_at`, or sent late."""
        return self.filter(due_at__isnull=False).filter(
            Q(sent_at__isnull=True, due_at__lt=now) | Q(sent_at__gt=models.F("due_at"))
        )

    def for_occasions(self, occasions: list[str]) -> DeliveryQuerySet:
        return self.filter(occasion__in=occasions)


class Delivery(models.Model):
    """One message to one recipient on one channel: the ledger every alert and reminder is
    written to, in the same transaction as what calls for it (a transactional outbox).

    An in-app delivery is made when it is written (the Notification is created with it).
    An email delivery waits until a dispatcher claims it (`status` sending, with a lease),
    and is `sent` only once the mail server accepted it; a refused, timed-out or
    interrupted send is retried with backoff until `give_up_at`, then `failed`.
    `(occasion, channel, address)` is unique, so writing the same occasion twice (a
    repeated beat run, a retried task) adds nothing."""

    occasion = models.CharField(max_length=200, help_text='What calls for it, e.g. "incident-alert:42".')
    channel = models.CharField(max_length=10, choices=Channel.choices)
    queue = models.CharField(max_length=10, choices=Queue.choices, default=Queue.REMINDERS)
    # The user's pk ("user:7") for in-app deliveries, the lower-cased address for email.
    address = models.CharField(max_length=254)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    email = models.EmailField(blank=True)
    subject = models.CharField(max_length=300)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    notification = models.OneToOneField(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="delivery"
    )
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    # When the recipient must have it by (an alert's response window); overdue after that.
    due_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    give_up_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["occasion", "channel", "address"], name="one_delivery_per_occasion"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="sent_delivery_has_sent_at"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["occasion"], name="delivery_occasion"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} for {self.occasion}: {self.get_status_display()}"

    @property
    def message_id(self) -> str:
        """The same Message-ID on every attempt, so a mail system can drop the duplicate sent
        when the outcome of an attempt was unknown (core.dispatcher)."""
        domain = settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
        return f"<delivery-{self.pk}.{self.created_at:%Y%m%d%H%M%S}@{domain}>"

    @property
    def status_in_words(self) -> str:
        tries = f"{self.attempts} attempt{'s' if self.attempts != 1 else ''}"
        if self.status == DeliveryStatus.SENT:
            return "Delivered in the app" if self.channel == Channel.IN_APP else "Accepted by the mail server"
        if self.status == DeliveryStatus.RETRYING:
            return f"Retrying after {tries}: {self.last_error}; next try at {clock(self.next_attempt_at)}"
        if self.status == DeliveryStatus.FAILED:
            return f"Failed after {tries}: {self.last_error}"
        if self.status == DeliveryStatus.SENDING:
            if self.lease_until is not None and self.lease_until < timezone.now():
                # Its worker stopped mid-send (core.dispatcher): the next sweep takes it again.
                return f"Interrupted after {tries}: waiting to be sent again"
            return "Being sent now"
        return "Waiting to be sent"
