"""Alerts through a real Celery worker on Redis."""

import datetime
import time

import pytest
from django.core import mail
from django.utils import timezone

from core.models import Delivery, Notification
from incidents.models import Alert, AlertKind

pytestmark = [pytest.mark.celery_worker]


@pytest.fixture
def worker(celery_redis_worker):
    """The worker, set up after (and torn down before) the pool reset in conftest, so the
    pools are forgotten again once the shared fixture has closed them."""
    return celery_redis_worker


def wait_for(condition, seconds: float = 10.0) -> float:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if condition():
            return time.monotonic() - start
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


def test_weapons_incident_reaches_the_sro_within_seconds(worker, admin_a, school_a, officer_a, log_incident):
    incident = log_incident(school=school_a, reported_by=admin_a)
    elapsed = wait_for(lambda: Notification.objects.filter(user=officer_a).exists())
    assert elapsed < 5
    assert Notification.objects.get(user=officer_a).url == incident.get_absolute_url()
    # The in-app notification was there at commit; the email goes once the server accepts it.
    wait_for(
        lambda: Delivery.objects.filter(
            occasion__startswith="incident-alert:", address="officer_a@police.example.gov", status="sent"
        ).exists()
    )
    assert sum("officer_a@police.example.gov" in m.to for m in mail.outbox) == 1


def test_escalation_through_the_worker_happens_once(
    worker, admin_a, school_a, officer_a, coordinator, log_incident
):
    from incidents.tasks import escalate_overdue_alerts

    incident = log_incident(school=school_a, reported_by=admin_a)
    wait_for(lambda: Notification.objects.filter(user=officer_a).exists())
    Alert.objects.filter(incident=incident, kind=AlertKind.OFFICER).update(
        due_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    # Two beat runs racing each other.
    escalate_overdue_alerts.delay()
    escalate_overdue_alerts.delay()
    wait_for(
        lambda: Notification.objects.filter(user=coordinator, title__startswith="Not acknowledged").exists()
    )
    time.sleep(1.0)  # let any duplicate arrive
    assert Notification.objects.filter(user=coordinator, title__startswith="Not acknowledged").count() == 1
    assert Alert.objects.get(incident=incident, kind=AlertKind.OFFICER).escalated_at is not None
