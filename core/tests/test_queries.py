"""core.queries.count_of: a count per row of a list, as one correlated subquery."""

import pytest

from core.queries import count_of
from officers.models import Officer
from schools.models import Assignment, School

pytestmark = pytest.mark.django_db


def test_each_row_gets_its_own_count_and_zero_when_nothing_points_at_it(officer_a, officer_b, school_a):
    empty = School.objects.create(name="Charlie Elementary School", level="elementary")
    schools = School.objects.annotate(n=count_of(Assignment.objects.all(), "school"))
    counts = dict(schools.values_list("name", "n"))
    assert counts == {"Alpha High School": 1, "Bravo Middle School": 1, empty.name: 0}


def test_the_related_rows_can_be_filtered(officer_a, school_a):
    officer = officer_a.officer
    officer.status = "inactive"
    officer.save()
    active = Assignment.objects.filter(officer__in=Officer.objects.active())
    assert School.objects.annotate(n=count_of(active, "school")).get(pk=school_a.pk).n == 0


def test_the_counts_add_no_query_and_the_list_is_not_grouped(officer_a, officer_b, django_assert_num_queries):
    schools = School.objects.annotate(n=count_of(Assignment.objects.all(), "school"))
    with django_assert_num_queries(1) as captured:
        list(schools)
    outer_tail = captured.captured_queries[0]["sql"].rsplit(")", 1)[-1]  # after the subquery
    assert "GROUP BY" not in outer_tail.upper()


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    # A year's report was JIT-compiled before it ran, and compiling took longer than running
    # (README, Every page): every connection of the app turns it off.
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
