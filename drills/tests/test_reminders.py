"""Drill reminders: 7 days and 1 day before, overdue the day after, at-risk warnings and the
Monday digest. Each goes once per (drill, occasion, recipient), however often beat runs."""

import datetime
import smtplib
import time

import pytest
from django.core import mail

from conftest import make_user
from core.models import Notification, SentMessage
from drills import tasks
from drills.models import Drill

from .conftest import conducted, scheduled

D = datetime.date
DRILL_DAY = D(2025, 10, 15)


def subjects():
    return sorted(m.subject for m in mail.outbox)


@pytest.fixture
def drill(school_a, admin_a, officer_a):
    return scheduled(school_a, DRILL_DAY)


def test_seven_day_reminder_goes_to_administrators_and_the_sro_once(drill, admin_a, officer_a):
    mail.outbox.clear()
    tasks.queue_drill_reminders("2025-10-08")
    tasks.queue_drill_reminders("2025-10-08")  # beat re-run
    tasks.queue_drill_reminders("2025-10-09")  # the next day is still inside the 7-day window
    assert sorted(m.to[0] for m in mail.outbox) == ["admin_a@example.org", "officer_a@police.example.gov"]
    assert subjects()[0] == "In 7 days: Lockdown drill at Alpha High School on Wednesday, October 15"
    assert Notification.objects.filter(user=officer_a, title__startswith="Drill in 7 days").count() == 1


def test_full_cycle_sends_seven_day_one_day_and_overdue_once_each(drill):
    mail.outbox.clear()
    for day in [
        "2025-10-01",
        "2025-10-08",
        "2025-10-10",
        "2025-10-14",
        "2025-10-15",
        "2025-10-16",
        "2025-10-17",
    ]:
        tasks.queue_drill_reminders(day)
    assert len(mail.outbox) == 6  # three occasions, two recipients
    assert sum(s.startswith("In 7 days") for s in subjects()) == 2
    assert sum(s.startswith("Tomorrow") for s in subjects()) == 2
    assert sum(s.startswith("Not logged") for s in subjects()) == 2


def test_a_logged_drill_gets_no_overdue_notice(drill):
    Drill.objects.filter(pk=drill.pk).update(conducted_at=drill.scheduled_at, duration_minutes=10)
    mail.outbox.clear()
    tasks.queue_drill_reminders("2025-10-16")
    assert mail.outbox == []


def test_redelivering_the_same_task_never_duplicates_an_email(drill):
    mail.outbox.clear()
    for _ in range(3):
        tasks.send_drill_reminder.delay(drill.pk, "1d", "2025-10-14")
    assert len(mail.outbox) == 2
    assert SentMessage.objects.filter(key__startswith=f"drill-1d:{drill.pk}:").count() == 2


def test_a_rescheduled_drill_is_reminded_again(drill):
    mail.outbox.clear()
    tasks.queue_drill_reminders("2025-10-14")
    Drill.objects.filter(pk=drill.pk).update(scheduled_at=drill.scheduled_at + datetime.timedelta(days=7))
    tasks.queue_drill_reminders("2025-10-21")
    assert len(mail.outbox) == 4


def test_a_failed_send_is_retried_and_mails_once(drill, monkeypatch):
    from core import messaging

    real = messaging.send_email
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise smtplib.SMTPServerDisconnected("connection lost mid-send")
        return real(**kwargs)

    monkeypatch.setattr(messaging, "send_email", flaky)
    monkeypatch.setattr(tasks.send_drill_reminder, "max_retries", 2)
    mail.outbox.clear()
    tasks.send_drill_reminder.apply(args=[drill.pk, "7d", "2025-10-08"])
    assert len(mail.outbox) == 2  # the retry sent to both; the failed recipient once
    assert sorted(m.to[0] for m in mail.outbox) == ["admin_a@example.org", "officer_a@police.example.gov"]


def test_at_risk_warning_goes_once_per_requirement(school_a, admin_a, officer_a):
    conducted(school_a, D(2025, 9, 10))
    mail.outbox.clear()
    tasks.warn_at_risk_schools("2025-12-10")
    tasks.warn_at_risk_schools("2025-12-11")
    warned = [m for m in mail.outbox if m.to == ["admin_a@example.org"]]
    assert len(warned) == 1
    assert (
        warned[0].subject
        == "Drills at risk at Alpha High School: 8 drills between September 1 and December 31"
    )
    assert "7 more needed by December 31, 2025" in warned[0].body


