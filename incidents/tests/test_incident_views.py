"""Logging, listing and reading incidents in the browser's shoes (Django test client)."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import make_student
from core.models import Notification
from incidents.models import Alert, Attachment, Incident, InterventionLevel

pytestmark = pytest.mark.django_db


def form_data(school, cat, **overrides):
    when = timezone.localtime() - datetime.timedelta(hours=2)
    data = {
        "school": school.pk,
        "occurred_at": when.strftime("%Y-%m-%dT%H:%M"),
        "location": "hallway",
        "category": cat.pk,
        "severity": "moderate",
        "description": "Student showed a folding knife to classmates by the lockers.",
        "weapon_type": "knife",
        "injuries": "none",
        "level_override": "",
        "override_reason": "",
        "people-TOTAL_FORMS": "3",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "30",
    }
    for i in range(3):
        data.update(
            {
                f"people-{i}-kind": "student",
                f"people-{i}-student_lookup": "",
                f"people-{i}-unidentified_reason": "",
                f"people-{i}-local_id_or_initials": "",
                f"people-{i}-role": "",
                f"people-{i}-grade": "",
            }
        )
    data.update(overrides)
    return data


def test_administrator_logs_a_weapons_incident_with_two_students(
    admin_a_client, school_a, officer_a, weapons, django_capture_on_commit_callbacks
):
    make_student(school_a, "204518", statuses=[("el", datetime.date(2020, 9, 1), None)])
    make_student(school_a, "204777", first="Jamie", last="Torres", grade="9", sex="F", race="white")
    data = form_data(
        school_a,
        weapons,
        **{
            "people-0-student_lookup": "204518",
            "people-0-role": "offender",
            "people-0-referred_to_law_enforcement": "true",
            # As the search list offers a student: "Name (ID)".
            "people-1-student_lookup": "Jamie Torres (204777)",
            "people-1-role": "witness",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_a_client.post(reverse("incidents:create"), data)
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response.url == incident.get_absolute_url()
    assert incident.level == InterventionLevel.IMMEDIATE
    assert incident.people.count() == 2
    offender = incident.people.get(role="offender")
    # What the reports read comes from the student record, not from the form.
    assert offender.student.local_id == "204518"
    assert (offender.grade, offender.sex, offender.race_ethnicity) == ("10", "M", "hispanic")
    assert offender.english_learner is True and offender.idea_disability is False
    witness = incident.people.get(role="witness")
    assert (witness.student.local_id, witness.grade, witness.sex) == ("204777", "9", "F")
    assert incident.referred_to_law_enforcement is True
    assert Notification.objects.filter(user=officer_a).exists()
    page = admin_a_client.get(incident.get_absolute_url())
    assert "204518" in page.text
    assert "Alert reached" in page.text


BAD_INPUTS = [
    ({"occurred_at": "2099-01-01T10:00"}, "This is in the future"),
    ({"description": "   "}, "Describe what happened."),
    ({"people-0-student_lookup": "AB"}, "Give this person&#x27;s role"),
    ({"people-0-student_lookup": "999999", "people-0-role": "victim"}, "No student of Alpha High School"),
    ({"people-0-role": "victim"}, "Find the student by local ID or name"),
    ({"category": "999999"}, "Choose a category from the list."),
    ({"description": "x" * (10 * 1024 * 1024)}, "Ensure this value has at most 10000 characters"),
    ({"level_override": "2"}, "Give a reason for overriding the threshold table."),
    (
        {
            "people-0-kind": "staff",
            "people-0-local_id_or_initials": "AB",
            "people-0-role": "victim",
            "people-0-age": "300",
        },
        "between 2 and 99",
    ),
]


@pytest.mark.parametrize(("changes", "message"), BAD_INPUTS)
def test_bad_input_says_what_to_fix_and_keeps_what_was_typed(
    admin_a_client, school_a, weapons, changes, message
):
    data = form_data(school_a, weapons, **{"location": "bus", **changes})
    if "description" not in changes:
        data["description"] = "<script>alert('x')</script> kept text"
    response = admin_a_client.post(reverse("incidents:create"), data)
    assert response.status_code == 200
    assert message in response.text
    assert "The incident was not saved" in response.text
    assert not Incident.objects.exists()
    # What was typed is still there (escaped), and the chosen location is still selected.
    assert '<option value="bus" selected>' in response.text
    if "description" not in changes:
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; kept text" in response.text
        assert "<script>alert(" not in response.text


def test_administrator_cannot_log_for_another_school(admin_a_client, school_b, weapons):
    response = admin_a_client.post(reverse("incidents:create"), form_data(school_b, weapons))
    assert response.status_code == 200
    assert "Choose one of your schools." in response.text
    assert not Incident.objects.exists()


def test_script_in_a_saved_incident_is_shown_escaped(admin_a, admin_a_client, school_a, log_incident):
    incident = log_incident(
        school=school_a,
        reported_by=admin_a,
        category="conduct",
        description="<script>alert(1)</script><img src=x onerror=alert(2)>",
        people=[{"local_id_or_initials": "<b>AB</b>", "role": "offender"}],
    )
    page = admin_a_client.get(incident.get_absolute_url()).text
    assert "<script>alert(1)" not in page and "<img src=x" not in page and "<b>AB</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- Scope --------------------------------------------------------------------------------


@pytest.fixture
def incidents_at_a(admin_a, school_a, log_incident):
    return {
        "weapons": log_incident(school=school_a, reported_by=admin_a, category="weapons"),
        "conduct": log_incident(school=school_a, reported_by=admin_a, category="conduct"),
    }


def test_officer_sees_sro_level_incidents_at_their_school_only(officer_a_client, incidents_at_a):
    listing = officer_a_client.get(reverse("incidents:list"))
    assert [i["pk"] for i in listing.context["page_obj"]] == [incidents_at_a["weapons"].pk]
    assert officer_a_client.get(incidents_at_a["weapons"].get_absolute_url()).status_code == 200
    assert officer_a_client.get(incidents_at_a["conduct"].get_absolute_url()).status_code == 404


def test_officer_cannot_open_another_schools_incident(officer_b_client, incidents_at_a):
    assert officer_b_client.get(incidents_at_a["weapons"].get_absolute_url()).status_code == 404
    assert list(officer_b_client.get(reverse("incidents:list")).context["page_obj"]) == []


def test_administrator_cannot_open_another_schools_incident(admin_b_client, incidents_at_a):
    assert admin_b_client.get(incidents_at_a["conduct"].get_absolute_url()).status_code == 404
    response = admin_b_client.post(
        reverse("incidents:status", args=[incidents_at_a["conduct"].pk]), {"status": "under_review"}
    )
    assert response.status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, incidents_at_a):
    for url in [
        reverse("incidents:list"),
        incidents_at_a["weapons"].get_absolute_url(),
        reverse("incidents:create"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_coordinator_sees_every_incident(coordinator_client, incidents_at_a):
    assert coordinator_client.get(reverse("incidents:list")).context["page_obj"].paginator.count == 2


def test_every_view_of_an_incident_is_an_audited_access(admin_a, admin_a_client, incidents_at_a):
    incident = incidents_at_a["conduct"]
    admin_a_client.get(incident.get_absolute_url())
    admin_a_client.get(incident.get_absolute_url())
    entries = LogEntry.objects.filter(
        object_pk=str(incident.pk), content_type__model="incident", action=LogEntry.Action.ACCESS
    )
    assert entries.count() == 2
    assert entries.first().actor == admin_a


# --- List, filters, export -------------------------------------------------------------------


def test_list_filters_by_category_level_status_and_dates(admin_a_client, incidents_at_a, weapons):
    url = reverse("incidents:list")
    by_category = admin_a_client.get(url, {"category": weapons.pk}).context["page_obj"]
    assert [i["pk"] for i in by_category] == [incidents_at_a["weapons"].pk]
    by_level = admin_a_client.get(url, {"level": 0}).context["page_obj"]
    assert [i["pk"] for i in by_level] == [incidents_at_a["conduct"].pk]
    assert admin_a_client.get(url, {"status": "closed"}).context["page_obj"].paginator.count == 0
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert admin_a_client.get(url, {"date_from": tomorrow}).context["page_obj"].paginator.count == 0
    assert admin_a_client.get(url, {"date_to": tomorrow}).context["page_obj"].paginator.count == 2


def test_list_searches_description_and_student_id(admin_a, admin_a_client, school_a, log_incident):
    log_incident(
        school=school_a, reported_by=admin_a, people=[{"local_id_or_initials": "778812", "role": "victim"}]
    )
    log_incident(
        school=school_a, reported_by=admin_a, category="conduct", description="Phone thrown in class"
    )
    url = reverse("incidents:list")
    assert admin_a_client.get(url, {"q": "778812"}).context["page_obj"].paginator.count == 1
    assert admin_a_client.get(url, {"q": "phone thrown"}).context["page_obj"].paginator.count == 1


def test_list_finds_a_student_picked_from_the_records_by_their_local_id(
    admin_a, admin_a_client, school_a, log_incident
):
    pupil = make_student(school_a, "S-5521")
    log_incident(
        school=school_a, reported_by=admin_a, people=[{"kind": "student", "student": pupil, "role": "victim"}]
    )
    log_incident(
        school=school_a, reported_by=admin_a, category="conduct", description="Phone thrown in class"
    )
    url = reverse("incidents:list")
    assert admin_a_client.get(url, {"q": "s-5521"}).context["page_obj"].paginator.count == 1


def test_list_query_count_is_flat(
    admin_a, admin_a_client, school_a, log_incident, django_assert_max_num_queries
):
    for n in range(40):
        log_incident(
            school=school_a,
            reported_by=admin_a,
            category="conduct" if n % 2 else "weapons",
            people=[{"local_id_or_initials": f"S{n}", "role": "offender"}],
        )
    with django_assert_max_num_queries(12):
        response = admin_a_client.get(reverse("incidents:list"))
    assert len(response.context["page_obj"]) == 25


def test_csv_export_follows_the_filters_and_scope(admin_a_client, officer_a_client, incidents_at_a, weapons):
    response = admin_a_client.get(reverse("incidents:export"), {"category": weapons.pk})
    assert response["Content-Type"] == "text/csv"
    lines = b"".join(response.streaming_content).decode().strip().splitlines()
    assert lines[0].startswith("ID,School,Occurred at")
    assert len(lines) == 2 and "Weapons possession" in lines[1]
    officer_lines = b"".join(officer_a_client.get(reverse("incidents:export")).streaming_content).decode()
    assert "Code-of-conduct violation" not in officer_lines


def test_csv_export_neutralises_spreadsheet_formulas(admin_a, admin_a_client, school_a, log_incident):
    log_incident(
        school=school_a,
        reported_by=admin_a,
        category="drugs",
        severity="low",
        level_override=1,
        override_reason="=HYPERLINK(evil)",
    )
    text = b"".join(admin_a_client.get(reverse("incidents:export")).streaming_content).decode()
    assert "'=HYPERLINK(evil)" in text


# --- Acknowledge, status, attachments --------------------------------------------------------


def test_officer_acknowledges_with_a_post_button(officer_a, officer_a_client, incidents_at_a):
    incident = incidents_at_a["weapons"]
    page = officer_a_client.get(incident.get_absolute_url())
    assert "Acknowledge alert" in page.text
    # The officer's own box leads, in place of the level's words for the person who reported.
    assert "You have been alerted:" in page.text and "Incident logged." not in page.text
    alert = Alert.objects.get(incident=incident, officer=officer_a.officer)
    url = reverse("incidents:alert_acknowledge", args=[alert.pk])
    assert officer_a_client.get(url).status_code == 405
    response = officer_a_client.post(url)
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == officer_a
    page = officer_a_client.get(incident.get_absolute_url())
    assert "Acknowledge alert" not in page.text
    assert "Alert acknowledged by" in page.text
    assert "You have been alerted:" not in page.text and "Incident logged." in page.text


def test_another_officer_cannot_acknowledge(officer_a, officer_b_client, incidents_at_a):
    alert = Alert.objects.get(incident=incidents_at_a["weapons"], officer=officer_a.officer)
    assert officer_b_client.post(reverse("incidents:alert_acknowledge", args=[alert.pk])).status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_status_changes_are_timestamped_and_closing_needs_an_outcome(admin_a_client, incidents_at_a):
    incident = incidents_at_a["conduct"]
    url = reverse("incidents:status", args=[incident.pk])
    refused = admin_a_client.post(url, {"status": "closed", "note": "Parents met the principal."})
    incident.refresh_from_db()
    assert incident.status == "reported"
    assert refused.status_code == 400  # the incident's page again, with what was typed
    assert '<a class="alert-link" href="#id_outcome">' in refused.text
    assert "Parents met the principal." in refused.text
    admin_a_client.post(url, {"status": "closed", "outcome": "Restorative conference held"})
    incident.refresh_from_db()
    assert incident.status == "closed"
    page = admin_a_client.get(incident.get_absolute_url()).text
    assert "Status: Reported → Closed" in page and "Restorative conference held" in page


def test_attachments_are_checked_and_served_only_to_people_in_scope(
    admin_a_client, admin_b_client, officer_a_client, incidents_at_a
):
    incident = incidents_at_a["conduct"]
    url = reverse("incidents:attachment_upload", args=[incident.pk])
    admin_a_client.post(url, {"file": SimpleUploadedFile("evil.exe", b"MZ...", "application/octet-stream")})
    assert not Attachment.objects.exists()
    admin_a_client.post(
        url, {"file": SimpleUploadedFile("statement.pdf", b"%PDF-1.4 statement", "application/pdf")}
    )
    attachment = Attachment.objects.get()
    assert "statement" not in attachment.file.name  # stored under a generated name
    download = reverse("incidents:attachment_download", args=[attachment.pk])
    response = admin_a_client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 statement"
    assert "attachment" in response["Content-Disposition"]
    assert admin_b_client.get(download).status_code == 404
    assert officer_a_client.get(download).status_code == 404  # a code-of-conduct incident


def test_large_attachment_is_refused(admin_a_client, incidents_at_a, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    url = reverse("incidents:attachment_upload", args=[incidents_at_a["conduct"].pk])
    response = admin_a_client.post(url, {"file": SimpleUploadedFile("big.pdf", b"x" * 2000)}, follow=True)
    assert "too large" in response.text
    assert not Attachment.objects.exists()


# --- Coordinators: thresholds and categories ---------------------------------------------------


def test_coordinator_edits_the_threshold_table(coordinator_client, categories):
    from incidents.models import Threshold

    formset, data = _threshold_table(coordinator_client)
    target = next(
        i
        for i, f in enumerate(formset.forms)
        if f.instance.category.code == "drugs" and f.instance.severity == "low"
    )
    data[f"form-{target}-level"] = "2"
    data[f"form-{target}-response_minutes"] = "45"
    response = coordinator_client.post(reverse("incidents:thresholds"), data)
    assert response.status_code == 302
    row = Threshold.objects.get(category__code="drugs", severity="low")
    assert (row.level, row.response_minutes) == (2, 45)
    conduct = next(i for i, f in enumerate(formset.forms) if f.instance.category.code == "conduct")
    data[f"form-{conduct}-level"] = "1"
    data[f"form-{conduct}-response_minutes"] = "60"
    response = coordinator_client.post(reverse("incidents:thresholds"), data)
    assert response.status_code == 200
    assert "never paged" in response.text


def _threshold_table(client):
    """The threshold table's formset and the data that posts it back unchanged."""
    formset = client.get(reverse("incidents:thresholds")).context["formset"]
    data = {"form-TOTAL_FORMS": str(len(formset.forms)), "form-INITIAL_FORMS": str(len(formset.forms))}
    for i, form in enumerate(formset.forms):
        data[f"form-{i}-id"] = form.instance.pk
        data[f"form-{i}-level"] = form.instance.level
        data[f"form-{i}-response_minutes"] = form.instance.response_minutes or ""
    return formset, data


