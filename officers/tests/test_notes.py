"""Filing, editing, locking and amending activity notes, and who sees them."""

import datetime

import pytest
import time_machine
from auditlog.models import LogEntry
from django.urls import reverse

from officers.models import ActivityNote, NoteAmendment

NOW = datetime.datetime(2026, 11, 23, 15, 0, tzinfo=datetime.UTC)
pytestmark = pytest.mark.usefixtures("_frozen")


@pytest.fixture
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _post_note(client, school, **changes):
    data = {
        "date": "2026-11-23",
        "school": school.pk,
        "category": "consult",
        "minutes": "25",
        "students_contacted": "2",
        "narrative": "Met the counselor about attendance.",
    }
    data.update(changes)
    return client.post(reverse("officers:note_create"), data)


def test_officer_files_a_note_and_lands_on_their_week(officer_a_client, officer_a, school_a):
    response = _post_note(officer_a_client, school_a)
    note = ActivityNote.objects.get()
    assert (note.officer, note.school, note.minutes, note.category) == (
        officer_a.officer,
        school_a,
        25,
        "consult",
    )
    assert response.url == reverse("officers:my_week") + "?week=2026-11-23"


def test_new_note_form_defaults_to_today_and_the_primary_school(officer_a_client, school_a):
    page = officer_a_client.get(reverse("officers:note_create"))
    assert 'value="2026-11-23"' in page.text
    assert f'<option value="{school_a.pk}" selected>' in page.text
    assert "No student names are needed" in page.text


def test_a_note_with_mistakes_keeps_what_was_typed_and_says_what_to_fix(officer_a_client, school_a):
    response = _post_note(officer_a_client, school_a, minutes="", date="2026-12-01", narrative="Lunch duty")
    assert response.status_code == 200
    assert "Enter the minutes spent" in response.text
    assert "The date cannot be in the future." in response.text
    assert "Lunch duty" in response.text
    assert not ActivityNote.objects.exists()


def test_classroom_teaching_needs_a_topic_and_a_follow_up_needs_a_date(officer_a_client, school_a):
    response = _post_note(officer_a_client, school_a, category="teaching", follow_up="on")
    assert "Say what topic you taught." in response.text
    assert "Give a follow-up date" in response.text


def test_officer_cannot_file_a_note_for_a_school_they_are_not_assigned_to(officer_a_client, school_b):
    response = _post_note(officer_a_client, school_b)
    assert response.status_code == 200
    assert not ActivityNote.objects.exists()


def test_officer_edits_their_own_recent_note(officer_a_client, officer_a, school_a, make_note):
    note = make_note(officer_a, school_a)
    officer_a_client.post(
        reverse("officers:note_update", args=[note.pk]),
        {"date": "2026-11-23", "school": school_a.pk, "category": "patrol", "minutes": "50"},
    )
    note.refresh_from_db()
    assert note.minutes == 50


def test_officer_cannot_see_or_edit_another_officers_note(officer_b_client, officer_a, school_a, make_note):
    note = make_note(officer_a, school_a)
    assert officer_b_client.get(reverse("officers:note_detail", args=[note.pk])).status_code == 404
    assert officer_b_client.get(reverse("officers:note_update", args=[note.pk])).status_code == 404
    response = officer_b_client.post(reverse("officers:note_follow_up_done", args=[note.pk]))
    assert response.status_code == 404


def test_after_seven_days_a_note_is_locked_and_editing_leads_to_amendment(
    officer_a_client, officer_a, school_a, make_note
):
    note = make_note(officer_a, school_a, day=datetime.date(2026, 11, 10))
    note.created_at = NOW - datetime.timedelta(days=7, minutes=1)
    note.save()
    response = officer_a_client.get(reverse("officers:note_update", args=[note.pk]))
    assert response.url == reverse("officers:note_amend", args=[note.pk])
    # Posting to the edit URL changes nothing either.
    officer_a_client.post(
        reverse("officers:note_update", args=[note.pk]),
        {"date": "2026-11-10", "school": school_a.pk, "category": "patrol", "minutes": "90"},
    )
    note.refresh_from_db()
    assert note.minutes == 30


def test_a_note_is_still_editable_just_before_seven_days(officer_a, school_a, make_note):
    note = make_note(officer_a, school_a)
    note.created_at = NOW - datetime.timedelta(days=6, hours=23)
    assert not note.is_locked()


def test_an_amendment_needs_a_reason_and_is_kept_with_the_old_values(
    officer_a_client, officer_a, school_a, make_note
):
    note = make_note(officer_a, school_a, day=datetime.date(2026, 11, 2))
    note.created_at = NOW - datetime.timedelta(days=20)
    note.save()
    url = reverse("officers:note_amend", args=[note.pk])
    data = {"date": "2026-11-02", "school": school_a.pk, "category": "patrol", "minutes": "45"}
    response = officer_a_client.post(url, data)
    assert "Say why this note is being amended." in response.text
    note.refresh_from_db()
    assert note.minutes == 30

    response = officer_a_client.post(url, {**data, "reason": "Typed 30 instead of 45."})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.minutes == 45 and note.amended_at is not None
    amendment = NoteAmendment.objects.get(note=note)
    assert amendment.reason == "Typed 30 instead of 45."
    assert amendment.changes["minutes"] == [30, 45]
    assert LogEntry.objects.get_for_object(amendment).exists()
    detail = officer_a_client.get(reverse("officers:note_detail", args=[note.pk]))
    assert "Typed 30 instead of 45." in detail.text


