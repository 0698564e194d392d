"""Applying the threshold table: who is alerted, when, and escalation."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import Notification
from incidents.models import Alert, AlertKind, Incident, InterventionLevel, Threshold
from incidents.services import acknowledge_alert, escalate_overdue_alerts

NOW = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def supervisor(agency, school_b):
    from conftest import make_officer

    return make_officer("sergeant", school_b, agency, "900")


@time_machine.travel(NOW, tick=False)
def test_weapons_incident_alerts_the_schools_sro_by_email_and_in_the_app(
    admin_a, officer_a, officer_b, coordinator, log_incident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        incident = log_incident(school=officer_a.officer.assignments.first().school, reported_by=admin_a)
    assert incident.level == InterventionLevel.IMMEDIATE
    officer_alert = Alert.objects.get(incident=incident, kind=AlertKind.OFFICER)
    assert officer_alert.officer == officer_a.officer
    assert officer_alert.sent_at is not None
    assert officer_alert.due_at == NOW + datetime.timedelta(minutes=5)
    notification = Notification.objects.get(user=officer_a)
    assert notification.url == incident.get_absolute_url()
    assert "Weapons possession" in notification.title
    # The officer at another school hears nothing; the coordinator is told at this level.
    assert not Notification.objects.filter(user=officer_b).exists()
    assert Notification.objects.filter(user=coordinator).exists()
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == ["coord@example.org", "officer_a@police.example.gov"]
    assert "Student details are in the app only" in mail.outbox[0].body


def test_code_of_conduct_incident_alerts_no_one(
    admin_a, school_a, officer_a, coordinator, log_incident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        incident = log_incident(school=school_a, reported_by=admin_a, category="conduct", severity="high")
    assert incident.level == InterventionLevel.SCHOOL
    assert not Alert.objects.exists()
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_code_of_conduct_cannot_be_raised_to_page_the_sro_even_with_a_reason(admin_a, school_a, log_incident):
    with pytest.raises(ValidationError) as exc:
        log_incident(
            school=school_a,
            reported_by=admin_a,
            category="fight",
            level_override=InterventionLevel.RESPONDS,
            override_reason="The principal wants the officer to talk to them",
        )
    assert "never page the SRO" in str(exc.value)
    assert not Incident.objects.exists()


def test_code_of_conduct_threshold_cannot_be_set_above_school_handles(conduct):
    row = Threshold.objects.get(category=conduct, severity="high")
    row.level = InterventionLevel.INFORMED
    row.response_minutes = 60
    with pytest.raises(ValidationError):
        row.full_clean()


def test_an_override_needs_a_reason_and_is_recorded(admin_a, school_a, officer_a, log_incident):
    with pytest.raises(ValidationError):
        log_incident(school=school_a, reported_by=admin_a, category="drugs", severity="low", level_override=2)
    incident = log_incident(
        school=school_a,
        reported_by=admin_a,
        category="drugs",
        severity="low",
        level_override=InterventionLevel.RESPONDS,
        override_reason="Sale of pills to younger students",
    )
    assert (incident.table_level, incident.level) == (InterventionLevel.SCHOOL, InterventionLevel.RESPONDS)
    assert incident.overridden_by == admin_a
    assert incident.response_minutes == 30
    assert Alert.objects.filter(incident=incident, officer=officer_a.officer).exists()
    assert any("overridden" in e["what"] for e in incident.timeline())


def test_lowering_an_sro_level_to_school_handles_alerts_no_one(admin_a, school_a, officer_a, log_incident):
    incident = log_incident(
        school=school_a,
        reported_by=admin_a,
        category="false_alarm",
        severity="moderate",
        level_override=InterventionLevel.SCHOOL,
        override_reason="Pulled by a kindergartner, no crime",
    )
    assert incident.level == InterventionLevel.SCHOOL
    assert not incident.alerts.exists()


def test_sro_informed_level_does_not_alert_the_coordinator(
    admin_a, school_a, officer_a, coordinator, log_incident
):
    incident = log_incident(school=school_a, reported_by=admin_a, category="drugs", severity="moderate")
    assert incident.level == InterventionLevel.INFORMED
    assert list(incident.alerts.values_list("kind", flat=True)) == [AlertKind.OFFICER]


def test_retention_lasts_until_the_youngest_person_turns_27(admin_a, school_a, log_incident):
    incident = log_incident(
        school=school_a,
        reported_by=admin_a,
        category="conduct",
        occurred_at=datetime.datetime(2026, 1, 15, 9, tzinfo=datetime.UTC),
        people=[
            {"local_id_or_initials": "A1", "role": "offender", "date_of_birth": datetime.date(2012, 4, 2)},
            {"local_id_or_initials": "B2", "role": "victim", "date_of_birth": datetime.date(2014, 6, 30)},
            {"kind": "staff", "local_id_or_initials": "T9", "role": "witness", "age": 45},
        ],
    )
    assert incident.retention_until == datetime.date(2041, 6, 30)
    assert incident.people.count() == 3


def test_acknowledging_twice_keeps_the_first_time(admin_a, school_a, officer_a, log_incident):
    incident = log_incident(school=school_a, reported_by=admin_a)
    alert = incident.alerts.get(kind=AlertKind.OFFICER)
    assert acknowledge_alert(alert=alert, user=officer_a) is True
    first = Alert.objects.get(pk=alert.pk).acknowledged_at
    alert.refresh_from_db()
    assert acknowledge_alert(alert=alert, user=officer_a) is False
    assert Alert.objects.get(pk=alert.pk).acknowledged_at == first
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get(
        content_type__model="alert", object_pk=str(alert.pk), action=LogEntry.Action.UPDATE
    )
    assert entry.actor == officer_a and "acknowledged_at" in entry.changes_dict


def test_only_the_alerted_officer_can_acknowledge(admin_a, school_a, officer_a, officer_b, log_incident):
    incident = log_incident(school=school_a, reported_by=admin_a)
    alert = incident.alerts.get(kind=AlertKind.OFFICER)
    assert acknowledge_alert(alert=alert, user=officer_b) is False
    assert acknowledge_alert(alert=alert, user=admin_a) is False


def test_unacknowledged_alert_escalates_once_to_supervisor_and_coordinator(
    admin_a, school_a, officer_a, supervisor, coordinator, log_incident, django_capture_on_commit_callbacks
):
    officer = officer_a.officer
    officer.supervisor = supervisor.officer
    officer.save()
    with time_machine.travel(NOW, tick=False):
        incident = log_incident(school=school_a, reported_by=admin_a)
    alert = incident.alerts.get(kind=AlertKind.OFFICER)
    with time_machine.travel(NOW + datetime.timedelta(minutes=4), tick=False):
        assert escalate_overdue_alerts() == []
    with time_machine.travel(NOW + datetime.timedelta(minutes=6), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert escalate_overdue_alerts() == [alert.pk]
            assert escalate_overdue_alerts() == []
    alert.refresh_from_db()
    assert alert.escalated_at == NOW + datetime.timedelta(minutes=6)
    titles = list(
        Notification.objects.filter(title__startswith="Not acknowledged").values_list(
            "user__username", flat=True
        )
    )
    assert sorted(titles) == ["coord", "sergeant"]
    # A later run (the beat task every minute) changes nothing.
    with time_machine.travel(NOW + datetime.timedelta(minutes=30), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert escalate_overdue_alerts() == []
    assert Notification.objects.filter(title__startswith="Not acknowledged").count() == 2
    assert any("escalated" in e["what"] for e in incident.timeline())


def test_an_alert_reported_as_the_clocks_go_back_escalates_five_real_minutes_later(
    admin_a, admin_a_client, school_a, officer_a, log_incident, settings
):
    settings.TIME_ZONE = "America/New_York"
    # 1:58 am EDT on 1 November 2026; at 2:00 am the clocks go back to 1:00 am EST.
    reported = datetime.datetime(2026, 11, 1, 5, 58, tzinfo=datetime.UTC)
    with time_machine.travel(reported, tick=False):
        incident = log_incident(school=school_a, reported_by=admin_a)
        alert = incident.alerts.get(kind=AlertKind.OFFICER)
        assert alert.due_at == reported + datetime.timedelta(minutes=5)
        # 5 minutes after 1:58 am EDT is 1:03 am EST on the district's clock.
        assert "If nobody has acknowledged by 1:03 am" in admin_a_client.get(incident.get_absolute_url()).text
    with time_machine.travel(reported + datetime.timedelta(minutes=4), tick=False):
        assert escalate_overdue_alerts() == []
    with time_machine.travel(reported + datetime.timedelta(minutes=5), tick=False):
        assert escalate_overdue_alerts() == [alert.pk]


def test_acknowledged_alert_never_escalates(admin_a, school_a, officer_a, log_incident):
    with time_machine.travel(NOW, tick=False):
        incident = log_incident(school=school_a, reported_by=admin_a)
        acknowledge_alert(alert=incident.alerts.get(kind=AlertKind.OFFICER), user=officer_a)
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        assert escalate_overdue_alerts() == []


def test_an_alert_reaches_each_recipient_once_however_often_it_is_dispatched_or_written(
    admin_a, school_a, officer_a, log_incident, django_capture_on_commit_callbacks
):
    from core.dispatcher import dispatch
    from incidents.services import _deliver_alert

    with django_capture_on_commit_callbacks(execute=True):
        incident = log_incident(school=school_a, reported_by=admin_a)
    assert dispatch(queue="alerts") == 0  # the kick after commit sent it already
    alert = incident.alerts.get()
    _deliver_alert(incident, alert)  # written again, as a retried task would
    assert dispatch(queue="alerts") == 0
    assert Notification.objects.filter(user=officer_a).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"].startswith("<delivery-")


def test_incident_timeline_shows_report_alert_and_acknowledgement(admin_a, school_a, officer_a, log_incident):
    incident = log_incident(school=school_a, reported_by=admin_a)
    acknowledge_alert(alert=incident.alerts.get(), user=officer_a)
    incident.change_status(to="sro_responding", by=officer_a, note="On my way")
    whats = [e["what"] for e in Incident.objects.get(pk=incident.pk).timeline()]
    assert whats[0] == "Reported"
    assert any(w.startswith("Alert reached") for w in whats)
    assert any(w.startswith("Alert acknowledged by") for w in whats)
    assert "Status: Reported → SRO responding" in whats


def test_closing_needs_an_outcome(admin_a, school_a, log_incident):
    incident = log_incident(school=school_a, reported_by=admin_a, category="conduct")
    with pytest.raises(ValidationError):
        incident.change_status(to="closed", by=admin_a)
    incident.change_status(to="closed", by=admin_a, outcome="Detention; parents met the principal.")
    assert incident.status == "closed"
    assert timezone.now() >= incident.status_changes.get().changed_at


def test_with_no_sro_assigned_the_coordinator_is_told_instead(admin_b, school_b, coordinator, log_incident):
    incident = log_incident(school=school_b, reported_by=admin_b, category="drugs", severity="moderate")
    assert incident.level == InterventionLevel.INFORMED
    assert list(incident.alerts.values_list("kind", "recipient__username")) == [
        (AlertKind.COORDINATOR, "coord")
    ]


def test_one_alert_whose_escalation_fails_does_not_hold_up_the_others(
    admin_a, school_a, school_b, officer_a, officer_b, coordinator, log_incident, monkeypatch, caplog
):
    """An escalation that raises (a bad row, a bug) is rolled back and logged by the alert's id;
    every other overdue alert of the run is escalated, and the failed one is tried again."""
    from incidents import services

    with time_machine.travel(NOW, tick=False):
        first = log_incident(school=school_a, reported_by=admin_a).alerts.get(kind=AlertKind.OFFICER)
        second = log_incident(school=school_b, reported_by=admin_a).alerts.get(kind=AlertKind.OFFICER)
    real = services.escalation_recipients

    def failing_for_the_first(alert):
        if alert.pk == first.pk:
            raise ValueError("a recipient that cannot be read")
        return real(alert)

    monkeypatch.setattr(services, "escalation_recipients", failing_for_the_first)
    with time_machine.travel(NOW + datetime.timedelta(minutes=6), tick=False):
        assert escalate_overdue_alerts() == [second.pk]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.escalated_at is None and second.escalated_at is not None
    assert f"escalation of alert {first.pk} failed" in caplog.text
    monkeypatch.setattr(services, "escalation_recipients", real)
    with time_machine.travel(NOW + datetime.timedelta(minutes=7), tick=False):
        assert escalate_overdue_alerts() == [first.pk]