def test_the_threshold_table_shows_a_fields_error_in_its_row(coordinator_client, categories):
    formset, data = _threshold_table(coordinator_client)
    target = next(
        i
        for i, f in enumerate(formset.forms)
        if f.instance.category.code == "drugs" and f.instance.severity == "low"
    )
    data[f"form-{target}-response_minutes"] = "-5"
    response = coordinator_client.post(reverse("incidents:thresholds"), data)
    assert response.status_code == 200
    row = next(tr for tr in response.text.split("<tr>") if f'id="id_form-{target}-response_minutes"' in tr)
    name = formset.forms[target].instance.category.name
    assert f'for="id_form-{target}-level">Level for {name}, Low</label>' in row
    label = f'for="id_form-{target}-response_minutes">Response minutes for {name}, Low</label>'
    minutes = row.split(label)[1]
    assert 'aria-invalid="true"' in minutes
    assert '<div class="text-danger small">Ensure this value is greater than or equal to 0.</div>' in minutes


def test_coordinator_adds_a_category_with_thresholds(coordinator_client, categories):
    response = coordinator_client.post(
        reverse("incidents:categories"),
        {"name": "Vaping", "code": "vaping", "is_code_of_conduct": "on", "active": "on", "sort_order": 200},
    )
    assert response.status_code == 302
    from incidents.models import IncidentCategory

    vaping = IncidentCategory.objects.get(code="vaping")
    assert set(vaping.thresholds.values_list("level", flat=True)) == {0}


