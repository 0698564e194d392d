"""The project's own setup: settings, migrations, demo data."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.models import User
from conftest import sign_in
from officers.models import Officer
from schools.models import School

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def deploy_check(**extra) -> subprocess.CompletedProcess:
    """`manage.py check --deploy --fail-level WARNING` with production settings and `extra`."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "CACHE_URL")},
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "-a-real-and-long-production-secret-key-value-123456",
        "ALLOWED_HOSTS": "sro.district.example.org",
        "SECURE_SSL_REDIRECT": "1",
        **extra,
    }
    return subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = deploy_check(CACHE_URL="redis://127.0.0.1:6379/1")  # not contacted by the check
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr


def test_deploy_check_wants_a_shared_cache_for_cached_figures():
    result = deploy_check()  # the per-process default cache
    assert result.returncode != 0
    assert "core.W001" in result.stdout + result.stderr
    result = deploy_check(DATA_CACHE_SECONDS="0")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DJANGO_DEBUG"] = "0"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_seed_demo_is_refused_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("seed_demo")


@pytest.mark.django_db
def test_seed_demo_builds_the_district_once(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (User.objects.count(), School.objects.count(), Officer.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), School.objects.count(), Officer.objects.count()) == counts
    assert School.objects.count() == 8
    assert Officer.objects.count() == 6
    out = capsys.readouterr().out
    assert "coordinator" in out and "sro-demo-2026" in out
    officer = User.objects.get(username="officer")
    assert officer.schools_in_scope().filter(name="Riverside High School").exists()
    admin = User.objects.get(username="schooladmin")
    assert list(admin.schools_in_scope().values_list("name", flat=True)) == ["Riverside High School"]


@pytest.mark.django_db
def test_seed_demo_builds_two_districts_and_a_boces_centre_with_their_coordinators(settings):
    from officers.models import Agency, Agreement
    from schools.models import District

    settings.DEBUG = True
    call_command("seed_demo")
    counts = (District.objects.count(), Agreement.objects.count(), User.objects.count())
    call_command("seed_demo")
    assert (District.objects.count(), Agreement.objects.count(), User.objects.count()) == counts
    assert sorted(District.objects.values_list("name", "kind")) == [
        ("Capital Region BOCES", "boces"),
        ("Mohonasen Central School District", "district"),
        ("Schenectady City School District", "district"),
    ]
    assert User.objects.get(username="coordinator").is_program_coordinator
    city = User.objects.get(username="citycoordinator")
    assert city.is_district_coordinator
    assert set(city.schools_in_scope().values_list("district__name", flat=True)) == {
        "Schenectady City School District"
    }
    boces = User.objects.get(username="bocescoordinator").schools_in_scope()
    assert list(boces.values_list("name", flat=True)) == ["BOCES East Learning Center"]
    for agency in Agency.objects.all():
        assert agency.districts.count() == 2, agency
    # An officer with a login serves schools of two districts and sees both.
    officer2 = User.objects.get(username="officer2")
    assert officer2.schools_in_scope().values("district").distinct().count() == 2


@pytest.mark.django_db
def test_demo_users_sign_in_with_the_demo_password(settings, client):
    settings.DEBUG = True
    call_command("seed_demo")
    for username in ["coordinator", "citycoordinator", "mohonasencoordinator", "schooladmin", "officer"]:
        response = sign_in(client, username, "sro-demo-2026")
        assert response.status_code == 302, username
        client.post(reverse("logout"))


def test_collectstatic_works_with_production_settings(tmp_path):
    """WhiteNoise's manifest storage rewrites every reference in CSS and JS, source maps
    included: a vendored file naming a missing map would stop a production deploy."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "-a-real-and-long-production-secret-key-value-123456",
        "ALLOWED_HOSTS": "sro.district.example.org",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()


@pytest.mark.django_db(transaction=True)
def test_on_sqlite_a_second_writer_waits_its_turn_instead_of_failing():
    """`make run` and the real-worker tests write one SQLite file from several connections."""
    from django.db import connection, connections, transaction

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's locking only")
    from schools.models import default_district_id

    default_district_id()  # both schools join it: neither writer has to create it (a race of its own)
    holding, done = threading.Event(), threading.Event()

    def first_writer():
        try:
            with transaction.atomic():
                School.objects.create(name="First writer school")
                holding.set()
                time.sleep(0.5)  # keeps the write lock while the test writes
        finally:
            connections.close_all()
            done.set()

    thread = threading.Thread(target=first_writer)
    thread.start()
    assert holding.wait(5)
    School.objects.create(name="Second writer school")  # waits for the first, then writes
    assert done.wait(5)
    thread.join()
    names = set(School.objects.values_list("name", flat=True))
    assert {"First writer school", "Second writer school"} <= names
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
