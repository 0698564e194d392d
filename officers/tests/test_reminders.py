"""The missing-notes reminder and the MOU review reminder go out once each, by email and in
the app, however often beat runs and however often the mail server refuses."""

import datetime
import time

import pytest
import time_machine
from django.core import mail

from core.dispatcher import dispatch
from core.models import Channel, Delivery, DeliveryStatus, Notification, Queue
from officers import tasks
from officers.models import Agency, Agreement, OfficerStatus
from officers.services import officers_missing_notes, previous_working_day, remind_missing_notes
from schools.models import Assignment
from tests.faults import REFUSING_BACKEND, wait_for

MONDAY = datetime.date(2026, 11, 23)
FRIDAY = datetime.date(2026, 11, 20)
MONDAY_NOON = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC)


def send_due_emails() -> int:
    """What the dispatcher does when the run's commit kicks it (or the 30-second sweep runs):
    send the reminder emails that are due. A `db` test never commits, so it is called here."""
    return dispatch(queue=Queue.REMINDERS)


def missing_notes_occasion(officer_user) -> str:
    return f"missing-notes:{officer_user.officer.pk}:{FRIDAY.isoformat()}"


def test_previous_working_day_skips_the_weekend():
    assert previous_working_day(MONDAY) == FRIDAY
    assert previous_working_day(datetime.date(2026, 11, 25)) == datetime.date(2026, 11, 24)


def test_officer_who_filed_nothing_gets_one_email_and_one_notification(
    officer_a, officer_b, school_b, make_note
):
    make_note(officer_b, school_b, day=FRIDAY)
    assert remind_missing_notes(today=MONDAY) == 2  # an in-app and an email delivery
    assert remind_missing_notes(today=MONDAY) == 0  # a second run writes nothing
    assert send_due_emails() == 1
    assert send_due_emails() == 0
    assert [m.to for m in mail.outbox] == [["officer_a@police.example.gov"]]
    assert "Fri 20 Nov 2026" in mail.outbox[0].subject
    assert "/officers/notes/new/?date=2026-11-20" in mail.outbox[0].body
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["officer_a"]
    assert sorted(
        Delivery.objects.filter(occasion=missing_notes_occasion(officer_a)).values_list("channel", "status")
    ) == [(Channel.EMAIL, DeliveryStatus.SENT), (Channel.IN_APP, DeliveryStatus.SENT)]


def test_the_beat_task_running_twice_still_reminds_once(officer_a, django_capture_on_commit_callbacks):
    # No explicit dispatch: the email goes because the run's commit kicks the dispatcher.
    with time_machine.travel(MONDAY_NOON), django_capture_on_commit_callbacks(execute=True):
        tasks.send_missing_note_reminders.delay()
        tasks.send_missing_note_reminders.delay()
    assert [m.to for m in mail.outbox] == [["officer_a@police.example.gov"]]
    occasion = missing_notes_occasion(officer_a)
    email = Delivery.objects.get(occasion=occasion, channel=Channel.EMAIL)
    assert (email.status, email.attempts, email.address) == (
        DeliveryStatus.SENT,
        1,
        "officer_a@police.example.gov",
    )
    assert (
        Delivery.objects.filter(occasion=occasion, channel=Channel.IN_APP, status=DeliveryStatus.SENT).count()
        == 1
    )
    assert Notification.objects.filter(user=officer_a).count() == 1


def test_a_refused_mail_server_leaves_the_reminder_retrying_and_a_later_dispatch_sends_it_once(
    officer_a, settings
):
    working_backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    with time_machine.travel(MONDAY_NOON, tick=False) as clock:
        tasks.send_missing_note_reminders.delay()
        assert send_due_emails() == 0
        email = Delivery.objects.get(occasion=missing_notes_occasion(officer_a), channel=Channel.EMAIL)
        assert email.status == DeliveryStatus.RETRYING
        assert "closed the connection" in email.last_error
        assert mail.outbox == []
        # The in-app reminder needs no mail server: the officer has it already.
        assert Notification.objects.filter(user=officer_a).count() == 1

        settings.EMAIL_BACKEND = working_backend
        tasks.send_missing_note_reminders.delay()  # beat runs again before the retry is due
        assert send_due_emails() == 0  # the retry waits for its backoff
        clock.move_to(email.next_attempt_at + datetime.timedelta(seconds=1))
        assert send_due_emails() == 1
        assert send_due_emails() == 0
    assert [m.to for m in mail.outbox] == [["officer_a@police.example.gov"]]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (DeliveryStatus.SENT, 2, "")
    assert Notification.objects.filter(user=officer_a).count() == 1


