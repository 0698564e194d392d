"""seed_large on a tiny district (not the benchmark itself: that is bench/run.py)."""

import datetime
import io
import random

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from bench import run as bench_run
from bench import seed as large
from bench.district import build as build_district
from bench.pages import USERNAMES, build_pages
from officers.models import Officer
from schools.models import Assignment, School

TODAY = datetime.date(2026, 11, 23)
TINY = ["--schools", "3", "--officers", "4", "--years", "1", "--scale", "0.01", "--today", "2026-11-23"]


def seed_tiny(*extra: str) -> str:
    out = io.StringIO()
    call_command("seed_large", *TINY, *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_seed_large_builds_a_tiny_district_and_says_what_it_made(db, debug):
    output = seed_tiny()
    assert School.objects.count() == 3
    assert Officer.objects.count() == 4
    assert User.objects.filter(role=Role.COORDINATOR, username="bench-coordinator").exists()
    assert User.objects.filter(role=Role.SCHOOL_ADMIN).count() == 3
    assert User.objects.filter(role=Role.OFFICER).count() == 4
    # Every officer has a current primary school and can sign in.
    for officer in Officer.objects.select_related("user"):
        assert officer.assignments.active_on(TODAY).primary().count() == 1
        assert officer.user.check_password("sro-demo-2026")
    assert School.objects.get(administrators__username="bench-admin-001")
    assert "3 districts, 3 schools, 4 officers" in output
    # Three LEAs, each with its coordinator; every agency serves all three.
    from officers.models import Agency
    from schools.models import District

    bench = District.objects.filter(name__startswith="Bench")
    assert sorted(bench.values_list("kind", flat=True)) == ["boces", "district", "district"]
    for district in bench:
        coordinator = User.objects.get(role=Role.DISTRICT_COORDINATOR, district=district)
        assert set(coordinator.schools_in_scope()) == set(district.schools.all())
    assert {agency.districts.count() for agency in Agency.objects.all()} == {3}
    assert "Large district ready in" in output
    # Most students involved in incidents are student records of the school, with the record's
    # demographics; the rest were typed before student records existed.
    from incidents.models import IncidentPerson

    students = IncidentPerson.objects.filter(kind="student")
    linked = students.filter(student__isnull=False).select_related("student", "incident")
    assert linked.count() > 0.8 * students.count()
    for person in linked[:50]:
        assert person.student.enrollments.filter(school=person.incident.school).exists()
        assert (person.sex, person.race_ethnicity) == (person.student.sex, person.student.race_ethnicity)


def test_seed_large_run_twice_adds_nothing_the_second_time(db, debug):
    seed_tiny()
    counts = (School.objects.count(), Officer.objects.count(), Assignment.objects.count())
    output = seed_tiny()
    assert "already there" in output
    assert (School.objects.count(), Officer.objects.count(), Assignment.objects.count()) == counts


def _snapshot() -> dict[str, list]:
    """Every row the seed wrote, minus primary keys (and salted password hashes), in a stable order."""
    from bench.bulk import FILLED

    snapshot = {}
    for model in sorted(FILLED, key=lambda m: m._meta.label):
        names = [f.attname for f in model._meta.concrete_fields if not f.primary_key and f.name != "password"]
        snapshot[model._meta.label] = sorted(map(repr, model.objects.values_list(*names)))
    return snapshot


def test_seed_large_is_deterministic(db, debug, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 23, 15, 0, tzinfo=datetime.UTC), tick=False)
    with transaction.atomic():
        seed_tiny()
        first = _snapshot()
        transaction.set_rollback(True)
    assert not School.objects.exists()
    seed_tiny()
    second = _snapshot()
    assert "schools.School" in first and sum(map(len, first.values())) > 10
    assert second == first


def test_seed_large_refuses_with_production_settings(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        seed_tiny()
    assert not School.objects.exists()


def test_reset_rebuilds_on_postgresql_and_is_refused_on_sqlite(db, debug):
    seed_tiny()
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="PostgreSQL"):
            seed_tiny("--reset")
        return
    output = seed_tiny("--reset")
    assert "Emptied the tables" in output
    assert (School.objects.count(), Officer.objects.count()) == (3, 4)


def test_health_answers_ok_without_a_database_query(db, django_assert_num_queries):
    client = Client()
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def _query_counts(pages) -> dict[str, int]:
    counts = {}
    for page in pages:
        client = Client()
        if page.who != "anonymous":
            client.force_login(User.objects.get(username=USERNAMES[page.who]))
        bench_run.fetch(client, page)
        cache.clear()  # count the work, not a cached copy of it
        with CaptureQueriesContext(connection) as ctx:
            response = bench_run.fetch(client, page)
        assert response.status_code == 200, (page.key, page.url, response.status_code)
        counts[page.key] = len(ctx.captured_queries)
    return counts


def test_every_bench_page_makes_as_many_queries_on_three_times_the_data(db, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 23, 15, 0, tzinfo=datetime.UTC), tick=False)
    district = build_district(schools=3, officers=4, years=1, today=TODAY, rng=random.Random(1))
    # Past the first page of every list from the start, then three times as many rows.
    large.generate_records(district, scale=0.05, seed=1, log=lambda _line: None)
    pages = build_pages()
    assert len(pages) > 100  # every GET page of the URLconf (bench/tests/test_pages.py)
    small = _query_counts(pages)
    large.generate_records(district, scale=0.1, seed=2, log=lambda _line: None)
    assert _query_counts(pages) == small
    assert "trivial" in small


def test_foreign_key_check_finds_a_row_pointing_at_nothing(db, school_a):
    from django.db import IntegrityError

    from bench import bulk

    bulk.FILLED.clear()
    bulk.insert_rows(Assignment, ["officer_id", "school_id", "start_date"], [(987654, school_a.pk, TODAY)])
    with pytest.raises(IntegrityError, match="Assignment.officer"):
        bulk.check_foreign_keys()
    bulk.FILLED.clear()
    Assignment.objects.filter(officer_id=987654).delete()  # or the test's own teardown check fails


def test_seed_large_gives_each_incident_its_offenders_and_victims(db, debug):
    from django.db.models import Count, Q

    from incidents.models import Incident

    seed_tiny()
    incidents = Incident.objects.annotate(
        n_offenders=Count("people", filter=Q(people__role="offender")),
        n_victims=Count("people", filter=Q(people__role="victim")),
    )
    assert incidents.exists()
    for incident in incidents:
        assert (incident.offenders, incident.victims) == (incident.n_offenders, incident.n_victims)
