"""An administrator logs a drill in the browser and sees the school's compliance update."""

import datetime

import pytest
from django.utils import timezone

from conftest import assert_accessible, browser_login
from drills.models import Drill, DrillType, school_year_for
from drills.selectors import compliance_for_school

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_logs_a_scheduled_drill_and_sees_compliance_update(
    page, live_server, admin_a, school_a
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    when = timezone.make_aware(datetime.datetime.combine(yesterday, datetime.time(10, 0)))
    Drill.objects.create(school=school_a, drill_type=DrillType.LOCKDOWN, scheduled_at=when)
    year = school_year_for(yesterday)

    browser_login(page, live_server, "admin_a")
    page.get_by_role("link", name="Drills", exact=True).click()
    page.get_by_role("heading", name="Emergency drills").wait_for()  # the page the click leads to
    assert_accessible(page)

    page.get_by_role("link", name="Alpha High School").click()
    page.get_by_text("Overdue: not logged").wait_for()  # the page the click leads to
    before = page.get_by_test_id("compliance-reason").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Log Lockdown drill").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("button", name="Save drill").click()  # duration missing: a clear error, input kept
    page.wait_for_load_state()
    error = "How long did the drill take? Enter the minutes."
    summary = page.locator("[data-error-summary]")
    assert summary.get_by_role("link", name=f"Duration (minutes): {error}").is_visible()
    assert page.locator("#id_duration_minutes_error").get_by_text(error).is_visible()
    assert_accessible(page)
    page.get_by_label("Duration (minutes)").fill("12")
    page.get_by_label("Time to full accountability (minutes)").fill("5")
    page.get_by_label("SRO present").check()
    page.get_by_role("button", name="Save drill").click()
    page.wait_for_load_state()

    assert page.get_by_text("saved.").is_visible()
    assert page.get_by_text("Conducted", exact=True).first.is_visible()
    after = compliance_for_school(school_a, year)
    lockdown = next(r for r in after.results if r.requirement.label == "4 lockdown drills")
    assert lockdown.done == 1
    row = page.get_by_role("row", name="4 lockdown drills")
    assert "1 / 4" in row.inner_text()
    assert page.get_by_test_id("compliance-reason").inner_text() == after.reason
    assert after.reason != before or "1 of" in after.reason
    assert_accessible(page)


def test_coordinator_drill_pages_are_accessible(page, live_server, coordinator, school_a, school_b):
    from drills.models import CorrectiveAction

    now = timezone.now() - datetime.timedelta(days=2)
    drill = Drill.objects.create(
        school=school_a, drill_type=DrillType.EVACUATION, conducted_at=now, duration_minutes=9
    )
    CorrectiveAction.objects.create(
        drill=drill,
        observation="Alarm faint",
        action="Fix",
        owner="Facilities",
        due_date=timezone.localdate(),
    )
    browser_login(page, live_server, "coord")
    page.goto(f"{live_server.url}/drills/")
    assert page.get_by_role("heading", name="District at a glance").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/drills/requirements/")
    assert_accessible(page)
    page.goto(f"{live_server.url}{drill.get_absolute_url()}")
    assert_accessible(page)
    page.goto(f"{live_server.url}/drills/log/")
    assert_accessible(page)