def test_thresholds_and_categories_are_for_coordinators_only(admin_a_client, officer_a_client, categories):
    for client in (admin_a_client, officer_a_client):
        assert client.get(reverse("incidents:thresholds")).status_code == 403
        assert client.get(reverse("incidents:categories")).status_code == 403
        assert client.get(reverse("incidents:crdc_report")).status_code == 403
        assert client.get(reverse("incidents:ssec_report")).status_code == 403


def test_attachment_can_be_added_when_logging(admin_a_client, school_a, weapons):
    data = form_data(school_a, weapons)
    data["attachment"] = SimpleUploadedFile("photo.png", _png_bytes(), "image/png")
    response = admin_a_client.post(reverse("incidents:create"), data)
    assert response.status_code == 302
    attachment = Incident.objects.get().attachments.get()
    assert attachment.original_name == "photo.png"
    assert attachment.content_type == "image/png"


def _png_bytes() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_file_whose_content_does_not_match_its_name_is_refused_and_the_form_kept(
    admin_a_client, school_a, weapons
):
    data = form_data(school_a, weapons)
    data["attachment"] = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image", "image/png")
    response = admin_a_client.post(reverse("incidents:create"), data)
    assert "does not contain what its name says (.png)" in response.text
    assert data["description"] in response.text
    assert not Incident.objects.exists()