def test_no_reminder_for_officers_not_scheduled_that_day_or_not_active(officer_a, officer_b):
    Assignment.objects.filter(officer=officer_a.officer).update(weekdays="1234")  # not on Fridays
    officer_b.officer.status = OfficerStatus.ON_LEAVE
    officer_b.officer.save()
    assert officers_missing_notes(FRIDAY) == []


def test_no_reminder_for_an_officer_whose_assignment_ended(officer_a):
    Assignment.objects.filter(officer=officer_a.officer).update(end_date=datetime.date(2026, 11, 19))
    assert officers_missing_notes(FRIDAY) == []


def test_finding_missing_notes_takes_constant_queries(agency, school_a, django_assert_max_num_queries):
    from conftest import make_officer

    for i in range(20):
        make_officer(f"o{i}", school_a, agency, f"X{i}")
    with django_assert_max_num_queries(1):
        assert len(officers_missing_notes(FRIDAY)) == 20


@pytest.mark.celery_worker
def test_the_reminder_goes_out_once_through_a_real_worker(celery_redis_worker, officer_a):
    occasion = missing_notes_occasion(officer_a)

    def emailed():
        return Delivery.objects.filter(
            occasion=occasion, channel=Channel.EMAIL, status=DeliveryStatus.SENT
        ).count()

    with time_machine.travel(MONDAY_NOON, tick=True):
        tasks.send_missing_note_reminders.delay()
        tasks.send_missing_note_reminders.delay()
        assert wait_for(emailed)
        time.sleep(1.5)  # let the duplicate run (and any dispatcher it kicked) finish too
    assert emailed() == 1
    assert Delivery.objects.filter(occasion=occasion).count() == 2  # one email, one in-app
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(user=officer_a).count() == 1


# --- MOU review --------------------------------------------------------------------------------


@pytest.fixture
def agency_under_review(district_a):
    agency = Agency.objects.create(name="County Sheriff", kind="sheriff")
    Agreement.objects.create(
        agency=agency,
        district=district_a,
        effective_on=datetime.date(2025, 8, 1),
        review_on=datetime.date(2027, 1, 22),
    )
    return agency


def test_coordinators_are_reminded_60_then_14_days_before_an_mou_review(coordinator, agency_under_review):
    sent_before = 0
    for day, expected in [
        (datetime.date(2026, 11, 22), 0),  # 61 days before
        (datetime.date(2026, 11, 23), 1),  # 60 days before
        (datetime.date(2026, 11, 24), 0),  # already told
        (datetime.date(2027, 1, 8), 1),  # 14 days before
        (datetime.date(2027, 1, 9), 0),
    ]:
        with time_machine.travel(datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)):
            tasks.send_mou_review_reminders.delay()
            send_due_emails()
        assert len(mail.outbox) - sent_before == expected, day
        sent_before = len(mail.outbox)
    assert len(mail.outbox) == 2
    assert f"MOU review in 60 days: County Sheriff and {district_a_name()}" == mail.outbox[0].subject
    assert f"MOU review in 14 days: County Sheriff and {district_a_name()}" == mail.outbox[1].subject
    assert mail.outbox[0].to == ["coord@example.org"]
    assert Notification.objects.filter(user=coordinator).count() == 2
    made = Delivery.objects.filter(occasion__startswith=f"mou-review:{Agreement.objects.get().pk}:")
    assert sorted(made.values_list("channel", "status")) == (
        [(Channel.EMAIL, DeliveryStatus.SENT)] * 2 + [(Channel.IN_APP, DeliveryStatus.SENT)] * 2
    )


def test_a_missed_beat_run_still_sends_the_reminder_late(coordinator, agency_under_review):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)):
        tasks.send_mou_review_reminders.delay()
        tasks.send_mou_review_reminders.delay()
        send_due_emails()
    assert [m.subject for m in mail.outbox] == [
        f"MOU review in 52 days: County Sheriff and {district_a_name()}"
    ]
    assert Notification.objects.filter(user=coordinator).count() == 1


def district_a_name() -> str:
    return Agreement.objects.get().district.name


def test_an_mou_review_is_told_to_its_districts_coordinator_and_not_the_other_district(
    coordinator, coordinator_a, coordinator_b, agency_under_review
):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)):
        tasks.send_mou_review_reminders.delay()
        send_due_emails()
    assert sorted(m.to[0] for m in mail.outbox) == ["coord@example.org", "coord_a@example.org"]