def test_school_on_track_gets_no_warning(school_a, admin_a):
    mail.outbox.clear()
    tasks.warn_at_risk_schools("2025-10-01")
    assert mail.outbox == []


def test_monday_digest_goes_to_coordinators_once_a_week(coordinator, school_a, school_b):
    scheduled(school_b, D(2025, 10, 8))
    mail.outbox.clear()
    tasks.send_district_digest("2025-10-06")
    tasks.send_district_digest("2025-10-06")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].to == ["coord@example.org"]
    assert "Alpha High School: On track" in body and "Bravo Middle School" in body
    assert "Lockdown" in body
    tasks.send_district_digest("2025-10-13")
    assert len(mail.outbox) == 2


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


@pytest.mark.celery_worker
def test_reminder_cycle_through_a_real_worker_never_duplicates(celery_redis_worker, school_a, agency):
    from conftest import make_officer

    admin = make_user("principal", "school_admin")
    school_a.administrators.add(admin)
    make_officer("sro", school_a, agency, "301")
    drill = scheduled(school_a, DRILL_DAY)
    mail.outbox.clear()

    def claimed(prefix):
        return SentMessage.objects.filter(key__startswith=prefix, sent_at__isnull=False).count()

    for day, kind in [("2025-10-08", "7d"), ("2025-10-14", "1d"), ("2025-10-16", "overdue")]:
        tasks.queue_drill_reminders.delay(day)
        tasks.queue_drill_reminders.delay(day)  # beat runs twice
        tasks.send_drill_reminder.delay(drill.pk, kind, day)  # the same task delivered again
        assert wait_for(lambda kind=kind: claimed(f"drill-{kind}:") == 2), kind
    # Everything queued has run: one more probe task after the duplicates, in order.
    tasks.send_drill_reminder.delay(drill.pk, "overdue", "2025-10-16")
    time.sleep(1.5)
    assert len(mail.outbox) == 6
    assert (
        sorted(m.subject.split(":")[0] for m in mail.outbox)
        == ["In 7 days"] * 2 + ["Not logged"] * 2 + ["Tomorrow"] * 2
    )


@pytest.mark.celery_worker
def test_a_worker_restarted_mid_send_and_redelivered_tasks_mail_nothing_twice(
    celery_redis_worker, school_a, agency
):
    from conftest import make_officer

    admin = make_user("principal", "school_admin")
    school_a.administrators.add(admin)
    make_officer("sro", school_a, agency, "301")
    drill = scheduled(school_a, DRILL_DAY)
    mail.outbox.clear()
    # A worker claimed the 1-day reminder for the principal, then died before sending: the
    # claim is written first, so whatever runs the task again sends nothing for that key.
    SentMessage.objects.create(key=f"drill-1d:{drill.pk}:{DRILL_DAY.isoformat()}:user:{admin.pk}")
    # After the restart the broker redelivers the unacknowledged task (acks_late), and beat
    # runs again; all of it through the real worker.
    for _ in range(3):
        tasks.queue_drill_reminders.delay("2025-10-14")
        tasks.send_drill_reminder.delay(drill.pk, "1d", "2025-10-14")
    assert wait_for(lambda: SentMessage.objects.filter(sent_at__isnull=False).count() == 1)
    time.sleep(1.5)
    assert [m.to for m in mail.outbox] == [["sro@police.example.gov"]]
    assert SentMessage.objects.filter(key__startswith=f"drill-1d:{drill.pk}:").count() == 2


def test_beat_schedule_names_real_tasks():
    from django.conf import settings

    from sro_program.celery import app

    app.loader.import_default_modules()
    ours = {k: v for k, v in settings.CELERY_BEAT_SCHEDULE.items() if k.startswith(("drills-", "surveys-"))}
    assert set(ours) == {"drills-reminders", "drills-at-risk", "drills-digest", "surveys-daily"}
    assert all(entry["task"] in app.tasks for entry in ours.values())
