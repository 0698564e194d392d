"""Test configuration shared by every app: test-only settings, fixed personas, a real
Celery worker on Redis, and headless Debian Chromium for browser tests."""

import datetime
import os
import time

import pytest

# Real servers for fault tests (an SMTP server, a Redis and a Celery worker of the test's own).
pytest_plugins = ["tests.faults"]

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def pytest_configure(config):
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Two-factor authentication is required of coordinators outside the demo; tests of other
    # features sign coordinators in with force_login, so they switch it off. The two-factor
    # tests (accounts/tests/test_two_factor.py) switch it back on.
    settings.REQUIRE_2FA_FOR_COORDINATORS = False
    # A PDF's layout takes seconds; on two cores shared with a browser test it can take
    # twenty, which is no fault of the code under test (core/tests/test_pdf.py tests the limit).
    settings.PDF_TIMEOUT_SECONDS = 120
    # Persistent connections would keep live-server threads' connections open and stop
    # the test database from being dropped at the end.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        # The test database is thrown away: no need to wait for the disk on every commit.
        settings.DATABASES["default"]["OPTIONS"]["init_command"] = (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
        )
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture(autouse=True)
def _empty_cache():
    # Each test's database is rolled back, which bumps no core.datacache version: a figure
    # cached by one test must not answer the next.
    from django.core.cache import cache

    cache.clear()


# --- Personas ------------------------------------------------------------------------------
# The program coordinator; the coordinators of district A and of district B; administrators
# of school A (district A) and of school B (district B); an officer assigned to A and one
# assigned elsewhere (school B); an anonymous visitor is the plain `client`. A school created
# without a district joins district A (the program's first district, as in production).


@pytest.fixture
def district_a(db):
    from schools.models import District, default_district_id

    return District.objects.get(pk=default_district_id())


@pytest.fixture
def district_b(db):
    from schools.models import District

    return District.objects.create(name="Westfield Union Free School District", nces_id="3600002")


@pytest.fixture
def school_a(district_a):
    from schools.models import Level, School

    return School.objects.create(
        name="Alpha High School", level=Level.HIGH, enrollment=900, district=district_a
    )


@pytest.fixture
def school_b(district_b):
    from schools.models import Level, School

    return School.objects.create(
        name="Bravo Middle School", level=Level.MIDDLE, enrollment=500, district=district_b
    )


@pytest.fixture
def agency(district_a, district_b):
    """An agency serving both districts, under an agreement (MOU) with each."""
    from officers.models import Agency, Agreement

    agency = Agency.objects.create(name="City Police Department")
    Agreement.objects.create(agency=agency, district=district_a)
    Agreement.objects.create(agency=agency, district=district_b)
    return agency


def make_user(username: str, role: str, **extra):
    from accounts.models import User

    return User.objects.create_user(
        username=username,
        password="correct-horse-battery",
        email=f"{username}@example.org",
        role=role,
        first_name=username.title(),
        **extra,
    )


def make_student(
    school,
    local_id: str,
    *,
    first: str = "Jordan",
    last: str = "Smith",
    grade: str = "10",
    sex: str = "M",
    race: str = "hispanic",
    statuses=(),
    enrolled_from=None,
    **extra,
):
    """A student of `school`'s district enrolled there (since `enrolled_from`, by default a
    year ago). `statuses`: (program, start, end) periods: ("idea", date, None)."""
    from students.models import Enrollment, Student, StudentStatus

    student = Student.objects.create(
        district_id=school.district_id,
        sourced_id=f"sis-{local_id}",
        local_id=local_id,
        first_name=first,
        last_name=last,
        grade=grade,
        sex=sex,
        race_ethnicity=race,
        **extra,
    )
    Enrollment.objects.create(
        student=student,
        school=school,
        begin_date=enrolled_from or datetime.date.today() - datetime.timedelta(days=365),
    )
    for program, start, end in statuses:
        StudentStatus.objects.create(student=student, program=program, start_date=start, end_date=end)
    return student


@pytest.fixture
def coordinator(db):
    """The program coordinator: every district."""
    return make_user("coord", "coordinator")


@pytest.fixture
def coordinator_a(district_a):
    """District A's coordinator."""
    return make_user("coord_a", "district_coordinator", district=district_a)


@pytest.fixture
def coordinator_b(district_b):
    """District B's coordinator."""
    return make_user("coord_b", "district_coordinator", district=district_b)


@pytest.fixture
def admin_a(school_a):
    user = make_user("admin_a", "school_admin")
    school_a.administrators.add(user)
    return user


@pytest.fixture
def admin_b(school_b):
    user = make_user("admin_b", "school_admin")
    school_b.administrators.add(user)
    return user


