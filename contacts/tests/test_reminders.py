"""Arrests and uses of force without a recorded parent notification: flagged, on the
dashboard, and reminded once per contact to the officer and the school's administrators."""

import datetime

from django.core import mail
from django.utils import timezone

from contacts.services import record_contact, remind_parent_notifications, update_contact
from core.models import Delivery


def test_a_use_of_force_without_notification_is_reminded_once(
    school_a, admin_a, officer_a, make_student, django_capture_on_commit_callbacks
):
    student = make_student(school_a)
    force = record_contact(
        by=officer_a,
        school=school_a,
        student=student,
        kind="use_of_force",
        force_type="restraint",
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
        officer=officer_a.officer,
    )
    record_contact(
        by=officer_a,
        school=school_a,
        student=student,
        kind="questioning",
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
        officer=officer_a.officer,
    )
    assert force.needs_parent_notice
    assert remind_parent_notifications() == 4  # an email and a notification each, two people
    assert remind_parent_notifications() == 0
    emails = Delivery.objects.filter(channel="email")
    assert {d.address for d in emails} == {"admin_a@example.org", "officer_a@example.org"}
    assert all(student.local_id not in d.subject + d.body_text for d in emails)
    assert all(student.last_name not in d.subject + d.body_text for d in emails)
    update_contact(
        contact=force, by=admin_a, changes={"parent_notified": True, "parent_notified_at": timezone.now()}
    )
    force.refresh_from_db()
    assert not force.needs_parent_notice
    assert mail.outbox == []  # written to the ledger; the dispatcher sends


def test_the_dashboard_tile_counts_what_lacks_a_notification(
    coordinator_client, school_a, officer_a, make_student
):
    record_contact(
        by=officer_a,
        school=school_a,
        student=make_student(school_a),
        kind="use_of_force",
        force_type="handcuffs",
        occurred_at=timezone.now() - datetime.timedelta(hours=3),
    )
    page = coordinator_client.get("/reports/dashboard/").content.decode()
    assert "1 arrest or use of force with no parent or guardian notification recorded" in page
