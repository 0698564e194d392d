"""The missing-notes reminder and the MOU review reminder go out once each."""

import datetime

import pytest
import time_machine
from django.core import mail

from core.models import Notification, SentMessage
from officers import tasks
from officers.models import Agency, Agreement, OfficerStatus
from officers.services import officers_missing_notes, previous_working_day, remind_missing_notes
from schools.models import Assignment

MONDAY = datetime.date(2026, 11, 23)
FRIDAY = datetime.date(2026, 11, 20)


def test_previous_working_day_skips_the_weekend():
    assert previous_working_day(MONDAY) == FRIDAY
    assert previous_working_day(datetime.date(2026, 11, 25)) == datetime.date(2026, 11, 24)


def test_officer_who_filed_nothing_gets_one_email_and_one_notification(
    officer_a, officer_b, school_b, make_note
):
    make_note(officer_b, school_b, day=FRIDAY)
    assert remind_missing_notes(today=MONDAY) == 1
    assert remind_missing_notes(today=MONDAY) == 0  # a second run sends nothing
    assert [m.to for m in mail.outbox] == [["officer_a@police.example.gov"]]
    assert "Friday, November 20" in mail.outbox[0].subject
    assert "/officers/notes/new/?date=2026-11-20" in mail.outbox[0].body
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["officer_a"]


def test_the_beat_task_running_twice_still_reminds_once(officer_a):
    with time_machine.travel(datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC)):
        tasks.send_missing_note_reminders.delay()
        tasks.send_missing_note_reminders.delay()
    assert len(mail.outbox) == 1
    assert SentMessage.objects.filter(key=f"missing-notes:{officer_a.officer.pk}:2026-11-20").count() == 1


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
    import time

    with time_machine.travel(datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC), tick=True):
        tasks.send_missing_note_reminders.delay()
        tasks.send_missing_note_reminders.delay()
        deadline = time.monotonic() + 20
        key = f"missing-notes:{officer_a.officer.pk}:2026-11-20"
        while (
            time.monotonic() < deadline
            and not SentMessage.objects.filter(key=key, sent_at__isnull=False).exists()
        ):
            time.sleep(0.2)
        time.sleep(1.5)  # let the duplicate run finish too
    assert SentMessage.objects.filter(key=key, sent_at__isnull=False).count() == 1
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
        assert len(mail.outbox) - sent_before == expected, day
        sent_before = len(mail.outbox)
    assert len(mail.outbox) == 2
    assert f"MOU review in 60 days: County Sheriff and {district_a_name()}" == mail.outbox[0].subject
    assert f"MOU review in 14 days: County Sheriff and {district_a_name()}" == mail.outbox[1].subject
    assert mail.outbox[0].to == ["coord@example.org"]


def test_a_missed_beat_run_still_sends_the_reminder_late(coordinator, agency_under_review):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)):
        tasks.send_mou_review_reminders.delay()
        tasks.send_mou_review_reminders.delay()
    assert [m.subject for m in mail.outbox] == [
        f"MOU review in 52 days: County Sheriff and {district_a_name()}"
    ]


def district_a_name() -> str:
    return Agreement.objects.get().district.name


def test_an_mou_review_is_told_to_its_districts_coordinator_and_not_the_other_district(
    coordinator, coordinator_a, coordinator_b, agency_under_review
):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)):
        tasks.send_mou_review_reminders.delay()
    assert sorted(m.to[0] for m in mail.outbox) == ["coord@example.org", "coord_a@example.org"]
