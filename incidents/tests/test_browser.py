"""The incident journey in a real browser: an administrator logs a weapons incident, the
school's SRO acknowledges the alert on a phone, and the timeline shows both."""

import datetime

import pytest
from django.utils import timezone

from conftest import DESKTOP, PHONE, assert_accessible, browser_login, make_student

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=["phone", "desktop"])
def screen(request, browser):
    """A page on a 390x844 phone, then on a 1366x768 desktop."""
    context = browser.new_context(viewport={"phone": PHONE, "desktop": DESKTOP}[request.param])
    yield context.new_page()
    context.close()


def fill_incident(page, *, description: str) -> None:
    when = timezone.localtime() - datetime.timedelta(hours=1)
    page.get_by_label("When it happened").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Where").select_option("hallway")
    page.get_by_label("Category").select_option(label="Weapons possession")
    page.get_by_label("Severity").select_option("moderate")
    page.get_by_label("Description").fill(description)
    page.get_by_label("Weapon involved").select_option("knife")


def test_weapons_incident_reaches_the_sro_who_acknowledges_on_a_phone(
    page, browser, live_server, admin_a, officer_a, school_a, categories
):
    make_student(school_a, "204518")
    make_student(school_a, "204777", first="Jamie", last="Torres", grade="9", sex="F")
    browser_login(page, live_server, "admin_a")
    page.get_by_role("link", name="Incidents").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Log an incident").click()
    assert_accessible(page)
    fill_incident(page, description="Student showed a folding knife by the lockers.")
    preview = page.locator("#incident-preview")
    preview.get_by_text("will be alerted at once. Call 911 now.").wait_for()  # fetched as the fields change
    assert "Officer_A Officer, on duty at Alpha High School" in preview.inner_text()
    page.get_by_text("People involved").click()  # collapsed: the first minute needs none of it
    lookup = page.locator("#id_people-0-student_lookup")
    lookup.fill("Jor")  # the school's students matching what is typed are offered
    page.locator("#student-options option[value='Jordan Smith (204518)']").wait_for(state="attached")
    lookup.fill("Jordan Smith (204518)")
    page.locator("#id_people-0-role").select_option("offender")
    page.get_by_role("button", name="Add another person").click()  # one blank row until asked
    assert page.evaluate("document.activeElement.id") == "id_people-1-kind"
    page.locator("#id_people-1-student_lookup").fill("204777")
    page.locator("#id_people-1-role").select_option("witness")
    page.get_by_role("button", name="Log incident").click()
    page.get_by_role("heading", name="Weapons possession").wait_for()
    assert page.get_by_text("Immediate: call 911 and the SRO").first.is_visible()
    assert page.get_by_text("Jordan Smith (204518)").is_visible()
    assert page.get_by_text("Jamie Torres (204777)").is_visible()
    assert_accessible(page)
    incident_url = page.url

    phone = browser.new_context(viewport=PHONE)
    officer_page = phone.new_page()
    browser_login(officer_page, live_server, "officer_a")
    # The officer opens their notifications (the phone menu itself has its own test,
    # tests/test_browser_login.py; here a banner arriving mid-click could move it).
    officer_page.goto(f"{live_server.url}/notifications/")
    officer_page.get_by_role("heading", name="Notifications").wait_for()
    # The alert's banner arrives a moment after the page and pushes it down: let it land
    # before clicking anything.
    officer_page.locator("#alert-banner [role=alert]").first.wait_for()
    notification = (
        officer_page.locator(".list-group-item").get_by_text("Weapons possession at Alpha High School").first
    )
    notification.wait_for()
    assert_accessible(officer_page)
    officer_page.get_by_role("button", name="Open Immediate: call 911").click()
    assert_accessible(officer_page)
    officer_page.get_by_role("button", name="Acknowledge alert").click()
    officer_page.get_by_text("Alert acknowledged. The reporting school").wait_for()
    assert officer_page.get_by_role("button", name="Acknowledge alert").count() == 0
    assert_accessible(officer_page)
    phone.close()

    page.goto(incident_url)
    timeline = page.locator(".incident-timeline")
    assert timeline.get_by_text("Reported", exact=True).is_visible()
    assert timeline.get_by_text("Alert reached Officer Officer_A Officer").is_visible()
    assert timeline.get_by_text("Alert acknowledged by Officer_A").is_visible()


