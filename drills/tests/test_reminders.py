"""Drill reminders: 7 days and 1 day before, overdue the day after, at-risk warnings and the
Monday digest. Each goes once per (drill, occasion, recipient), by email and in the app,
however often beat runs and however many dispatchers run at once."""

import datetime
import time

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from conftest import make_user
from core.dispatcher import claim_next, dispatch, send_claimed
from core.models import Channel, Delivery, DeliveryStatus, Notification, Queue
from drills import services, tasks
from drills.models import Drill
from tests.faults import REFUSING_BACKEND, wait_for

from .conftest import conducted, scheduled

D = datetime.date
DRILL_DAY = D(2025, 10, 15)


def subjects():
    return sorted(m.subject for m in mail.outbox)


def send_due_emails() -> int:
    """What the dispatcher does when a run's commit kicks it (or the 30-second sweep runs):
    send the reminder emails that are due. A `db` test never commits, so it is called here."""
    return dispatch(queue=Queue.REMINDERS)


def run_day(task, day: str) -> None:
    """A beat run of `task` for `day`, and the dispatcher its commit kicks."""
    task(day)
    send_due_emails()


def emailed(prefix: str) -> int:
    return Delivery.objects.filter(
        occasion__startswith=prefix, channel=Channel.EMAIL, status=DeliveryStatus.SENT
    ).count()


@pytest.fixture
def drill(school_a, admin_a, officer_a):
    return scheduled(school_a, DRILL_DAY)


def test_seven_day_reminder_goes_to_administrators_and_the_sro_once(drill, admin_a, officer_a):
    mail.outbox.clear()
    run_day(tasks.queue_drill_reminders, "2025-10-08")
    run_day(tasks.queue_drill_reminders, "2025-10-08")  # beat re-run
    run_day(tasks.queue_drill_reminders, "2025-10-09")  # the next day is still inside the 7-day window
    assert sorted(m.to[0] for m in mail.outbox) == ["admin_a@example.org", "officer_a@police.example.gov"]
    assert subjects()[0] == "In 7 days: Lockdown drill at Alpha High School on Wed 15 Oct 2025"
    assert Notification.objects.filter(user=officer_a, title__startswith="Drill in 7 days").count() == 1
    assert Notification.objects.filter(user=admin_a, title__startswith="Drill in 7 days").count() == 1
    prefix = f"drill-7d:{drill.pk}:"
    assert emailed(prefix) == 2
    assert Delivery.objects.filter(occasion__startswith=prefix, channel=Channel.IN_APP).count() == 2


def test_the_reminders_are_emailed_as_soon_as_the_daily_run_commits(
    drill, django_capture_on_commit_callbacks
):
    # No explicit dispatch: the run's commit kicks the dispatcher, which sends both.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.queue_drill_reminders.delay("2025-10-14").get() == 4  # 2 emails + 2 in-app
    assert sorted(m.to[0] for m in mail.outbox) == ["admin_a@example.org", "officer_a@police.example.gov"]
    assert emailed(f"drill-1d:{drill.pk}:") == 2


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
        run_day(tasks.queue_drill_reminders, day)
    assert len(mail.outbox) == 6  # three occasions, two recipients
    assert sum(s.startswith("In 7 days") for s in subjects()) == 2
    assert sum(s.startswith("Tomorrow") for s in subjects()) == 2
    assert sum(s.startswith("Not logged") for s in subjects()) == 2
    assert Notification.objects.count() == 6


def test_a_logged_drill_gets_no_overdue_notice(drill):
    Drill.objects.filter(pk=drill.pk).update(conducted_at=drill.scheduled_at, duration_minutes=10)
    mail.outbox.clear()
    run_day(tasks.queue_drill_reminders, "2025-10-16")
    assert mail.outbox == []
    assert not Delivery.objects.exists()