def test_attachment_of_the_wrong_type_is_a_form_error_when_logging(admin_a_client, school_a, weapons):
    data = form_data(school_a, weapons)
    data["attachment"] = SimpleUploadedFile("run.sh", b"rm -rf /", "text/x-shellscript")
    response = admin_a_client.post(reverse("incidents:create"), data)
    assert "This kind of file cannot be attached" in response.text
    assert not Incident.objects.exists()


def test_officer_logs_an_incident_at_their_school_but_not_elsewhere(
    officer_a_client, school_a, school_b, weapons, conduct
):
    response = officer_a_client.post(reverse("incidents:create"), form_data(school_a, weapons))
    incident = Incident.objects.get()
    assert response.url == incident.get_absolute_url()
    # A code-of-conduct matter is the school's: the officer is told it was logged, not shown it.
    response = officer_a_client.post(reverse("incidents:create"), form_data(school_a, conduct), follow=True)
    assert "Incident logged: the school handles it, no SRO is involved." in response.text
    assert Incident.objects.count() == 2
    response = officer_a_client.post(reverse("incidents:create"), form_data(school_b, weapons))
    assert "Choose one of your schools." in response.text


def test_officer_level_filter_offers_only_sro_levels(officer_a_client, incidents_at_a):
    response = officer_a_client.get(reverse("incidents:list"))
    values = [str(v) for v, _ in response.context["filter"].form.fields["level"].choices]
    assert "0" not in values and "3" in values


