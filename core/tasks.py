"""The delivery ledger's dispatcher tasks: they only dispatch (core.dispatcher sends)."""

from __future__ import annotations

from celery import shared_task
from django import db
from django.db import DatabaseError, InterfaceError

from . import dispatcher


# Kicked after each commit that wrote deliveries, and swept by beat every 30 seconds on each
# queue (CELERY_BEAT_SCHEDULE), so a lost kick delays an email by 30 s at most. A database
# error retries the task; rows are never lost with it, they wait in the ledger.
@shared_task(
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=30,
    max_retries=5,
)
def dispatch_deliveries(queue: str) -> int:
    if not db.connection.in_atomic_block:
        # A connection the database dropped (the reason for a retry) is replaced, as
        # Celery's Django fixup does between tasks.
        db.close_old_connections()
    return dispatcher.dispatch(queue=queue)