def make_officer(username: str, school, agency, badge: str, **extra):
    from officers.models import Officer
    from schools.models import Assignment

    user = make_user(username, "officer")
    officer = Officer.objects.create(
        user=user,
        agency=agency,
        first_name=username.title(),
        last_name="Officer",
        badge_number=badge,
        email=f"{username}@police.example.gov",
        **extra,
    )
    Assignment.objects.create(
        officer=officer, school=school, start_date=datetime.date(2020, 8, 1), kind="primary"
    )
    return user


@pytest.fixture
def officer_a(school_a, agency):
    """A user with the officer role, assigned (primary) to school A. `.officer` is the record."""
    return make_officer("officer_a", school_a, agency, "101")


@pytest.fixture
def officer_b(school_b, agency):
    """An officer assigned elsewhere (school B)."""
    return make_officer("officer_b", school_b, agency, "202")


def _client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator_client(coordinator):
    return _client_for(coordinator)


@pytest.fixture
def coordinator_a_client(coordinator_a):
    return _client_for(coordinator_a)


@pytest.fixture
def coordinator_b_client(coordinator_b):
    return _client_for(coordinator_b)


@pytest.fixture
def admin_a_client(admin_a):
    return _client_for(admin_a)


@pytest.fixture
def admin_b_client(admin_b):
    return _client_for(admin_b)


@pytest.fixture
def officer_a_client(officer_a):
    return _client_for(officer_a)


@pytest.fixture
def officer_b_client(officer_b):
    return _client_for(officer_b)


def assert_access_logged(obj, user) -> None:
    """The audit trail has an "access" entry for `obj` by `user` (views of incidents and
    threat reports must leave one: `auditlog.signals.accessed.send(sender=..., instance=obj)`)."""
    from auditlog.models import LogEntry

    entries = LogEntry.objects.get_for_object(obj).filter(action=LogEntry.Action.ACCESS, actor=user)
    assert entries.exists(), f"no access entry for {obj!r} by {user}"


# --- A real Celery worker on Redis -----------------------------------------------------------


@pytest.fixture
def celery_redis_worker(transactional_db, settings):
    """Starts an in-process Celery worker consuming from a real Redis broker. Tasks sent with
    .delay() during the test travel through Redis and run in the worker thread, which sees
    the test database because the test is transactional."""
    from celery.contrib.testing.worker import start_worker

    from sro_program.celery import app

    old = {
        "broker_url": app.conf.broker_url,
        "task_always_eager": app.conf.task_always_eager,
        "broker_transport_options": app.conf.broker_transport_options,
    }
    app.conf.update(broker_url=TEST_REDIS_URL, task_always_eager=False, broker_transport_options={})
    _reset_connections(app)
    import redis

    redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    with start_worker(
        app,
        perform_ping_check=False,
        shutdown_timeout=20,
        loglevel="WARNING",
        queues=["default", "alerts", "reminders"],
    ) as worker:
        yield worker
    app.conf.update(**old)
    _reset_connections(app)


def _reset_connections(app):
    """Forget pooled broker connections so the next send uses the current broker_url. kombu's
    process-wide pools go too: a second worker test would otherwise reuse a producer pool whose
    connections the previous one closed ("Acquire on closed pool")."""
    from kombu import pools

    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


# --- Headless Debian Chromium ------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def assert_accessible(page) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def sign_in(client, username: str, password: str = "correct-horse-battery", *, follow: bool = False):
    """Posts the password step of the sign-in wizard (django-two-factor-auth)."""
    from django.urls import reverse

    data = {"login_view-current_step": "auth", "auth-username": username, "auth-password": password}
    return client.post(reverse("login"), data, follow=follow)


def sign_in_token(client, token: str, *, step: str = "token", follow: bool = False):
    """Posts the authentication-code step (or the backup-code step) of the sign-in wizard."""
    from django.urls import reverse

    data = {"login_view-current_step": step, f"{step}-otp_token": token}
    return client.post(reverse("login"), data, follow=follow)


def browser_login(page, live_server, username: str, password: str = "correct-horse-battery") -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def wait_until(page, expression: str, arg=None, *, seconds: float = 10) -> None:
    """Waits until the JavaScript function `expression` returns true in the page (given `arg`).
    page.wait_for_function() would do it, except that while it polls it evaluates a string in
    the page, which the app's CSP refuses (no 'unsafe-eval'): the test failed whenever its first
    check came too early. page.evaluate() is not subject to the page's CSP."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            pytest.fail(f"not true in the page after {seconds:g} s: {expression}")
        page.wait_for_timeout(50)


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
