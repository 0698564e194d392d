"""Names and one-line fields refuse control characters (core.validators.single_line), and
what is already stored never breaks a calendar feed or a download's file name."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.models import User
from core.validators import one_line, single_line
from drills.models import CalendarFeed, Drill
from officers.forms import AgencyForm, OfficerForm
from officers.models import Agency, Officer
from schools.models import School
from surveys.models import Survey, SurveyTemplate
from training.forms import CourseForm
from training.models import Course

BAD = ["Hamilton\nElementary", "Hamilton\rBcc: x@evil.example", "Tab\there", "Null\x00", "Rtl\u202eloohcs"]


@pytest.mark.parametrize("value", BAD)
def test_the_validator_refuses_control_characters(value):
    with pytest.raises(Exception) as caught:
        single_line(value)
    assert "control characters" in str(caught.value)


def test_the_validator_accepts_ordinary_names():
    for value in ["Lincoln Elementary", "O'Brien-Núñez", "École Saint-Jean (K–8)", "P.S. 101 · Annex"]:
        single_line(value)


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (School, ["name", "address", "principal", "main_contact", "phone"]),
        (Agency, ["name", "contact_name", "contact_phone"]),
        (Officer, ["first_name", "last_name", "badge_number", "rank", "phone"]),
        (Course, ["name", "provider"]),
        (Survey, ["title"]),
        (SurveyTemplate, ["name"]),
        (User, ["first_name", "last_name"]),
    ],
)
def test_names_that_reach_calendars_file_names_and_headers_carry_the_validator(model, fields):
    # On the model, so every form of it (the admin's too) refuses them.
    for name in fields:
        assert single_line in model._meta.get_field(name).validators, f"{model.__name__}.{name}"


def test_the_school_form_refuses_a_name_with_a_line_break_and_keeps_the_rest(coordinator_client, db):
    response = coordinator_client.post(
        reverse("schools:create"),
        {"name": "Hamilton\nElementary", "level": "elementary", "address": "1 Elm St", "enrollment": 300},
    )
    assert response.status_code == 200
    assert "control characters are not allowed" in response.text
    assert 'value="1 Elm St"' in response.text
    assert not School.objects.exists()


def test_the_agency_form_refuses_control_characters_in_its_name(db):
    form = AgencyForm({"name": "City PD\r\nX-Injected: 1", "kind": "police"})
    assert not form.is_valid()
    assert "control characters" in form.errors["name"][0]


def test_officer_and_course_forms_refuse_control_characters(agency, coordinator):
    officer = OfficerForm(
        {
            "first_name": "Ann\nMarie",
            "last_name": "Lee",
            "agency": agency.pk,
            "badge_number": "7",
            "rank": "Officer",
            "status": "active",
            "attire": "uniform",
        },
        user=coordinator,
    )
    assert list(officer.errors) == ["first_name"]
    assert not officer.is_valid() and "first_name" in officer.errors
    course = CourseForm({"name": "CPR\x07", "provider": "AHA", "hours": 4, "delivery": "in_person"})
    assert not course.is_valid() and "name" in course.errors


def test_a_school_name_stored_with_a_line_break_still_gives_a_valid_calendar(client, school_a):
    School.objects.filter(pk=school_a.pk).update(
        name="Alpha\r\nHigh\x0bSchool", address="1 Main St\nBEGIN:VEVENT"
    )
    Drill.objects.create(
        school=school_a,
        drill_type="lockdown",
        scheduled_at=timezone.now() + datetime.timedelta(days=3),
    )
    for feed in (CalendarFeed.for_school(school_a), CalendarFeed.for_district(None)):
        response = client.get(feed.get_absolute_url())
        assert response.status_code == 200
        calendar = Calendar.from_ical(response.content)
        [event] = calendar.walk("VEVENT")
        assert str(event["summary"]).endswith("Alpha  High School")
        assert "\n" not in str(event["location"])
        assert response.content.count(b"\r\nBEGIN:VEVENT\r\n") == 1  # no event injected


def test_an_agency_name_stored_with_a_line_break_gives_a_safe_download_name(coordinator_client, agency):
    agreement = agency.agreements.order_by("pk").first()
    agreement.document.save("mou.pdf", ContentFile(b"%PDF-1.4 MOU"), save=True)
    Agency.objects.filter(pk=agency.pk).update(name="City\r\nSet-Cookie: x=1")
    response = coordinator_client.get(reverse("officers:agreement_document", args=[agreement.pk]))
    assert response.status_code == 200
    assert "\n" not in response["Content-Disposition"] and "Set-Cookie" not in response.headers
    assert "City  Set-Cookie: x=1" in response["Content-Disposition"]


def test_one_line_replaces_each_control_character_with_a_space():
    assert one_line("a\r\nb\tc\u2028d") == "a  b c d"
    assert one_line(None) == ""
