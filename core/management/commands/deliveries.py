"""`manage.py deliveries`: what the ledger has not delivered, and resending failed emails."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from core import deliveries, dispatcher
from core.models import Delivery, DeliveryStatus, Queue


class Command(BaseCommand):
    help = "List deliveries not made; --resend puts failed emails back in line; --send sends what is due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--resend", action="store_true", help="Resend every failed email (or --id ones).")
        parser.add_argument(
            "--id", type=int, action="append", default=[], help="Only this delivery (repeatable)."
        )
        parser.add_argument("--send", action="store_true", help="Send the emails due now, in this process.")

    def handle(self, *args, resend: bool, id: list[int], send: bool, **options) -> None:  # noqa: A002
        rows = Delivery.objects.not_made().order_by("created_at", "pk")
        if id:
            rows = rows.filter(pk__in=id)
        if resend:
            failed = rows.filter(status=DeliveryStatus.FAILED)
            count = sum(deliveries.resend(row) for row in failed)
            self.stdout.write(f"{count} failed deliver{'y' if count == 1 else 'ies'} put back in line.")
        if send:
            sent = sum(dispatcher.dispatch(queue=q) for q in (Queue.ALERTS, Queue.REMINDERS))
            self.stdout.write(f"{sent} email{'' if sent == 1 else 's'} accepted by the mail server.")
        if resend or send:
            return
        header = f"{'id':>7}  {'status':<9} {'channel':<7} {'queue':<9} {'tries':>5}  written"
        self.stdout.write(f"{header}           occasion (last error)")
        for row in rows:
            self.stdout.write(
                f"{row.pk:>7}  {row.status:<9} {row.channel:<7} {row.queue:<9} {row.attempts:>5}  "
                f"{row.created_at:%Y-%m-%d %H:%M}  {row.occasion}"
                + (f"  ({row.last_error})" if row.last_error else "")
            )
        self.stdout.write(f"{rows.count()} not delivered.")
