"""Thin Celery tasks: they call services, which write reminders to the delivery ledger."""

from celery import shared_task

from . import services


@shared_task
def queue_training_reminders() -> int:
    """Daily (see CELERY_BEAT_SCHEDULE): the 60-day, 14-day and lapsed reminders due today."""
    return services.queue_reminders()