def test_form_with_mistakes_keeps_input_and_says_what_to_fix(page, live_server, admin_a, categories):
    browser_login(page, live_server, "admin_a")
    page.goto(f"{live_server.url}/incidents/new/")
    fill_incident(page, description="")
    page.get_by_label("Where").select_option("bus")
    page.get_by_text("People involved").click()
    page.locator("#id_people-0-student_lookup").fill("AB")
    page.get_by_text("Injuries, actions taken, intervention level").click()
    page.get_by_label("Intervention level").select_option("1")
    page.get_by_role("button", name="Log incident").click()
    page.get_by_text("The incident was not saved").wait_for()
    assert page.title().startswith("Error: ")
    summary = page.locator("[data-error-summary]")
    assert summary.evaluate("element => element === document.activeElement")  # focus starts there
    assert summary.get_by_role("link", name="Description: Describe what happened.").is_visible()
    assert page.get_by_text("Describe what happened.", exact=True).is_visible()
    assert page.get_by_text("Give this person's role: offender, victim or witness.", exact=True).is_visible()
    assert page.get_by_text("Give a reason for overriding the threshold table.", exact=True).is_visible()
    summary.get_by_role("link", name="Description: Describe what happened.").click()
    assert page.evaluate("document.activeElement.id") == "id_description"
    assert "No student of Alpha High School" in page.locator("#id_people-0-student_lookup_error").inner_text()
    assert page.locator("#id_people-0-student_lookup").input_value() == "AB"
    assert page.get_by_label("Where").input_value() == "bus"
    assert_accessible(page)


def test_people_are_added_from_the_incidents_page_after_the_report(
    page, live_server, admin_a, school_a, log_incident
):
    make_student(school_a, "204518")
    incident = log_incident(school=school_a, reported_by=admin_a)
    browser_login(page, live_server, "admin_a")
    page.goto(f"{live_server.url}{incident.get_absolute_url()}")
    page.get_by_role("link", name="Add people").click()
    page.get_by_role("heading", name="Add people to this incident").wait_for()
    assert_accessible(page)
    page.locator("#id_people-0-student_lookup").fill("999999")
    page.locator("#id_people-0-role").select_option("offender")
    page.get_by_role("button", name="Add another person").click()
    page.locator("#id_people-1-kind").select_option("staff")
    page.locator("#id_people-1-local_id_or_initials").fill("JD")  # a staff member's fields show
    page.locator("#id_people-1-role").select_option("witness")
    page.get_by_role("button", name="Add these people").click()
    page.get_by_text("Nobody was added").wait_for()
    assert "No student of Alpha High School" in page.locator("#id_people-0-student_lookup_error").inner_text()
    assert page.locator("#id_people-1-local_id_or_initials").input_value() == "JD"  # kept
    # A third row copied after the error starts empty, without the error.
    page.get_by_role("button", name="Add another person").click()
    assert page.locator("#id_people-2-kind").input_value() == "student"
    assert page.locator("#id_people-2-student_lookup").input_value() == ""
    assert page.locator("#id_people-2-role").input_value() == ""
    assert (
        page.locator("#div_id_people-2-student_lookup .is-invalid, #id_people-2-student_lookup_error").count()
        == 0
    )
    assert_accessible(page)
    page.locator("#id_people-0-student_lookup").fill("204518")
    page.get_by_role("button", name="Add these people").click()  # the empty third row is ignored
    page.get_by_text("2 people added to the incident.").wait_for()
    assert page.get_by_text("Jordan Smith (204518)").is_visible()
    assert (
        page.locator(".incident-timeline")
        .get_by_text("People involved: 0 recorded → 2 recorded")
        .is_visible()
    )


