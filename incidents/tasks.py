"""Thin Celery tasks: they call services, which write what must be sent to the delivery
ledger (core.deliveries); the ledger's dispatcher sends it."""

from celery import shared_task

from . import services


@shared_task
def escalate_overdue_alerts() -> int:
    return len(services.escalate_overdue_alerts())


@shared_task
def remind_overdue_threat_steps() -> int:
    return services.remind_overdue_threat_steps()