def test_the_daily_run_repeated_and_dispatchers_running_at_once_never_duplicate_an_email(drill):
    mail.outbox.clear()
    # Beat re-runs, and a task the broker delivered again: only the first writes anything.
    written = [tasks.queue_drill_reminders.delay("2025-10-14").get() for _ in range(3)]
    assert written == [4, 0, 0]  # 2 emails + 2 in-app
    # Two dispatchers at once: one has taken a row and is still talking to the mail server
    # while the other runs; it cannot take that row.
    taken = claim_next(queue=Queue.REMINDERS)
    assert taken is not None and taken.status == DeliveryStatus.SENDING
    assert send_due_emails() == 1
    assert send_claimed(taken)
    assert send_due_emails() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["admin_a@example.org", "officer_a@police.example.gov"]
    prefix = f"drill-1d:{drill.pk}:"
    assert emailed(prefix) == 2
    assert Delivery.objects.filter(occasion__startswith=prefix).count() == 4  # 2 emails + 2 in-app
    assert Notification.objects.count() == 2


def test_a_rescheduled_drill_is_reminded_again(drill):
    mail.outbox.clear()
    run_day(tasks.queue_drill_reminders, "2025-10-14")
    Drill.objects.filter(pk=drill.pk).update(scheduled_at=drill.scheduled_at + datetime.timedelta(days=7))
    run_day(tasks.queue_drill_reminders, "2025-10-21")
    assert len(mail.outbox) == 4


def test_a_refused_send_is_retried_and_mails_each_recipient_once(drill, settings):
    working_backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    mail.outbox.clear()
    with time_machine.travel(datetime.datetime(2025, 10, 8, 8, tzinfo=datetime.UTC), tick=False) as clock:
        run_day(tasks.queue_drill_reminders, "2025-10-08")
        emails = Delivery.objects.filter(occasion__startswith=f"drill-7d:{drill.pk}:", channel=Channel.EMAIL)
        assert sorted(emails.values_list("status", flat=True)) == [DeliveryStatus.RETRYING] * 2
        assert all("closed the connection" in e.last_error for e in emails)
        assert mail.outbox == []
        assert Notification.objects.count() == 2  # the in-app reminders need no mail server

        settings.EMAIL_BACKEND = working_backend
        run_day(tasks.queue_drill_reminders, "2025-10-08")  # beat again, before the backoff ends
        assert mail.outbox == []
        clock.move_to(max(e.next_attempt_at for e in emails) + datetime.timedelta(seconds=1))
        assert send_due_emails() == 2
        assert send_due_emails() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["admin_a@example.org", "officer_a@police.example.gov"]
    assert sorted(emails.values_list("status", "attempts")) == [(DeliveryStatus.SENT, 2)] * 2


def test_at_risk_warning_goes_once_per_requirement(school_a, admin_a, officer_a):
    conducted(school_a, D(2025, 9, 10))
    mail.outbox.clear()
    run_day(tasks.warn_at_risk_schools, "2025-12-10")
    run_day(tasks.warn_at_risk_schools, "2025-12-11")
    warned = [m for m in mail.outbox if m.to == ["admin_a@example.org"]]
    assert len(warned) == 1
    assert (
        warned[0].subject
        == "Drills at risk at Alpha High School: 8 drills between September 1 and December 31"
    )
    assert "7 more needed by Wed 31 Dec 2025" in warned[0].body
    assert Notification.objects.filter(user=admin_a, title="Drills at risk at Alpha High School").count() == 1


def test_school_on_track_gets_no_warning(school_a, admin_a):
    mail.outbox.clear()
    run_day(tasks.warn_at_risk_schools, "2025-10-01")
    assert mail.outbox == []
    assert not Delivery.objects.exists()


def test_monday_digest_goes_to_coordinators_once_a_week(coordinator, school_a, school_b):
    scheduled(school_b, D(2025, 10, 8))
    mail.outbox.clear()
    run_day(tasks.send_district_digest, "2025-10-06")
    run_day(tasks.send_district_digest, "2025-10-06")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].to == ["coord@example.org"]
    assert "Alpha High School: On track" in body and "Bravo Middle School" in body
    assert "Lockdown" in body
    run_day(tasks.send_district_digest, "2025-10-13")
    assert len(mail.outbox) == 2
    assert emailed("drill-digest:") == 2
    assert not Notification.objects.exists()  # a weekly read, by email only