def test_an_amendment_that_changes_nothing_is_refused(officer_a_client, officer_a, school_a, make_note):
    note = make_note(officer_a, school_a, day=datetime.date(2026, 11, 2), narrative="")
    note.created_at = NOW - datetime.timedelta(days=20)
    note.save()
    response = officer_a_client.post(
        reverse("officers:note_amend", args=[note.pk]),
        {"date": "2026-11-02", "school": school_a.pk, "category": "patrol", "minutes": "30", "reason": "x"},
    )
    assert "Nothing was changed." in response.text
    assert not NoteAmendment.objects.exists()


def test_officer_marks_a_follow_up_done_from_their_week(officer_a_client, officer_a, school_a, make_note):
    note = make_note(officer_a, school_a, follow_up=True, follow_up_date=datetime.date(2026, 11, 25))
    week = officer_a_client.get(reverse("officers:my_week"))
    assert "Follow-ups due" in week.text and "By Wed 25 Nov 2026" in week.text
    assert officer_a_client.get(reverse("officers:note_follow_up_done", args=[note.pk])).status_code == 405
    officer_a_client.post(reverse("officers:note_follow_up_done", args=[note.pk]))
    note.refresh_from_db()
    assert note.follow_up_done_at is not None
    assert "No follow-ups due." in officer_a_client.get(reverse("officers:my_week")).text


# --- Who sees what -------------------------------------------------------------------------


@pytest.fixture
def two_notes(officer_a, officer_b, school_a, school_b, make_note):
    return (
        make_note(officer_a, school_a, narrative="Secret narrative A"),
        make_note(officer_b, school_b, narrative="Secret narrative B"),
    )


def test_officer_sees_only_their_own_notes(officer_a_client, two_notes):
    page = officer_a_client.get(reverse("officers:note_list"))
    assert "Secret narrative A" in page.text and "Secret narrative B" not in page.text


def test_coordinator_sees_every_note_with_narratives(coordinator_client, two_notes):
    page = coordinator_client.get(reverse("officers:note_list"))
    assert "Secret narrative A" in page.text and "Secret narrative B" in page.text


def test_supervisor_sees_their_officers_notes_but_cannot_edit_them(sergeant_client, two_notes):
    note_a, note_b = two_notes
    page = sergeant_client.get(reverse("officers:note_list"))
    assert "Secret narrative A" in page.text and "Secret narrative B" not in page.text
    assert sergeant_client.get(reverse("officers:note_detail", args=[note_a.pk])).status_code == 200
    assert sergeant_client.get(reverse("officers:note_update", args=[note_a.pk])).status_code == 404
    week = sergeant_client.get(reverse("officers:week", args=[note_a.officer.pk]))
    assert week.status_code == 200 and "0.5" in week.text
    assert sergeant_client.get(reverse("officers:week", args=[note_b.officer.pk])).status_code == 404


def test_school_administrator_sees_their_schools_notes_without_the_narrative(admin_a_client, two_notes):
    note_a, note_b = two_notes
    page = admin_a_client.get(reverse("officers:note_list"))
    assert note_a.get_absolute_url() in page.text and note_b.get_absolute_url() not in page.text
    assert "Secret narrative" not in page.text
    detail = admin_a_client.get(note_a.get_absolute_url())
    assert detail.status_code == 200 and "Secret narrative" not in detail.text
    assert admin_a_client.get(note_b.get_absolute_url()).status_code == 404


def test_school_administrator_cannot_file_notes_or_open_weeks(admin_a_client, officer_a):
    assert admin_a_client.get(reverse("officers:note_create")).status_code == 403
    assert admin_a_client.get(reverse("officers:my_week")).status_code == 403
    assert admin_a_client.get(reverse("officers:week", args=[officer_a.officer.pk])).status_code == 403


def test_anonymous_visitor_sees_no_notes(client, two_notes):
    for url in (reverse("officers:note_list"), two_notes[0].get_absolute_url(), reverse("officers:my_week")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_csv_export_has_narratives_for_coordinators_only(coordinator_client, admin_a_client, two_notes):
    coordinator_csv = b"".join(
        coordinator_client.get(reverse("officers:note_export")).streaming_content
    ).decode()
    assert "Narrative" in coordinator_csv.splitlines()[0]
    assert "Secret narrative A" in coordinator_csv and "Secret narrative B" in coordinator_csv
    admin_csv = b"".join(admin_a_client.get(reverse("officers:note_export")).streaming_content).decode()
    assert "Narrative" not in admin_csv and "Secret narrative" not in admin_csv
    assert len(admin_csv.splitlines()) == 2  # header + school A's note only
    assert "Bravo Middle School" not in admin_csv


def test_officers_cannot_export(officer_a_client, two_notes):
    assert officer_a_client.get(reverse("officers:note_export")).status_code == 403


def test_csv_export_follows_the_filters(coordinator_client, two_notes, school_a):
    body = b"".join(
        coordinator_client.get(reverse("officers:note_export"), {"school": school_a.pk}).streaming_content
    ).decode()
    assert len(body.splitlines()) == 2 and "Alpha High School" in body


def test_mark_done_never_redirects_off_site(officer_a_client, officer_a, school_a, make_note):
    note = make_note(officer_a, school_a, follow_up=True, follow_up_date=datetime.date(2026, 11, 25))
    response = officer_a_client.post(
        reverse("officers:note_follow_up_done", args=[note.pk]), {"next": "//evil.example.com/"}
    )
    assert response.url == reverse("officers:my_week")