def test_list_counts_its_rows_only_so_far_ahead_and_without_per_row_counts(
    admin_a, admin_a_client, school_a, log_incident, django_assert_num_queries
):
    for n in range(30):
        log_incident(
            school=school_a,
            reported_by=admin_a,
            people=[{"local_id_or_initials": f"S{n}", "role": "offender"}],
        )
    with django_assert_num_queries(10) as ctx:
        response = admin_a_client.get(reverse("incidents:list"))
    # The paginator's count (the page's own rows count their people with COUNT(*) subqueries).
    counts = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT COUNT(*)") and "incidents_incident" in q["sql"]
    ]
    assert len(counts) == 1
    assert "LIMIT 5026" in counts[0]  # page 1 of 25 rows and 5,000 ahead (core.pagination)
    assert "incidents_incidentperson" not in counts[0] and "ORDER BY" not in counts[0]
    page = response.context["page_obj"]
    assert (page.paginator.count, page.paginator.num_pages, page.paginator.capped) == (30, 2, False)
    assert "Page 1 of 2" in response.content.decode()


def test_csv_export_makes_as_many_queries_for_3n_incidents_as_for_n(
    coordinator_client, admin_a, school_a, log_incident
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def export_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = coordinator_client.get(reverse("incidents:export"))
            rows = len(b"".join(response.streaming_content).splitlines()) - 1
        return rows, len(ctx.captured_queries)

    def log(n: int) -> None:
        for i in range(n):
            log_incident(
                school=school_a,
                reported_by=admin_a,
                people=[{"local_id_or_initials": f"S{i}", "role": "offender"}],
            )

    log(5)
    rows, few = export_queries()
    log(10)
    assert export_queries() == (15, few) and rows == 5