@pytest.mark.celery_worker
def test_reminder_cycle_through_a_real_worker_never_duplicates(celery_redis_worker, school_a, agency):
    from conftest import make_officer

    admin = make_user("principal", "school_admin")
    school_a.administrators.add(admin)
    make_officer("sro", school_a, agency, "301")
    drill = scheduled(school_a, DRILL_DAY)
    mail.outbox.clear()

    for day, kind in [("2025-10-08", "7d"), ("2025-10-14", "1d"), ("2025-10-16", "overdue")]:
        tasks.queue_drill_reminders.delay(day)
        tasks.queue_drill_reminders.delay(day)  # beat runs twice
        tasks.queue_drill_reminders.delay(day)  # the same task delivered again
        assert wait_for(lambda kind=kind: emailed(f"drill-{kind}:{drill.pk}:") == 2), kind
    time.sleep(1.5)  # let the duplicate runs, and any dispatcher they kicked, finish
    assert len(mail.outbox) == 6
    assert (
        sorted(m.subject.split(":")[0] for m in mail.outbox)
        == ["In 7 days"] * 2 + ["Not logged"] * 2 + ["Tomorrow"] * 2
    )
    assert Delivery.objects.filter(channel=Channel.IN_APP).count() == 6
    assert Notification.objects.count() == 6


@pytest.mark.celery_worker
def test_a_worker_killed_mid_send_and_redelivered_tasks_mail_nothing_twice(
    celery_redis_worker, school_a, agency
):
    from django.conf import settings

    from conftest import make_officer
    from core.tasks import dispatch_deliveries

    admin = make_user("principal", "school_admin")
    school_a.administrators.add(admin)
    make_officer("sro", school_a, agency, "301")
    drill = scheduled(school_a, DRILL_DAY)
    mail.outbox.clear()
    principal_email = Delivery.objects.filter(
        occasion=f"drill-1d:{drill.pk}:{DRILL_DAY.isoformat()}:user:{admin.pk}", channel=Channel.EMAIL
    )
    with transaction.atomic():
        services.queue_drill_reminders(today=D(2025, 10, 14))
        # A dispatcher claimed the principal's email, then was killed before the mail
        # server answered: the row is "sending" under a lease that has not run out.
        assert (
            principal_email.update(
                status=DeliveryStatus.SENDING,
                lease_token="killed-worker",
                lease_until=timezone.now() + datetime.timedelta(seconds=settings.DELIVERY_LEASE_SECONDS),
                attempts=1,
            )
            == 1
        )
    # The commit kicked a dispatcher on the real worker; after the restart the broker
    # redelivers the unacknowledged task (acks_late), and beat runs again.
    for _ in range(3):
        tasks.queue_drill_reminders.delay("2025-10-14")
    assert wait_for(lambda: emailed(f"drill-1d:{drill.pk}:") == 1)
    time.sleep(1.5)
    assert [m.to for m in mail.outbox] == [["sro@police.example.gov"]]
    assert principal_email.get().status == DeliveryStatus.SENDING
    # The lease runs out, and the beat sweep's dispatcher takes the row again: sent once.
    principal_email.update(lease_until=timezone.now() - datetime.timedelta(seconds=1))
    dispatch_deliveries.apply_async(kwargs={"queue": Queue.REMINDERS}, queue=Queue.REMINDERS)
    assert wait_for(lambda: emailed(f"drill-1d:{drill.pk}:") == 2)
    time.sleep(1.0)
    assert sorted(m.to[0] for m in mail.outbox) == ["principal@example.org", "sro@police.example.gov"]
    assert (principal_email.get().status, principal_email.get().attempts) == (DeliveryStatus.SENT, 2)
    assert Delivery.objects.filter(occasion__startswith=f"drill-1d:{drill.pk}:").count() == 4


def test_beat_schedule_names_real_tasks():
    from django.conf import settings

    from sro_program.celery import app

    app.loader.import_default_modules()
    ours = {k: v for k, v in settings.CELERY_BEAT_SCHEDULE.items() if k.startswith(("drills-", "surveys-"))}
    assert set(ours) == {"drills-reminders", "drills-at-risk", "drills-digest", "surveys-daily"}
    assert all(entry["task"] in app.tasks for entry in ours.values())