def test_threat_assessment_pages_are_accessible(page, live_server, admin_a, school_a, categories):
    browser_login(page, live_server, "admin_a")
    page.goto(f"{live_server.url}/incidents/threats/")
    assert_accessible(page)
    page.get_by_role("link", name="Report a threat").click()
    page.get_by_label("Student: local ID or name").fill("K.L.")
    page.get_by_label("Reported on").fill(timezone.localdate().isoformat())
    page.get_by_label("What was said or done").fill("Said he would bring a gun to the dance.")
    page.get_by_role("button", name="Open threat report").click()
    page.get_by_text("Threat report opened").wait_for()
    page.get_by_label("Very serious substantive").check()
    page.get_by_role("button", name="Save classification").click()
    page.get_by_text("Checklist updated").wait_for()
    assert page.get_by_text("Mental health evaluation", exact=True).is_visible()
    assert_accessible(page)


def test_coordinator_pages_are_accessible(page, live_server, coordinator, admin_a, school_a, log_incident):
    log_incident(
        school=school_a, reported_by=admin_a, people=[{"local_id_or_initials": "S1", "role": "offender"}]
    )
    browser_login(page, live_server, "coord")
    for path in [
        "/incidents/?level=3",
        "/incidents/thresholds/",
        "/incidents/categories/",
        "/incidents/reports/crdc/",
        "/incidents/reports/crdc/collected/",
        "/incidents/reports/ssec/",
        "/incidents/categories/ssec/",
    ]:
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    page.goto(f"{live_server.url}/incidents/?level=3")
    page.locator("table a").first.click()
    page.get_by_role("heading", name="Weapons possession").wait_for()
    assert_accessible(page)


def test_a_double_click_on_log_incident_logs_one_incident_and_alerts_once(
    page, live_server, admin_a, officer_a, categories
):
    from core.models import Notification
    from incidents.models import Incident

    browser_login(page, live_server, "admin_a")
    page.goto(f"{live_server.url}/incidents/new/")
    fill_incident(page, description="Student showed a folding knife by the lockers.")
    page.get_by_role("button", name="Log incident").dblclick()
    page.get_by_role("heading", name="Weapons possession").wait_for()
    assert Incident.objects.count() == 1
    assert Notification.objects.filter(user=officer_a).count() == 1


def test_the_first_part_of_the_report_fits_two_phone_screens_and_says_who_will_be_alerted(
    browser, live_server, admin_a, officer_a, categories
):
    phone = browser.new_context(viewport=PHONE)
    page = phone.new_page()
    browser_login(page, live_server, "admin_a")
    page.goto(f"{live_server.url}/incidents/new/")
    assert page.get_by_label("When it happened").input_value()  # starts at now
    page.get_by_label("Category").select_option(label="Weapons possession")
    page.get_by_label("Severity").select_option("high")
    preview = page.locator("#incident-preview")
    preview.get_by_text("Call 911 now.").wait_for()
    box = preview.bounding_box()
    assert box["y"] + box["height"] <= 2 * PHONE["height"], box
    # Each field has the phone's width, so a chosen severity and the time are not cut off.
    width = page.locator("#id_school").bounding_box()["width"]
    for label in ("Category", "Severity", "Where", "When it happened"):
        assert page.get_by_label(label).bounding_box()["width"] == width, label
    assert page.locator(".form-actions").bounding_box()["y"] <= 2.5 * PHONE["height"]
    assert_accessible(page)
    phone.close()


def test_a_code_of_conduct_report_says_no_sro_is_involved(
    screen, live_server, admin_a, officer_a, categories
):
    page = screen
    browser_login(page, live_server, "admin_a")
    page.goto(f"{live_server.url}/incidents/new/")
    page.get_by_label("Where").select_option("hallway")
    page.get_by_label("Category").select_option(index=1)
    codes = page.locator("#id_category option").all_text_contents()
    conduct = next(label for label in codes if "conduct" in label.lower() or "dispute" in label.lower())
    page.get_by_label("Category").select_option(label=conduct)
    page.get_by_label("Severity").select_option("moderate")
    page.locator("#incident-preview").get_by_text("no SRO is involved").wait_for()
    page.get_by_label("Description").fill("Two students argued over a seat at lunch.")
    page.get_by_role("button", name="Log incident").click()
    page.get_by_text("no SRO is involved").first.wait_for()
    assert_accessible(page)


