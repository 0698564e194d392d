"""An alert is never lost and never reported as sent when it was not: the ordinary faults of a
production day (broker, cache, mail server, database, a killed worker, a double click), on
real servers started by the tests (tests/faults.py)."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from core.dispatcher import dispatch
from core.models import Delivery, DeliveryStatus, Notification
from core.templatetags.dates import clock
from incidents.models import Alert, AlertKind, Incident
from incidents.services import escalate_overdue_alerts
from tests.faults import broker, free_port, wait_for

from .test_incident_views import form_data

OFFICER_EMAIL = "officer_a@police.example.gov"


def emails(**filters):
    return Delivery.objects.filter(channel="email", **filters)


def _new_form(client) -> dict:
    """The token the incident form renders, as a browser would send it back."""
    page = client.get(reverse("incidents:create"))
    return {"submission_token": page.context["form"].initial["submission_token"]}


@pytest.mark.celery_worker
def test_a_weapons_report_with_broker_and_cache_down_is_saved_once_and_its_emails_go_when_redis_returns(
    transactional_db, admin_a, school_a, officer_a, coordinator, weapons, mail_server, own_redis, settings
):
    from celery.contrib.testing.worker import start_worker

    from sro_program.celery import app

    dead = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": dead,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    client = Client()
    client.force_login(admin_a)
    data = form_data(school_a, weapons, **_new_form(client))
    with broker(dead):
        started = time.monotonic()
        response = client.post(reverse("incidents:create"), data)
        again = client.post(reverse("incidents:create"), data)  # "it failed?", so submitted again
    incident = Incident.objects.get()
    assert response.status_code == 302 and response.url == incident.get_absolute_url()
    assert again.status_code == 302 and again.url == incident.get_absolute_url()
    assert time.monotonic() - started < 10
    # In the app at once; the emails wait in the ledger, not reported as sent.
    assert Notification.objects.filter(user=officer_a, url=incident.get_absolute_url()).count() == 1
    assert set(emails().values_list("status", flat=True)) == {DeliveryStatus.PENDING}
    assert mail_server.received == []
    page = client.get(incident.get_absolute_url()).text
    assert "Waiting to be sent" in page

    # Redis is back: the beat sweep (every 30 s) finds the waiting rows.
    own_redis.start()
    with broker(own_redis.url):
        with start_worker(
            app, perform_ping_check=False, shutdown_timeout=20, loglevel="WARNING", queues=["alerts"]
        ):
            app.tasks["core.tasks.dispatch_deliveries"].apply_async(
                kwargs={"queue": "alerts"}, queue="alerts"
            )
            wait_for(lambda: not emails().exclude(status=DeliveryStatus.SENT).exists())
    assert len(mail_server.to(OFFICER_EMAIL)) == 1
    assert len(mail_server.to(coordinator.email)) == 1
    assert Incident.objects.count() == 1 and Alert.objects.filter(kind=AlertKind.OFFICER).count() == 1


def test_a_database_error_writing_the_last_email_leaves_no_incident_no_alert_and_sends_nothing(
    admin_a, school_a, officer_a, coordinator, log_incident, mail_server, django_capture_on_commit_callbacks
):
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        pytest.skip("the fault is a PostgreSQL trigger (SQLite's RAISE() is a constraint error)")
    with connection.cursor() as cursor:  # the database fails the coordinator's email row
        cursor.execute(
            "CREATE FUNCTION test_fail_delivery() RETURNS trigger AS $$ BEGIN"
            " IF NEW.address = %s THEN RAISE EXCEPTION 'could not extend file'; END IF;"
            " RETURN NEW; END $$ LANGUAGE plpgsql",
            [coordinator.email],
        )
        cursor.execute(
            "CREATE TRIGGER test_fail_delivery BEFORE INSERT ON core_delivery"
            " FOR EACH ROW EXECUTE FUNCTION test_fail_delivery()"
        )
    with pytest.raises(DatabaseError), django_capture_on_commit_callbacks(execute=True) as kicks:
        log_incident(school=school_a, reported_by=admin_a)
    assert kicks == []  # nothing was committed, so no dispatcher is asked to send
    assert not Incident.objects.exists() and not Alert.objects.exists()
    assert not Delivery.objects.exists() and not Notification.objects.exists()
    dispatch(queue="alerts")
    assert mail_server.received == []


def test_a_mail_server_refusing_for_two_minutes_delays_the_emails_and_sends_each_once(
    admin_a, school_a, officer_a, coordinator, log_incident, mail_server, django_capture_on_commit_callbacks
):
    start = timezone.now()
    mail_server.stop()  # connections refused
    with django_capture_on_commit_callbacks(execute=True):  # the kick after commit runs the dispatcher
        incident = log_incident(school=school_a, reported_by=admin_a)
    assert Notification.objects.filter(user=officer_a).count() == 1  # there all along
    officer_email = emails().get(address=OFFICER_EMAIL)
    assert officer_email.status == DeliveryStatus.RETRYING
    assert "refused the connection" in officer_email.last_error
    for seconds in (30, 60, 90, 120):  # the sweep every 30 s while the server refuses
        with time_machine.travel(start + datetime.timedelta(seconds=seconds)):
            dispatch(queue="alerts")
    assert not emails(status=DeliveryStatus.SENT).exists()
    assert emails().get(address=OFFICER_EMAIL).attempts >= 3
    page = Client()
    page.force_login(admin_a)
    assert "Retrying after" in page.get(incident.get_absolute_url()).text

    mail_server.start()
    seconds = 120
    while emails().exclude(status=DeliveryStatus.SENT).exists():
        seconds += 30
        assert seconds < 600, "still not sent 8 minutes after the server came back"
        with time_machine.travel(start + datetime.timedelta(seconds=seconds)):
            dispatch(queue="alerts")
    assert len(mail_server.to(OFFICER_EMAIL)) == 1
    assert len(mail_server.to(coordinator.email)) == 1
    assert Alert.objects.get(kind=AlertKind.OFFICER).sent_at <= start + datetime.timedelta(seconds=1)


def test_a_hanging_mail_server_times_out_and_retries_without_holding_up_other_alerts(
    admin_a, admin_b, school_a, school_b, officer_a, coordinator, log_incident, mail_server,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    mail_server.hang_for = {OFFICER_EMAIL}
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        log_incident(school=school_a, reported_by=admin_a)
    hung = emails().get(address=OFFICER_EMAIL)
    assert hung.status == DeliveryStatus.RETRYING
    assert "did not answer within 1 s" in hung.last_error
    assert len(mail_server.to(coordinator.email)) == 1  # sent in the same run, after one timeout
    assert time.monotonic() - started < 5
    # Another school's report goes straight out while the hung email waits for its retry.
    with django_capture_on_commit_callbacks(execute=True):
        log_incident(school=school_b, reported_by=admin_b)
    assert len(mail_server.to(coordinator.email)) == 2
    mail_server.hang_for = set()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        dispatch(queue="alerts")
    assert len(mail_server.to(OFFICER_EMAIL)) == 1
    assert emails().get(address=OFFICER_EMAIL).status == DeliveryStatus.SENT


def test_a_mail_server_rejecting_the_message_with_554_is_retried_and_says_why(
    admin_a, school_a, officer_a, coordinator, log_incident, mail_server, django_capture_on_commit_callbacks
):
    mail_server.mode = "reject"
    with django_capture_on_commit_callbacks(execute=True):
        log_incident(school=school_a, reported_by=admin_a)
    for delivery in emails():
        assert delivery.status == DeliveryStatus.RETRYING  # 554 for the message: worth another try
        assert "answered 554" in delivery.last_error


def test_a_mail_server_refusing_one_address_fails_that_email_at_once_and_sends_the_others(
    admin_a, school_a, officer_a, coordinator, log_incident, mail_server, django_capture_on_commit_callbacks
):
    mail_server.refuse_rcpt = {OFFICER_EMAIL: "550 5.1.1 No such user"}
    with django_capture_on_commit_callbacks(execute=True):
        incident = log_incident(school=school_a, reported_by=admin_a)
    refused = emails().get(address=OFFICER_EMAIL)
    assert refused.status == DeliveryStatus.FAILED and refused.sent_at is None
    assert refused.attempts == 1 and "refused the address (550)" in refused.last_error
    assert emails().get(address=coordinator.email).status == DeliveryStatus.SENT
    assert mail_server.to(OFFICER_EMAIL) == [] and len(mail_server.to(coordinator.email)) == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1)):
        dispatch(queue="alerts")  # later sweeps leave it alone: retrying cannot help
    assert emails().get(address=OFFICER_EMAIL).attempts == 1
    # The reporter sees it failed and what happens next; the coordinators see it to act on.
    reporter = Client()
    reporter.force_login(admin_a)
    page = reporter.get(incident.get_absolute_url()).text
    assert "Failed after 1 attempt: The mail server refused the address (550)" in page
    assert "If nobody has acknowledged by" in page
    assert Client().get(reverse("core:health_deliveries")).json()["failed"] == 1
    reviewer = Client()
    reviewer.force_login(coordinator)
    assert "refused the address (550)" in reviewer.get(reverse("core:deliveries") + "?show=failed").text


def test_a_mail_server_refusing_an_address_for_now_retries_that_email(
    admin_a, school_a, officer_a, coordinator, log_incident, mail_server, django_capture_on_commit_callbacks
):
    mail_server.refuse_rcpt = {OFFICER_EMAIL: "450 4.2.1 Mailbox busy, try later"}
    with django_capture_on_commit_callbacks(execute=True):
        incident = log_incident(school=school_a, reported_by=admin_a)
    busy = emails().get(address=OFFICER_EMAIL)
    assert busy.status == DeliveryStatus.RETRYING and "refused the address (450)" in busy.last_error
    reporter = Client()
    reporter.force_login(admin_a)
    next_try = f"next try at {clock(busy.next_attempt_at)}"  # the backoff: 10 s after the first
    assert next_try in reporter.get(incident.get_absolute_url()).text
    assert next_try in reporter.get(reverse("incidents:alerts_json", args=[incident.pk])).text
    mail_server.refuse_rcpt = {}
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        dispatch(queue="alerts")
    assert emails().get(address=OFFICER_EMAIL).status == DeliveryStatus.SENT
    assert len(mail_server.to(OFFICER_EMAIL)) == 1


def test_a_mail_server_answering_421_is_retried_with_a_doubling_backoff_up_to_five_minutes(
    admin_a, school_a, officer_a, log_incident, mail_server, django_capture_on_commit_callbacks
):
    mail_server.mode = "refuse"
    with time_machine.travel(timezone.now(), tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            log_incident(school=school_a, reported_by=admin_a)
        gaps = []
        for _ in range(7):
            email = emails().get(address=OFFICER_EMAIL)
            assert email.status == DeliveryStatus.RETRYING and "answered 421" in email.last_error
            gaps.append((email.next_attempt_at - timezone.now()).total_seconds())
            dispatch(queue="alerts")  # a sweep before the retry is due sends nothing
            assert emails().get(pk=email.pk).attempts == email.attempts
            clock.move_to(email.next_attempt_at)
            dispatch(queue="alerts")
    assert gaps == [10, 20, 40, 80, 160, 300, 300]
    assert mail_server.to(OFFICER_EMAIL) == []


def test_an_email_whose_worker_died_mid_send_is_not_shown_as_being_sent_and_is_sent_again(
    admin_a, school_a, officer_a, log_incident, mail_server, settings
):
    from core.dispatcher import claim_next

    incident = log_incident(school=school_a, reported_by=admin_a)  # its kick not run: it waits
    claimed = claim_next(queue="alerts")  # a worker takes one, then dies before sending
    assert claimed is not None and claimed.status == DeliveryStatus.SENDING
    reporter = Client()
    reporter.force_login(admin_a)
    assert "Being sent now" in reporter.get(incident.get_absolute_url()).text
    with time_machine.travel(claimed.lease_until + datetime.timedelta(seconds=1)):
        page = reporter.get(incident.get_absolute_url()).text
        assert "Being sent now" not in page
        assert "Interrupted after 1 attempt: waiting to be sent again" in page
        dispatch(queue="alerts")  # the next sweep takes it again
    assert emails().get(pk=claimed.pk).status == DeliveryStatus.SENT
    assert mail_server.message_ids().count(claimed.message_id) == 1


def test_a_connection_dropped_before_the_servers_answer_is_retried_and_a_second_copy_keeps_its_message_id(
    admin_a, school_a, officer_a, log_incident, mail_server, django_capture_on_commit_callbacks
):
    # The server took the whole message and hung up before saying whether it accepted it: the
    # send counts as not made (never "sent" on a guess), so it is retried, and if the server
    # had in fact kept the first copy the recipient's mail system sees the same Message-ID.
    mail_server.mode = "drop"
    with django_capture_on_commit_callbacks(execute=True):
        incident = log_incident(school=school_a, reported_by=admin_a)
    dropped = emails().get(address=OFFICER_EMAIL)
    assert dropped.status == DeliveryStatus.RETRYING and dropped.sent_at is None
    assert "closed the connection" in dropped.last_error
    reporter = Client()
    reporter.force_login(admin_a)
    assert "Retrying after 1 attempt: The mail server closed the connection" in (
        reporter.get(incident.get_absolute_url()).text
    )
    mail_server.mode = "accept"
    for minutes in (1, 2, 3):  # later sweeps: one more send, then nothing
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes)):
            dispatch(queue="alerts")
    assert emails().get(address=OFFICER_EMAIL).status == DeliveryStatus.SENT
    assert mail_server.to(OFFICER_EMAIL) == [dropped.message_id, dropped.message_id]


def test_an_alert_email_is_marked_failed_only_after_its_retry_window(
    admin_a, school_a, officer_a, log_incident, mail_server, settings, django_capture_on_commit_callbacks
):
    mail_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        log_incident(school=school_a, reported_by=admin_a)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=23)):
        dispatch(queue="alerts")
        assert emails().get(address=OFFICER_EMAIL).status == DeliveryStatus.RETRYING
    with time_machine.travel(
        timezone.now() + datetime.timedelta(hours=settings.DELIVERY_ALERT_GIVE_UP_HOURS, minutes=5)
    ):
        dispatch(queue="alerts")
        failed = emails().get(address=OFFICER_EMAIL)
        assert failed.status == DeliveryStatus.FAILED
        assert failed.sent_at is None


def kill_the_senders_connection_on_the_next_message(mail_server) -> list[bool]:
    """When the mail server next receives a message, terminate every other connection to the
    test database: the task sending it opens a connection of its own (Celery's fixup closes the
    old one), so the sender's is among them. Returns the list pg_terminate_backend's answers go
    into (PostgreSQL only)."""
    import psycopg2
    from django.db import connection

    params = connection.get_connection_params()
    killed: list[bool] = []

    def kill() -> None:
        mail_server.on_data = None
        other = psycopg2.connect(**params)
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            killed.extend(row[0] for row in cursor.fetchall())
        other.close()

    mail_server.on_data = kill
    return killed


def test_a_database_error_while_sending_is_retried_and_loses_nothing(
    transactional_db, admin_a, school_a, officer_a, log_incident, mail_server, settings
):
    from django.db import connection

    from core.tasks import dispatch_deliveries

    if connection.vendor != "postgresql":
        pytest.skip("kills the sending connection with pg_terminate_backend: PostgreSQL only (CI)")
    settings.DELIVERY_LEASE_SECONDS = 1
    mail_server.stop()
    log_incident(school=school_a, reported_by=admin_a)  # committed: the kick's send was refused
    mail_server.mode = "refuse"  # the first try is not accepted, so no duplicate can arise
    killed = kill_the_senders_connection_on_the_next_message(mail_server)
    mail_server.start()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        dispatch_deliveries.apply(kwargs={"queue": "alerts"})  # the database dies mid-send
    assert killed and all(killed)
    mail_server.mode = "accept"
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10)):
        dispatch_deliveries.apply(kwargs={"queue": "alerts"})  # the next sweep
    assert emails().get(address=OFFICER_EMAIL).status == DeliveryStatus.SENT
    assert len(mail_server.to(OFFICER_EMAIL)) == 1


def test_a_database_lost_after_the_mail_server_accepted_sends_one_copy_more_with_the_same_message_id(
    transactional_db, admin_a, school_a, officer_a, log_incident, mail_server, settings
):
    from django.db import connection

    from core.tasks import dispatch_deliveries

    if connection.vendor != "postgresql":
        pytest.skip("kills the sending connection with pg_terminate_backend: PostgreSQL only (CI)")
    settings.DELIVERY_LEASE_SECONDS = 1
    mail_server.stop()
    log_incident(school=school_a, reported_by=admin_a)  # committed: the kick's send was refused
    killed = kill_the_senders_connection_on_the_next_message(mail_server)  # then it accepts it
    mail_server.start()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        dispatch_deliveries.apply(kwargs={"queue": "alerts"})  # accepted, not recorded
    assert killed and all(killed)
    assert emails().get(address=OFFICER_EMAIL).status == DeliveryStatus.SENDING  # not "sent" on a guess
    for minutes in (10, 11, 12):  # the sweeps after its lease ran out: one more copy, then none
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes)):
            dispatch_deliveries.apply(kwargs={"queue": "alerts"})
    delivery = emails().get(address=OFFICER_EMAIL)
    assert delivery.status == DeliveryStatus.SENT
    assert mail_server.to(OFFICER_EMAIL) == [delivery.message_id, delivery.message_id]


def test_a_worker_killed_mid_batch_loses_no_alert_or_reminder(
    worker_process, own_redis, mail_server, admin_a, school_a, officer_a, coordinator, log_incident
):
    from core.deliveries import notify

    mail_server.delay = 0.15  # a slow mail server, so the kill lands mid-batch
    with broker(own_redis.url):
        for i in range(40):
            notify(
                occasion=f"reminder-batch:{i}",
                template_prefix="officers/email/mou-review",
                context={"agency": {"name": "City PD"}, "days_left": 14, "user": coordinator},
                email=f"reader{i}@example.org",
            )
        for _ in range(3):
            log_incident(school=school_a, reported_by=admin_a)
        total = emails().count()
        worker_process.start()
        wait_for(lambda: len(mail_server.received) >= 8, 60)
        worker_process.kill()
        in_flight = emails(status=DeliveryStatus.SENDING).count()
        assert emails().exclude(status=DeliveryStatus.SENT).exists()  # killed mid-batch
        worker_process.start()  # supervision restarts it; its beat sweeps every second
        wait_for(lambda: not emails().exclude(status=DeliveryStatus.SENT).exists(), 120)
        worker_process.kill()
    ids = mail_server.message_ids()
    assert set(ids) == {d.message_id for d in emails()}  # every delivery arrived
    # A duplicate only where the worker died between the server's acceptance and its record.
    assert len(ids) - len(set(ids)) <= max(in_flight, 0) <= 2
    assert len(set(ids)) == total
    assert Notification.objects.filter(user=officer_a).count() == 3


def test_a_broker_that_dies_under_a_supervised_worker_delays_alerts_until_it_returns(
    worker_process, own_redis, mail_server, admin_a, school_a, officer_a, log_incident
):
    # Celery 5.7 / kombu 5.7: a worker holding an unacknowledged task when Redis dies can stop
    # with "Unrecoverable error" instead of reconnecting; supervision starts it again.
    with broker(own_redis.url):
        worker_process.start(supervised=True)
        log_incident(school=school_a, reported_by=admin_a)
        wait_for(lambda: len(mail_server.to(OFFICER_EMAIL)) == 1, 60)  # the worker is serving
        mail_server.delay = 1.0  # a slow mail server: a dispatch is in flight when Redis dies
        log_incident(school=school_a, reported_by=admin_a)
        wait_for(lambda: emails(status=DeliveryStatus.SENDING).exists(), 30)
        own_redis.kill()
        wait_for(lambda: not emails(status=DeliveryStatus.SENDING).exists(), 30)  # that run ended
        incident = log_incident(school=school_a, reported_by=admin_a)  # its kick is lost
        alert = incident.alerts.get(kind=AlertKind.OFFICER)
        waiting = emails().get(occasion=f"incident-alert:{alert.pk}")
        reporter = Client()
        reporter.force_login(admin_a)
        assert "Waiting to be sent" in reporter.get(incident.get_absolute_url()).text
        time.sleep(2)  # beat's sweeps (every second here) fail meanwhile
        assert emails().get(pk=waiting.pk).status == DeliveryStatus.PENDING
        returned = time.monotonic()
        own_redis.start()  # on the same port
        wait_for(lambda: not emails().exclude(status=DeliveryStatus.SENT).exists(), 60)
        took = time.monotonic() - returned
        worker_process.kill()
    ids = mail_server.message_ids()
    assert set(ids) == {d.message_id for d in emails()}
    assert len(ids) - len(set(ids)) <= 1  # only the one in flight when Redis died could go twice
    assert took < 30, f"sent {took:.0f} s after the broker returned"


def test_two_concurrent_posts_of_one_form_log_one_incident_and_alert_once(
    transactional_db, admin_a, school_a, officer_a, weapons, mailoutbox
):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("two writers at once need a database with row locks: PostgreSQL (CI)")
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(admin_a)
    data = form_data(school_a, weapons, **_new_form(clients[0]))
    barrier = threading.Barrier(2)
    responses = []

    def submit(client):
        from django.db import connections

        barrier.wait()
        responses.append(client.post(reverse("incidents:create"), data))
        connections.close_all()

    threads = [threading.Thread(target=submit, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    incident = Incident.objects.get()
    assert [r.status_code for r in responses] == [302, 302]
    assert {r.url for r in responses} == {incident.get_absolute_url()}
    assert Alert.objects.filter(kind=AlertKind.OFFICER).count() == 1
    assert Notification.objects.filter(user=officer_a).count() == 1
    assert sum(OFFICER_EMAIL in m.to for m in mailoutbox) == 1


def test_an_acknowledgement_committing_while_escalation_waits_for_the_row_stops_the_escalation(
    transactional_db, admin_a, school_a, officer_a, coordinator, log_incident
):
    from django.db import connection, connections, transaction

    from incidents.services import acknowledge_alert

    if connection.vendor != "postgresql":
        pytest.skip("two writers at once need a database with row locks: PostgreSQL (CI)")
    incident = log_incident(school=school_a, reported_by=admin_a)
    alert = incident.alerts.get(kind=AlertKind.OFFICER)
    Alert.objects.filter(pk=alert.pk).update(due_at=timezone.now() - datetime.timedelta(minutes=1))
    acknowledging, may_commit, escalated = threading.Event(), threading.Event(), []

    def acknowledge():
        with transaction.atomic():
            assert acknowledge_alert(alert=alert, user=officer_a)
            acknowledging.set()
            may_commit.wait(10)
        connections.close_all()

    def escalate():
        escalated.extend(escalate_overdue_alerts())  # its read still sees the alert waiting
        connections.close_all()

    officer = threading.Thread(target=acknowledge)
    officer.start()
    acknowledging.wait(10)
    beat = threading.Thread(target=escalate)
    beat.start()
    with connection.cursor() as cursor:  # beat's claim waits for the officer's row lock

        def claim_is_waiting():
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            return cursor.fetchone()[0] > 0

        wait_for(claim_is_waiting, 10)
    may_commit.set()
    officer.join(10)
    beat.join(10)
    assert escalated == []
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None and alert.escalated_at is None
    assert not Notification.objects.filter(title__startswith="Not acknowledged").exists()


def test_submitting_the_same_form_twice_lands_on_the_first_incident(
    admin_a_client, school_a, officer_a, weapons
):
    data = form_data(school_a, weapons, **_new_form(admin_a_client))
    first = admin_a_client.post(reverse("incidents:create"), data)
    second = admin_a_client.post(reverse("incidents:create"), data, follow=True)
    incident = Incident.objects.get()
    assert first.url == incident.get_absolute_url()
    assert second.redirect_chain[-1][0] == incident.get_absolute_url()
    assert "already logged" in second.text
    assert Notification.objects.filter(user=officer_a).count() == 1


def test_with_no_sro_on_duty_the_coordinators_are_alerted_and_escalate_to_each_other(
    admin_b, school_b, coordinator, log_incident, mail_server, client, django_capture_on_commit_callbacks
):
    root = make_user("root", "coordinator", is_superuser=True, is_staff=True)
    mail_server.stop()  # and the mail server is down too
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        incident = log_incident(school=school_b, reported_by=admin_b)
    alerts = list(incident.alerts.all())
    assert {a.recipient for a in alerts} == {coordinator, root}
    assert all(a.kind == AlertKind.COORDINATOR and a.due_at for a in alerts)
    assert Notification.objects.filter(user=coordinator, url=incident.get_absolute_url()).count() == 1
    assert client.get(reverse("core:health_deliveries")).json()["overdue"] == 0

    later = now + datetime.timedelta(minutes=6)  # past the 5-minute response window
    with time_machine.travel(later):
        assert client.get(reverse("core:health_deliveries")).status_code == 503  # emails not made in time
        assert sorted(escalate_overdue_alerts()) == sorted(a.pk for a in alerts)
        assert escalate_overdue_alerts() == []
        coordinator_client = Client()
        coordinator_client.force_login(coordinator)
        overdue = coordinator_client.get(reverse("core:deliveries")).text
    # Each was told the other had not acknowledged.
    for user in (coordinator, root):
        assert Notification.objects.filter(user=user, title__startswith="Not acknowledged").count() == 1
    assert "Retrying after" in overdue and "Weapons possession" in overdue


def test_with_beat_not_running_a_missed_escalation_fails_the_health_check_and_the_page_says_so(
    admin_a, school_a, officer_a, coordinator, log_incident, client, django_capture_on_commit_callbacks
):
    health = reverse("core:health_deliveries")
    with django_capture_on_commit_callbacks(execute=True):  # its emails go out on their kick
        incident = log_incident(school=school_a, reported_by=admin_a)
    alert = incident.alerts.get(kind=AlertKind.OFFICER)
    reporter = Client()
    reporter.force_login(admin_a)
    assert "If nobody has acknowledged by" in reporter.get(incident.get_absolute_url()).text
    with time_machine.travel(alert.due_at + datetime.timedelta(seconds=30)):  # beat's next run is due
        assert client.get(health).status_code == 200
        assert "Nobody acknowledged by" in reporter.get(incident.get_absolute_url()).text
    with time_machine.travel(alert.due_at + datetime.timedelta(minutes=3)):  # beat is down
        response = client.get(health)
        assert response.status_code == 503 and response.json()["escalations_late"] == 1
        page = reporter.get(incident.get_absolute_url()).text
        assert "has not gone out yet" in page and "will be alerted" not in page
        reviewer = Client()
        reviewer.force_login(coordinator)
        warning = " ".join(reviewer.get(reverse("core:deliveries")).text.split())
        assert "1 alert nobody acknowledged has not been escalated" in warning
        assert escalate_overdue_alerts() == [alert.pk]  # beat is back
        response = client.get(health)
        assert response.status_code == 200 and response.json()["escalations_late"] == 0
        assert "the alert was escalated" in reporter.get(incident.get_absolute_url()).text
