"""Reminders 60 and 14 days before a certificate expires and on the day it lapses: to the
officer and every coordinator, each once."""

import datetime
import time

import pytest
import time_machine
from celery import shared_task
from django.core import mail
from django.utils import timezone

from conftest import make_user
from core.models import Notification, SentMessage
from officers.models import OfficerStatus
from training import services, tasks
from training.models import RecordStatus
from training.services import REMINDER_14, REMINDER_60, REMINDER_LAPSED, reminder_kind

from .conftest import add_record

EXPIRES = datetime.date(2027, 3, 14)  # CPR completed 2025-03-14, valid through 2027-03-14


@pytest.mark.parametrize(
    ("days_before", "kind"),
    [
        (61, None),
        (60, REMINDER_60),
        (15, REMINDER_60),
        (14, REMINDER_14),
        (0, REMINDER_14),  # still valid on its expiry date
        (-1, REMINDER_LAPSED),  # the first day it is no longer valid
        (-7, REMINDER_LAPSED),  # a missed week is caught up
        (-8, None),
    ],
)
def test_which_reminder_is_due(days_before, kind):
    assert reminder_kind(EXPIRES, EXPIRES - datetime.timedelta(days=days_before)) == kind


@pytest.fixture
def certificate(officer_a, coordinator, cpr):
    return add_record(officer_a.officer, cpr, datetime.date(2025, 3, 14), verifier=coordinator)


@pytest.fixture
def run_beat_on(django_capture_on_commit_callbacks):
    """Run the daily task as beat would at 06:30 on `day`, and the reminder tasks it queues."""

    def run(day: datetime.date):
        moment = datetime.datetime.combine(day, datetime.time(6, 30), tzinfo=timezone.get_current_timezone())
        with time_machine.travel(moment), django_capture_on_commit_callbacks(execute=True):
            tasks.queue_training_reminders.delay()

    return run


def keys():
    return sorted(SentMessage.objects.values_list("key", flat=True))


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (EXPIRES - datetime.timedelta(days=60), REMINDER_60),
        (EXPIRES - datetime.timedelta(days=14), REMINDER_14),
        (EXPIRES + datetime.timedelta(days=1), REMINDER_LAPSED),
    ],
)
def test_each_reminder_goes_to_the_officer_and_the_coordinator_once(
    officer_a, coordinator, certificate, day, kind, run_beat_on
):
    run_beat_on(day)
    run_beat_on(day)  # the beat task runs twice (a restart, a duplicate delivery)
    assert keys() == sorted(
        [
            f"training-{kind}:{certificate.pk}:officer:{officer_a.officer.pk}",
            f"training-{kind}:{certificate.pk}:user:{coordinator.pk}",
        ]
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [officer_a.officer.contact_email, coordinator.email]
    )
    officer_mail = next(m for m in mail.outbox if m.to == [officer_a.officer.contact_email])
    assert "Heartsaver CPR AED and First Aid" in officer_mail.subject
    assert ("lapsed" in officer_mail.body) == (kind == REMINDER_LAPSED)
    expected = {
        REMINDER_60: "(60 days from now)",
        REMINDER_14: "(14 days from now)",
        REMINDER_LAPSED: "has lapsed",
    }
    assert expected[kind] in officer_mail.body
    coordinator_mail = next(m for m in mail.outbox if m.to == [coordinator.email])
    assert officer_a.officer.full_name in coordinator_mail.subject
    assert "Mar 14, 2027" in officer_mail.subject or kind == REMINDER_LAPSED
    assert Notification.objects.filter(user=officer_a).count() == 1
    assert Notification.objects.filter(user=coordinator).count() == 1


