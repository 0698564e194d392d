from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_missing_note_reminders() -> int:
    return services.remind_missing_notes(today=timezone.localdate())


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_mou_review_reminders() -> int:
    return services.remind_mou_reviews(today=timezone.localdate())
