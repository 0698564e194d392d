"""Sends one email and says, in words a coordinator understands, why it did not go."""

from __future__ import annotations

import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string


class SendFailed(Exception):
    """The message was not accepted. `permanent` when retrying cannot help (the server
    refused the address itself); `reason` is shown on the incident page and the overdue list."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason[:300]
        self.permanent = permanent


def render_email(template_prefix: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Render `<prefix>-subject.txt`, `<prefix>-body.txt` and, if present, `<prefix>-body.html`."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{template_prefix}-subject.txt", context).split())
    text = render_to_string(f"{template_prefix}-body.txt", context)
    try:
        html = render_to_string(f"{template_prefix}-body.html", context)
    except TemplateDoesNotExist:  # the HTML part is optional; a broken one must fail loudly
        html = ""
    return subject, text, html


def send_email(*, to: str, subject: str, text: str, html: str, message_id: str) -> None:
    """Hand one message to the mail server; returns only once the server accepted it."""
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [to],
        headers={"Message-ID": message_id},
        connection=get_connection(timeout=settings.EMAIL_TIMEOUT),
    )
    if html:
        message.attach_alternative(html, "text/html")
    try:
        accepted = message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        raise SendFailed(
            f"The mail server refused the address ({', '.join(map(str, codes))})",
            permanent=all(code >= 500 for code in codes),
        ) from exc
    except smtplib.SMTPResponseException as exc:
        raise SendFailed(f"The mail server answered {exc.smtp_code}: {_text(exc.smtp_error)}") from exc
    except TimeoutError as exc:
        raise SendFailed(f"The mail server did not answer within {settings.EMAIL_TIMEOUT} s") from exc
    except smtplib.SMTPServerDisconnected as exc:
        if "timed out" in str(exc):  # smtplib's way of saying the reply never came
            raise SendFailed(f"The mail server did not answer within {settings.EMAIL_TIMEOUT} s") from exc
        raise SendFailed(f"The mail server closed the connection: {exc}") from exc
    except ConnectionRefusedError as exc:
        raise SendFailed("The mail server refused the connection (is it running?)") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise SendFailed(f"The mail server could not be reached: {exc}") from exc
    if not accepted:
        raise SendFailed("The mail backend did not accept the message")


def _text(error: bytes | str) -> str:
    return error.decode(errors="replace") if isinstance(error, bytes) else str(error)
