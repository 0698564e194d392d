"""Cached figures stay correct under load: while other people read the CRDC report (filling
the cache) and log incidents, each new referral shows on the very next request.

Real threads on the test database (a file, so they write at once), each with its own
connection; the page's cached tables are compared with the same tables worked out afresh."""

import datetime
import threading

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from incidents import reports
from incidents.models import CrdcCollection
from incidents.services import report_incident
from schools.models import School
from students.models import school_year_of

CRDC = reverse("incidents:crdc_report")


def fresh_tables(year: int) -> str:
    """The CRDC tables of every school, worked out now, without the cache."""
    schools = School.objects.select_related("district").order_by("district__name", "name")
    leas = reports.crdc_by_lea(schools=schools, year=year)
    for lea in leas:
        lea["tables"] = reports.crdc_tables(lea["report"])
    return render_to_string("incidents/_crdc_tables.html", {"leas": leas, "year": year})


def tables_of(html: str) -> str:
    """The CRDC tables in a page (or in `fresh_tables`): from the first LEA's heading to the
    last table. Read from the response's own body, not from `response.context`: the test
    client collects every template rendered while its request runs, in any thread, so the
    context could be a reader thread's page."""
    start = html.index('<h2 class="h4 mt-4">')
    end = html.rindex("</table></div>") + len("</table></div>")
    return html[start:end]


@pytest.mark.django_db(transaction=True)
def test_each_new_referral_shows_on_the_next_request_while_others_read_and_write(
    coordinator, admin_a, admin_b, school_a, school_b, categories
):
    year = school_year_of(timezone.localdate())
    CrdcCollection.objects.create(school_year=year)
    stop = threading.Event()
    errors: list[BaseException] = []
    reads = [0]

    def in_thread(work):
        def run():
            try:
                while not stop.is_set():
                    work()
            except BaseException as exc:  # noqa: BLE001 - handed to the test
                errors.append(exc)
            finally:
                connection.close()

        return threading.Thread(target=run, daemon=True)

    def read():
        client = Client()
        client.force_login(coordinator)
        assert client.get(CRDC).status_code == 200
        reads[0] += 1

    def write_other():
        # Incidents that change no CRDC figure but bump the cached figures' version all the same.
        report_incident(
            school=school_b,
            reported_by=admin_b,
            category=categories["conduct"],
            severity="minor",
            occurred_at=timezone.now() - datetime.timedelta(minutes=5),
            location="classroom",
            description="Load: a code-of-conduct matter.",
        )

    threads = [in_thread(read) for _ in range(3)] + [in_thread(write_other) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        client = Client()
        client.force_login(coordinator)
        for n in range(1, 6):
            before = tables_of(client.get(CRDC).content.decode())
            report_incident(
                school=school_a,
                reported_by=admin_a,
                category=categories["weapons"],
                severity="moderate",
                occurred_at=timezone.now() - datetime.timedelta(minutes=10),
                location="hallway",
                description=f"Load: referral {n}.",
                people=[
                    {
                        "kind": "student",
                        "local_id_or_initials": f"L{n}00",
                        "role": "offender",
                        "grade": "10",
                        "sex": "F",
                        "race_ethnicity": "white",
                        "referred_to_law_enforcement": True,
                    }
                ],
            )
            shown = tables_of(client.get(CRDC).content.decode())
            assert shown != before, f"referral {n} is not on the next request"
            assert shown == tables_of(fresh_tables(year)), f"after referral {n} the page shows stale figures"
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert not errors, errors
    assert reads[0] > 5, "the readers did not run alongside"