def test_a_late_answer_about_a_category_no_longer_chosen_does_not_replace_the_preview(
    page, live_server, admin_a, officer_a, categories
):
    held = []

    def hold_the_first(route):
        if not held:
            held.append(route)  # answered later, after the second question's answer
        else:
            route.continue_()

    browser_login(page, live_server, "admin_a")
    page.route("**/incidents/new/preview.json?*", hold_the_first)
    page.goto(f"{live_server.url}/incidents/new/")
    page.get_by_label("Severity").select_option("high")
    page.get_by_label("Category").select_option(label="Weapons possession")
    labels = page.locator("#id_category option").all_text_contents()
    conduct = next(label for label in labels if "conduct" in label.lower())
    page.get_by_label("Category").select_option(label=conduct)
    preview = page.locator("#incident-preview")
    preview.get_by_text("no SRO is involved").wait_for()
    assert held, "the first question was not held"
    with page.expect_response(lambda r: "preview.json" in r.url) as late:
        held[0].continue_()  # the weapons answer arrives last
    late.value.finished()
    page.evaluate("() => new Promise(done => setTimeout(done, 200))")  # its handler has run
    assert "no SRO is involved" in preview.inner_text()
    assert "Call 911" not in preview.inner_text()


def test_the_reporter_sees_the_officer_acknowledge_without_reloading(
    page, browser, live_server, admin_a, officer_a, categories
):
    browser_login(page, live_server, "admin_a")
    page.goto(f"{live_server.url}/incidents/new/")
    fill_incident(page, description="A student has a knife in a backpack.")
    page.get_by_role("button", name="Log incident").click()
    callout = page.locator(".incident-callout")
    callout.wait_for()
    assert "Call 911 now" in callout.inner_text()
    status = page.locator("#alert-status")
    assert status.get_by_text("Not yet").count() >= 1
    assert page.get_by_text("If nobody has acknowledged by").is_visible()
    assert_accessible(page)

    phone = browser.new_context(viewport=PHONE)
    officer_page = phone.new_page()
    browser_login(officer_page, live_server, "officer_a")
    banner = officer_page.locator("#alert-banner")
    banner.get_by_role("button", name="Acknowledge").first.wait_for(timeout=10000)  # on any page
    assert "Weapons possession at Alpha High School" in banner.inner_text()
    assert_accessible(officer_page)
    banner.get_by_role("button", name="Acknowledge").first.click()
    officer_page.get_by_text("Alert acknowledged. The reporting school can see").wait_for()
    phone.close()

    # The reporter's page changes by itself (polled every 5 s), no reload.
    status.get_by_text("Acknowledged", exact=False).first.wait_for(timeout=15000)
    page.get_by_text("An SRO has acknowledged the alert and is responding.").wait_for(timeout=15000)
    assert_accessible(page)


def test_on_a_phone_the_reporter_sees_who_acknowledged_without_scrolling_sideways(
    browser, live_server, admin_a, officer_a, categories
):
    officer_a.officer.phone = "(518) 555-0217"  # a phone number to call, as officers have
    officer_a.officer.save()
    phone = browser.new_context(viewport=PHONE)
    page = phone.new_page()
    browser_login(page, live_server, "admin_a")
    page.goto(f"{live_server.url}/incidents/new/")
    fill_incident(page, description="A student has a knife in a backpack.")
    page.get_by_role("button", name="Log incident").click()
    page.locator(".incident-callout").wait_for()
    rows = page.locator("#alert-status tbody tr")
    assert rows.count() >= 1
    for row in rows.all():
        # Each person's delivery and acknowledgement take the phone's width: not a column off
        # the screen, nor one squeezed to a few words a line.
        for cell in ("[data-deliveries]", "[data-ack]"):
            box = row.locator(cell).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (cell, box)
            assert box["width"] >= 0.8 * PHONE["width"], (cell, box)
        assert row.locator("[data-ack]").inner_text() == "Not yet"
    assert_accessible(page)
    phone.close()


