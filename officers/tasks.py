from celery import shared_task
from django.utils import timezone

from core.scheduling import SEND_RETRY

from . import services


@shared_task(**SEND_RETRY)
def send_missing_note_reminders() -> int:
    return services.remind_missing_notes(today=timezone.localdate())


@shared_task(**SEND_RETRY)
def send_mou_review_reminders() -> int:
    return services.remind_mou_reviews(today=timezone.localdate())