def test_a_whole_season_of_daily_runs_sends_each_kind_once(officer_a, coordinator, certificate, run_beat_on):
    day = EXPIRES - datetime.timedelta(days=70)
    while day <= EXPIRES + datetime.timedelta(days=20):
        run_beat_on(day)
        day += datetime.timedelta(days=1)
    assert len(mail.outbox) == 6  # 3 kinds × (officer + coordinator)
    assert {k.split(":")[0] for k in keys()} == {"training-60d", "training-14d", "training-lapsed"}


def test_every_coordinator_is_told(officer_a, coordinator, certificate, run_beat_on):
    second = make_user("coord2", "coordinator")
    run_beat_on(EXPIRES - datetime.timedelta(days=14))
    assert {m.to[0] for m in mail.outbox} == {
        officer_a.officer.contact_email,
        coordinator.email,
        second.email,
    }


def test_no_reminder_for_a_renewed_certificate(officer_a, coordinator, certificate, cpr, run_beat_on):
    add_record(officer_a.officer, cpr, datetime.date(2027, 2, 1), verifier=coordinator)
    run_beat_on(EXPIRES - datetime.timedelta(days=14))
    run_beat_on(EXPIRES + datetime.timedelta(days=1))
    assert mail.outbox == []


def test_no_reminder_for_unverified_records_or_inactive_officers(officer_a, officer_b, cpr, run_beat_on):
    add_record(officer_a.officer, cpr, datetime.date(2025, 3, 14), status=RecordStatus.PENDING)
    add_record(officer_b.officer, cpr, datetime.date(2025, 3, 14))
    officer_b.officer.status = OfficerStatus.INACTIVE
    officer_b.officer.save()
    run_beat_on(EXPIRES - datetime.timedelta(days=14))
    assert mail.outbox == []


def test_a_failed_send_is_retried_and_then_goes_once(officer_a, coordinator, certificate, monkeypatch):
    from core import messaging

    calls = []
    real = messaging.send_email

    def flaky(**kwargs):
        calls.append(kwargs["to"])
        if len(calls) == 1:
            raise ConnectionError("SMTP down")
        return real(**kwargs)

    monkeypatch.setattr(messaging, "send_email", flaky)
    with time_machine.travel(datetime.datetime(2027, 2, 28, 7, 0, tzinfo=timezone.get_current_timezone())):
        tasks.send_training_reminder.apply(args=[certificate.pk, REMINDER_14])
    assert len(mail.outbox) == 2
    assert len(SentMessage.objects.all()) == 2


@shared_task
def mark(user_id: int, title: str) -> None:
    Notification.objects.create(user_id=user_id, title=title)


def _wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not condition():
        time.sleep(0.1)
    return condition()


@pytest.mark.celery_worker
def test_reminders_travel_through_a_real_worker_and_go_once(celery_redis_worker, school_a, agency, cpr):
    # Dates relative to the real today: a worker thread runs in real time.
    from conftest import make_officer

    coordinator = make_user("coord", "coordinator")
    officer = make_officer("officer_w", school_a, agency, "555").officer
    today = timezone.localdate()
    completed = today - datetime.timedelta(days=365 * 2 - 14)
    record = add_record(officer, cpr, completed, verifier=coordinator)
    kind = reminder_kind(record.expires_on, today)
    assert kind in (REMINDER_60, REMINDER_14)
    tasks.queue_training_reminders.delay()
    assert _wait_for(lambda: SentMessage.objects.filter(sent_at__isnull=False).count() == 2)
    # A second run. The in-process worker runs tasks one at a time in order, so once a marker
    # queued after the second run's reminder task has run, that reminder task has run too.
    tasks.queue_training_reminders.delay()
    mark.delay(coordinator.pk, "after the second run")
    assert _wait_for(lambda: Notification.objects.filter(title="after the second run").exists())
    mark.delay(coordinator.pk, "after its reminders")
    assert _wait_for(lambda: Notification.objects.filter(title="after its reminders").exists())
    assert SentMessage.objects.count() == 2
    assert len(mail.outbox) == 2
    assert services.records_needing_reminders(today) == [(record.pk, kind)]
