"""The officer's form, the published report and the audited timeline."""

import datetime

from django.urls import reverse
from django.utils import timezone

from conftest import assert_access_logged
from contacts.models import PoliceContact
from contacts.services import record_contact


def test_an_officer_records_a_search_by_local_id(officer_a_client, officer_a, school_a, make_student):
    student = make_student(school_a, local_id="204518")
    response = officer_a_client.post(
        reverse("contacts:create"),
        {
            "school": school_a.pk,
            "student_id": "204518",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "kind": "search",
            "initiated_by": "school",
            "basis": "Report of a knife",
        },
    )
    contact = PoliceContact.objects.get()
    assert response.status_code == 302 and response.url == contact.get_absolute_url()
    assert contact.student == student and contact.officer == officer_a.officer
    page = officer_a_client.get(contact.get_absolute_url()).content.decode()
    assert "204518" in page and student.last_name not in page
    assert_access_logged(contact, officer_a)


def test_an_unknown_local_id_is_a_form_error(officer_a_client, school_a, school_b, make_student):
    make_student(school_b, local_id="555555")  # another district's student
    response = officer_a_client.post(
        reverse("contacts:create"),
        {"school": school_a.pk, "student_id": "555555", "occurred_at": "2025-11-12T10:00", "kind": "search"},
    )
    assert response.status_code == 200 and "No student with that local ID" in response.content.decode()
    assert not PoliceContact.objects.exists()


def test_the_timeline_lists_contacts_and_is_an_audited_access(
    admin_a_client, admin_a, school_a, officer_a, make_student
):
    student = make_student(school_a)
    record_contact(
        by=officer_a,
        school=school_a,
        student=student,
        kind="citation",
        occurred_at=timezone.now() - datetime.timedelta(days=2),
        basis="Vandalism of a car",
    )
    page = admin_a_client.get(reverse("students:detail", args=[student.pk])).content.decode()
    assert (
        student.full_name in page and "Citation, ticket or summons" in page and "Vandalism of a car" in page
    )
    assert_access_logged(student, admin_a)


def test_each_record_the_timeline_shows_is_an_audited_access(
    admin_a_client, admin_a, school_a, officer_a, make_student, log_incident
):
    from incidents.models import ThreatAssessment

    student = make_student(school_a)
    contact = record_contact(
        by=officer_a,
        school=school_a,
        student=student,
        kind="citation",
        occurred_at=timezone.now() - datetime.timedelta(days=2),
        basis="Vandalism of a car",
    )
    offender = {"kind": "student", "student": student, "role": "offender"}
    incident = log_incident(school=school_a, reported_by=admin_a, people=[offender])
    threat = ThreatAssessment.objects.create(
        school=school_a,
        student=student.local_id,
        student_record=student,
        reported_on=timezone.localdate(),
        threat="Said he would bring a knife on Friday",
        created_by=admin_a,
    )
    page = admin_a_client.get(reverse("students:detail", args=[student.pk])).text
    # The page shows what each record says (the threat's words, the contact's basis), so each
    # is a view of that record: who saw it is in its own audit trail, not only the student's.
    assert "Said he would bring a knife on Friday" in page and "Vandalism of a car" in page
    for record in (student, incident, threat, contact):
        assert_access_logged(record, admin_a)


def test_the_timeline_is_not_found_for_officers(officer_a_client, school_a, make_student):
    student = make_student(school_a)
    assert officer_a_client.get(reverse("students:detail", args=[student.pk])).status_code == 404


def test_the_published_report_withholds_small_cells(coordinator_client, school_a, officer_a, make_student):
    students = [make_student(school_a, race="asian") for _ in range(30)]
    for s in students[:3]:
        record_contact(
            by=officer_a,
            school=school_a,
            student=s,
            kind="search",
            occurred_at=timezone.now() - datetime.timedelta(days=1),
        )
    year = timezone.localdate().year if timezone.localdate().month >= 7 else timezone.localdate().year - 1
    query = f"?year={year}&roster_on={timezone.localdate().isoformat()}"
    internal = coordinator_client.get(reverse("contacts:equity") + query + "&measure=search").content.decode()
    assert "3 (withheld when published)" in internal
    published = coordinator_client.get(reverse("contacts:equity_publish") + query).content.decode()
    assert "fewer than 10 of the 30 enrolled students" in published
    assert "3 (withheld" not in published


def test_the_pdf_carries_the_published_text(coordinator_client, school_a, make_student):
    import io

    from pypdf import PdfReader

    for _ in range(12):
        make_student(school_a, race="black")
    response = coordinator_client.get(reverse("contacts:equity_pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Police contacts with students: equity report" in text
    assert "Referrals to law enforcement (arrests included" in text
    assert "Black or African American" in text


def _queries(client, url, django_assert_max_num_queries):
    """The page's reads and writes, less its audit entries: the timeline writes one access
    entry for each record it shows (test_each_record_the_timeline_shows_is_an_audited_access)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return sum(1 for q in ctx.captured_queries if "auditlog_logentry" not in q["sql"])


def test_list_and_timeline_make_as_many_queries_for_three_times_the_contacts(
    admin_a_client, school_a, officer_a, make_student, django_assert_max_num_queries
):
    student = make_student(school_a)

    def add(n):
        for i in range(n):
            record_contact(
                by=officer_a,
                school=school_a,
                student=make_student(school_a) if i % 2 else student,
                kind="search" if i % 3 else "use_of_force",
                force_type="" if i % 3 else "takedown",
                occurred_at=timezone.now() - datetime.timedelta(days=i + 1),
                officer=officer_a.officer,
            )

    add(3)
    urls = [reverse("contacts:list"), reverse("students:detail", args=[student.pk])]
    counts = [_queries(admin_a_client, url, django_assert_max_num_queries) for url in urls]
    add(6)
    assert [_queries(admin_a_client, url, django_assert_max_num_queries) for url in urls] == counts


def _reads_through_the_schools(client, url: str) -> bool:
    """Whether any query of the page joins its rows to the schools (`school_id IN (SELECT ...
    FROM schools_school)`)."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return any(re.search(r'IN \(SELECT [^()]* FROM "schools_school"', q["sql"]) for q in ctx.captured_queries)


def test_the_program_coordinators_equity_report_reads_every_school_without_a_semi_join(
    coordinator_client, coordinator_a_client, school_a, school_b, make_student
):
    make_student(school_a)
    for url in (reverse("contacts:equity"), reverse("contacts:equity_publish")):
        assert not _reads_through_the_schools(coordinator_client, url)
        # A district, a school, or a district coordinator's scope still narrows the rows.
        assert _reads_through_the_schools(coordinator_client, f"{url}?district={school_a.district_id}")
        assert _reads_through_the_schools(coordinator_a_client, url)
