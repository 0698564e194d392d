from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationQuerySet(models.QuerySet):
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

    def __str__(self) -> str:
        return self.title

    def mark_read(self) -> None:
        if self.read_at is None:
            self.read_at = timezone.now()
            self.save(update_fields=["read_at"])


class SentMessage(models.Model):
    """One row per message that must go out at most once (a reminder, an alert).

    `key` names the occasion, e.g. "drill-7d:42:user:7". A sender claims the key by
    inserting the row before sending; a duplicate task, a retried task or a second beat
    run finds the key taken and sends nothing. See core.messaging.send_once."""

    key = models.CharField(max_length=200, unique=True)
    recipient = models.CharField(max_length=254, blank=True)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at"]

    def __str__(self) -> str:
        return self.key
