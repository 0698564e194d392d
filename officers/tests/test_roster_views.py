"""Coordinators manage agencies and officers in the app; nobody else can."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from officers.models import Agency, Officer, OfficerStatus

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _agreement_data(district, **changes):
    data = {
        "district": district.pk,
        "effective_on": "2026-08-01",
        "review_on": "2027-06-30",
        "pilot_ends_on": "2027-06-30",
        "district_share_percent": "50",
        "cost_terms": "Expansion cost-shared.",
    }
    data.update(changes)
    return data


def test_coordinator_adds_an_agency_then_its_mou_with_a_district_and_downloads_it(
    coordinator_client, district_a, settings
):
    response = coordinator_client.post(
        reverse("officers:agency_create"),
        {"name": "County Sheriff's Office", "kind": "sheriff", "contact_name": "Lt. Ames"},
    )
    agency = Agency.objects.get(name="County Sheriff's Office")
    assert response.url == agency.get_absolute_url()
    upload = SimpleUploadedFile("mou.pdf", PDF, content_type="application/pdf")
    response = coordinator_client.post(
        reverse("officers:agreement_create", args=[agency.pk]), _agreement_data(district_a, document=upload)
    )
    agreement = agency.agreements.get()
    assert response.url == agency.get_absolute_url()
    assert agreement.district == district_a
    assert agreement.document.name.startswith("mou/")
    assert str(settings.MEDIA_ROOT) in agreement.document.path
    page = coordinator_client.get(agency.get_absolute_url())
    assert "No-cost pilot until Wed 30 Jun 2027" in page.text and "the district pays 50%" in page.text
    download = coordinator_client.get(reverse("officers:agreement_document", args=[agreement.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF


def test_an_agency_serves_two_districts_under_two_agreements(
    coordinator_client, agency, district_a, district_b
):
    assert set(agency.districts.all()) == {district_a, district_b}
    page = coordinator_client.get(agency.get_absolute_url())
    assert district_a.name in page.text and district_b.name in page.text
    # Every district already has its agreement: the form says so and offers none.
    response = coordinator_client.get(reverse("officers:agreement_create", args=[agency.pk]))
    assert "already has an agreement with every district" in response.text


def test_an_mou_that_is_not_a_pdf_is_refused(coordinator_client, district_a):
    agency = Agency.objects.create(name="County Sheriff")
    upload = SimpleUploadedFile("mou.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = coordinator_client.post(
        reverse("officers:agreement_create", args=[agency.pk]), _agreement_data(district_a, document=upload)
    )
    assert "Upload the agreement as a PDF file." in response.text
    assert 'value="Expansion cost-shared."' in response.text or "Expansion cost-shared." in response.text
    assert not agency.agreements.exists()


def test_an_mou_over_the_size_limit_is_refused(coordinator_client, district_a, settings):
    settings.MAX_UPLOAD_BYTES = 100
    agency = Agency.objects.create(name="County Sheriff")
    upload = SimpleUploadedFile("mou.pdf", PDF + b"x" * 200, content_type="application/pdf")
    response = coordinator_client.post(
        reverse("officers:agreement_create", args=[agency.pk]), _agreement_data(district_a, document=upload)
    )
    assert "the limit is 100" in response.text
    assert not agency.agreements.exists()


def test_review_date_before_effective_date_is_refused(coordinator_client, district_a):
    agency = Agency.objects.create(name="County Sheriff")
    response = coordinator_client.post(
        reverse("officers:agreement_create", args=[agency.pk]),
        _agreement_data(district_a, review_on="2026-01-01"),
    )
    assert "The review date must be on or after the effective date." in response.text


def test_a_district_share_over_100_percent_is_refused(coordinator_client, district_a):
    agency = Agency.objects.create(name="County Sheriff")
    response = coordinator_client.post(
        reverse("officers:agreement_create", args=[agency.pk]),
        _agreement_data(district_a, district_share_percent="120"),
    )
    assert response.status_code == 200
    assert not agency.agreements.exists()


def test_mou_download_is_for_the_coordinators_of_its_district_only(
    admin_a_client, officer_a_client, coordinator_a_client, coordinator_b_client, client, agency, district_a
):
    agreement = agency.agreements.get(district=district_a)
    agreement.document = SimpleUploadedFile("mou.pdf", PDF)
    agreement.save()
    url = reverse("officers:agreement_document", args=[agreement.pk])
    assert coordinator_a_client.get(url).status_code == 200
    assert coordinator_b_client.get(url).status_code == 404
    assert admin_a_client.get(url).status_code == 403
    assert officer_a_client.get(url).status_code == 403
    assert client.get(url).status_code == 302


def test_a_district_coordinator_edits_their_districts_agreement_but_not_the_agency(
    coordinator_a_client, agency, district_a, district_b
):
    mine = agency.agreements.get(district=district_a)
    theirs = agency.agreements.get(district=district_b)
    response = coordinator_a_client.post(
        reverse("officers:agreement_update", args=[mine.pk]),
        _agreement_data(district_a, review_on="2027-05-01"),
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.review_on == datetime.date(2027, 5, 1)
    assert coordinator_a_client.get(reverse("officers:agreement_update", args=[theirs.pk])).status_code == 404
    assert coordinator_a_client.get(reverse("officers:agency_update", args=[agency.pk])).status_code == 403
    page = coordinator_a_client.get(agency.get_absolute_url())
    assert district_a.name in page.text and district_b.name not in page.text


def test_an_agency_with_officers_cannot_be_deleted_and_the_coordinator_is_told_why(
    coordinator_client, officer_a, agency
):
    response = coordinator_client.post(reverse("officers:agency_delete", args=[agency.pk]), follow=True)
    assert Agency.objects.filter(pk=agency.pk).exists()
    assert "cannot be deleted: officers are recorded under it" in response.text


def test_coordinator_adds_an_officer_and_links_their_sign_in(coordinator_client, agency):
    from conftest import make_user

    user = make_user("newcop", "officer")
    response = coordinator_client.post(
        reverse("officers:create"),
        {
            "first_name": "Dana",
            "last_name": "Ruiz",
            "agency": agency.pk,
            "badge_number": "555",
            "rank": "Officer",
            "email": "ruiz@police.example.gov",
            "status": "active",
            "sro_start_date": "2026-08-15",
            "attire": "dressed_down",
            "user": user.pk,
        },
    )
    officer = Officer.objects.get(badge_number="555")
    assert response.url == officer.get_absolute_url()
    assert officer.user == user and officer.sro_start_date == datetime.date(2026, 8, 15)


def test_a_badge_number_already_used_in_the_agency_is_refused_in_plain_words(
    coordinator_client, officer_a, agency
):
    response = coordinator_client.post(
        reverse("officers:create"),
        {
            "first_name": "A",
            "last_name": "B",
            "agency": agency.pk,
            "badge_number": "101",
            "rank": "Officer",
            "status": "active",
            "attire": "uniform",
        },
    )
    assert "already has an officer with badge 101" in response.text


def test_officers_are_deactivated_after_confirmation_never_deleted(coordinator_client, officer_a):
    officer = officer_a.officer
    url = reverse("officers:deactivate", args=[officer.pk])
    page = coordinator_client.get(url)
    assert "Officers are never deleted" in page.text
    officer.refresh_from_db()
    assert officer.status == OfficerStatus.ACTIVE  # GET changes nothing
    response = coordinator_client.post(url, follow=True)
    officer.refresh_from_db()
    assert officer.status == OfficerStatus.INACTIVE
    assert "1 current assignment ended today" in response.text
    assignment = officer.assignments.get()
    assert assignment.end_date == timezone.localdate()  # ended, not deleted
    assert Officer.objects.filter(pk=officer.pk).exists()


def test_an_inactive_officer_cannot_be_given_a_new_assignment(coordinator_client, officer_a, school_b):
    officer_a.officer.deactivate()
    response = coordinator_client.post(
        reverse("schools:assignment_create"),
        {
            "officer": officer_a.officer.pk,
            "school": school_b.pk,
            "kind": "secondary",
            "start_date": "2027-01-04",
            "weekdays": ["1"],
        },
    )
    assert "Choose an active officer: inactive officers get no new assignments." in response.text
    assert officer_a.officer.assignments.count() == 1


def test_officer_list_searches_and_filters(coordinator_client, officer_a, officer_b):
    officer_b.officer.status = OfficerStatus.ON_LEAVE
    officer_b.officer.save()
    page = coordinator_client.get(reverse("officers:list"), {"q": "202"})
    assert officer_b.officer.get_absolute_url() in page.text
    assert officer_a.officer.get_absolute_url() not in page.text
    page = coordinator_client.get(reverse("officers:list"), {"status": "active"})
    assert officer_a.officer.get_absolute_url() in page.text
    assert officer_b.officer.get_absolute_url() not in page.text


@pytest.mark.parametrize(
    "name,args",
    [
        ("officers:list", []),
        ("officers:create", []),
        ("officers:agency_list", []),
        ("officers:agency_create", []),
    ],
)
def test_roster_management_is_refused_to_administrators_and_officers(
    name, args, admin_a_client, officer_a_client
):
    assert admin_a_client.get(reverse(name, args=args)).status_code == 403
    assert officer_a_client.get(reverse(name, args=args)).status_code == 403


def test_officer_pages_are_refused_to_outsiders(admin_a_client, officer_b_client, officer_a, agency):
    officer = officer_a.officer
    for url in (
        reverse("officers:detail", args=[officer.pk]),
        reverse("officers:update", args=[officer.pk]),
        reverse("officers:agency_detail", args=[agency.pk]),
    ):
        assert admin_a_client.get(url).status_code == 403
        assert officer_b_client.get(url).status_code == 403
    assert officer_b_client.post(reverse("officers:deactivate", args=[officer.pk])).status_code == 403
    officer.refresh_from_db()
    assert officer.status == OfficerStatus.ACTIVE
    assert officer_b_client.get(reverse("officers:week", args=[officer.pk])).status_code == 404
