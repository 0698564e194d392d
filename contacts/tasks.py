"""Thin Celery tasks: they call services, which write reminders to the delivery ledger."""

from celery import shared_task

from . import services


@shared_task
def remind_parent_notifications() -> int:
    return services.remind_parent_notifications()
