"""The dashboard's query count stays the same however large the district grows: 4 then 12
schools, each with its officer, 3 incidents (one overridden, one with an alert), a threat
assessment with an overdue step, activity notes with follow-ups, a training record, a drill."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

# The personas are fetched by name below: the database must be asked for here.
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 10, 14, 15, 0), tick=False):
        yield


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# Pinned (SQLite, PostgreSQL): a query more is a tile that reads the period again (README,
# Benchmark). On PostgreSQL the escalation tile's percentiles share its counts' query; the
# bright-line, by-month and levels tiles share one grouped count of the period's incidents.
@pytest.mark.parametrize(
    ("persona", "url_name", "expected"),
    [
        ("coordinator", "reports:dashboard", (32, 31)),
        ("admin_a", "reports:dashboard", (31, 30)),
        ("officer_a", "reports:dashboard", (17, 17)),
        ("coordinator", "reports:monthly", (30, 29)),
        ("admin_a", "reports:monthly", (29, 28)),
    ],
)
def test_query_count_is_the_same_for_n_and_3n_schools_officers_records(
    request, district, persona, url_name, expected
):
    from django.test import Client

    user = request.getfixturevalue(persona)
    client = Client()
    client.force_login(user)
    url = reverse(url_name)
    admin = user if user.is_school_admin else None
    officer = user.officer_record
    district(4, prefix="First", admin=admin, officer=officer)
    small = queries_for(client, url)
    district(8, prefix="Second", admin=admin, officer=officer)
    large = queries_for(client, url)
    sqlite, postgresql = expected
    pinned = postgresql if connection.vendor == "postgresql" else sqlite
    assert small == large == pinned, f"{persona}: {small} queries with 4 schools, {large} with 12"
