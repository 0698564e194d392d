"""Sending email and in-app notifications, each at most once per occasion."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Notification, SentMessage

log = logging.getLogger("sro.messaging")


def render_email(template_prefix: str, context: dict) -> tuple[str, str, str | None]:
    """Render `<prefix>-subject.txt`, `<prefix>-body.txt` and, if present, `<prefix>-body.html`."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{template_prefix}-subject.txt", context).split())
    text = render_to_string(f"{template_prefix}-body.txt", context)
    try:
        html = render_to_string(f"{template_prefix}-body.html", context)
    except Exception:  # noqa: BLE001 - the HTML part is optional
        html = None
    return subject, text, html


def send_email(*, template_prefix: str, to: Iterable[str], context: dict) -> None:
    recipients = [address for address in to if address]
    if not recipients:
        return
    subject, text, html = render_email(template_prefix, context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, recipients)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def claim(key: str, recipient: str = "") -> SentMessage | None:
    """Take the right to send for `key`; None if someone already has."""
    try:
        with transaction.atomic():
            return SentMessage.objects.create(key=key, recipient=recipient)
    except IntegrityError:
        return None


def send_once(
    *,
    key: str,
    template_prefix: str,
    to: str,
    context: dict,
    user=None,
    notification_title: str = "",
    notification_url: str = "",
    level: str = "info",
) -> bool:
    """Email `to` (and notify `user` in the app) once for `key`. Returns True if sent now.

    The claim is written before sending. If sending fails, the claim is released and the
    error re-raised so that Celery retries; a retry or a duplicate delivery after a
    successful send finds the claim and does nothing."""
    record = claim(key, to)
    if record is None:
        log.info("already sent: %s", key)
        return False
    try:
        if to:
            send_email(template_prefix=template_prefix, to=[to], context=context)
        if user is not None and notification_title:
            Notification.objects.create(
                user=user, title=notification_title, url=notification_url, level=level
            )
    except Exception:
        record.delete()
        raise
    SentMessage.objects.filter(pk=record.pk).update(sent_at=timezone.now())
    return True