def test_on_a_phone_the_incident_list_shows_each_incidents_level_and_unacknowledged_alerts(
    browser, live_server, admin_a, officer_a, school_a, log_incident
):
    log_incident(school=school_a, reported_by=admin_a, weapon_type="knife")
    phone = browser.new_context(viewport=PHONE)
    page = phone.new_page()
    browser_login(page, live_server, "admin_a")
    page.goto(f"{live_server.url}/incidents/")
    row = page.locator("tbody tr").first
    for badge in ("Immediate: call 911 and the SRO", "1 not acknowledged"):
        box = row.get_by_text(badge).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (badge, box)
    assert_accessible(page)
    phone.close()


def test_an_alert_banner_that_appears_under_a_finger_does_not_take_its_tap(
    browser, live_server, admin_a, officer_a, school_a, log_incident
):
    from incidents.models import Alert

    log_incident(school=school_a, reported_by=admin_a)
    phone = browser.new_context(viewport=PHONE)
    page = phone.new_page()
    browser_login(page, live_server, "officer_a")
    page.clock.install()  # the page's timers wait for the test; its requests do not
    page.goto(f"{live_server.url}/notifications/")
    acknowledge = page.locator("#alert-banner").get_by_role("button", name="Acknowledge")
    acknowledge.wait_for()
    assert acknowledge.is_disabled()  # a tap now was meant for what the banner pushed down
    page.clock.run_for(800)
    assert acknowledge.is_enabled()
    acknowledge.click()
    page.get_by_text("Alert acknowledged. The reporting school can see").wait_for()
    assert Alert.objects.get(recipient=officer_a).acknowledged_at is not None
    phone.close()


def test_a_correction_that_raises_the_level_alerts_the_sro(
    screen, live_server, admin_a, officer_a, categories
):
    page = screen
    from core.models import Notification
    from incidents.services import report_incident

    incident = report_incident(
        school=officer_a.officer.assignments.first().school, reported_by=admin_a,
        category=categories["conduct"], severity="moderate",
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
        location="hallway", description="Logged as a dispute; it was a knife.",
    )  # fmt: skip
    assert not Notification.objects.filter(user=officer_a).exists()
    browser_login(page, live_server, "admin_a")
    page.goto(f"{live_server.url}{incident.get_absolute_url()}")
    page.get_by_role("link", name="Correct this incident").click()
    page.wait_for_url("**/edit/")  # axe reads the correction form, not the page being left
    assert_accessible(page)
    page.get_by_label("Category").select_option(label="Weapons possession")
    page.get_by_label("Why is it corrected?").fill("A knife was found: not a dispute.")
    page.get_by_role("button", name="Save the correction").click()
    page.locator(".incident-callout").get_by_text("Call 911 now").wait_for()
    assert page.locator(".incident-timeline").get_by_text("Corrected: Category").is_visible()
    assert Notification.objects.filter(user=officer_a, url=incident.get_absolute_url()).count() == 1
    assert_accessible(page)


def test_the_report_form_works_from_the_keyboard_and_errors_take_the_focus(
    screen, live_server, admin_a, categories
):
    page = screen
    browser_login(page, live_server, "admin_a")
    page.goto(f"{live_server.url}/incidents/new/")
    page.get_by_label("Category").focus()
    page.keyboard.press("ArrowDown")  # the first category
    page.get_by_label("Description").focus()
    page.keyboard.type("Typed from the keyboard.")
    page.get_by_role("button", name="Log incident").focus()
    page.keyboard.press("Enter")
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    assert summary.evaluate("element => element === document.activeElement")
    assert page.title().startswith("Error: ")
    assert page.get_by_label("Description").input_value() == "Typed from the keyboard."
    page.keyboard.press("Tab")  # the first error's link
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName") in {"SELECT", "INPUT", "TEXTAREA"}
    assert_accessible(page)


def test_the_threshold_guide_and_a_refused_threat_report_are_accessible(
    page, live_server, admin_a, school_a, categories
):
    browser_login(page, live_server, "admin_a")
    page.goto(f"{live_server.url}/incidents/thresholds/guide/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/incidents/threats/new/")
    said = "Said he would bring a gun to the dance."
    page.get_by_label("What was said or done").fill(said)
    page.get_by_role("button", name="Open threat report").click()
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    assert summary.evaluate("element => element === document.activeElement")
    assert page.get_by_label("Student: local ID or name").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("What was said or done").input_value() == said
    assert_accessible(page)
