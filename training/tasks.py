"""Thin Celery tasks: take ids, call a service."""

from celery import shared_task

from core.scheduling import SEND_RETRY

from . import services


@shared_task
def queue_training_reminders() -> int:
    """Daily (see CELERY_BEAT_SCHEDULE): queue the 60-day, 14-day and lapsed reminders due today."""
    return services.queue_reminders()


@shared_task(**SEND_RETRY)
def send_training_reminder(record_id: int, kind: str) -> int:
    return services.send_reminder(record_id=record_id, kind=kind)
