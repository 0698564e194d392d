"""The roster import in a real browser: a district coordinator uploads a zip with a bad row
(the errors table), then a good one, imports it, and finds it in the history; axe on each page."""

import pytest

from conftest import assert_accessible, browser_login
from students.models import Student

from .roster_files import as_zip, roster, student

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_district_coordinator_checks_and_imports_a_roster(
    page, live_server, coordinator_a, school_a, tmp_path
):
    school_a.sis_identifier = "A-100"
    school_a.save()
    bad = tmp_path / "bad.zip"
    bad.write_bytes(as_zip(roster([student(1, grades="14")], orgs=(("org-a", "A-100"),))))
    good = tmp_path / "roster.zip"
    good.write_bytes(as_zip(roster([student(1), student(2)], orgs=(("org-a", "A-100"),))))
    browser_login(page, live_server, coordinator_a.username)
    page.get_by_role("link", name="Reports").first.click()
    page.get_by_role("link", name="Import students from the SIS (OneRoster)").click()
    assert_accessible(page)

    page.get_by_label("OneRoster files (zip)").set_input_files(str(bad))
    page.get_by_role("button", name="Check the files").click()
    page.get_by_role("heading", name="Nothing was imported: 1 problem in the files").wait_for()
    assert page.get_by_role("cell", name="unknown grade “14”", exact=False).is_visible()
    assert page.get_by_role("button", name="Import").count() == 0
    assert_accessible(page)

    page.goto(f"{live_server.url}/students/imports/")
    page.get_by_label("OneRoster files (zip)").set_input_files(str(good))
    page.get_by_role("button", name="Check the files").click()
    page.get_by_role("heading", name="Dry run of roster.zip").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Import").click()
    page.get_by_role("heading", name="Import of roster.zip").wait_for()
    assert page.get_by_text("The students were imported.").is_visible()
    assert_accessible(page)
    assert Student.objects.count() == 2
    page.get_by_role("link", name="All roster imports").click()
    assert page.locator("tbody tr").count() == 3
    assert_accessible(page)


def test_coordinator_links_a_person_logged_before_student_records(
    page, live_server, coordinator_a, admin_a, school_a
):
    import datetime

    from django.utils import timezone

    from conftest import make_student
    from incidents.defaults import install_defaults
    from incidents.models import IncidentCategory, Threshold
    from incidents.services import report_incident

    install_defaults(IncidentCategory, Threshold)
    student = make_student(school_a, "8008", first="Avery", last="Quinn")
    incident = report_incident(
        school=school_a,
        reported_by=admin_a,
        category=IncidentCategory.objects.get(code="conduct"),
        severity="low",
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
        location="hallway",
        description="Pushed a classmate in the line.",
        people=[{"local_id_or_initials": "8008", "role": "offender"}],
    )
    browser_login(page, live_server, coordinator_a.username)
    page.get_by_role("link", name="Students").first.click()
    page.get_by_role("link", name="Link people logged before student records existed").click()
    page.get_by_text("Suggested: Avery Quinn (8008)").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Link all 1 to the suggested students").click()
    page.get_by_text("1 people linked").wait_for()
    assert_accessible(page)
    assert incident.people.get().student == student

    page.goto(f"{live_server.url}/incidents/reports/crdc/collected/{school_a.district_id}/?year=2025")
    assert_accessible(page)
