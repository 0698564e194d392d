"""The coordinators' upload page: upload -> dry run with the errors table -> Import -> result,
and the history; `manage.py import_oneroster` runs the same service."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from students.models import RosterImport, Student

from .roster_files import as_zip, roster, student

pytestmark = pytest.mark.django_db


@pytest.fixture
def named_school(school_a):
    school_a.sis_identifier = "A-100"
    school_a.save()
    return school_a


def upload(client, data, name="roster.zip", **fields):
    return client.post(
        reverse("students:import_list"), {"file": SimpleUploadedFile(name, data), **fields}, follow=True
    )


def test_a_district_coordinator_checks_then_imports_their_district(
    coordinator_a_client, named_school, django_capture_on_commit_callbacks
):
    page = upload(coordinator_a_client, as_zip(roster([student(1), student(2)], orgs=(("org-a", "A-100"),))))
    assert "Dry run of roster.zip" in page.text
    assert not Student.objects.exists()
    dry = RosterImport.objects.get()
    assert dry.dry_run and dry.district == named_school.district and dry.counts["new"] == 2
    assert "Given1" not in page.text and "stu-1" not in page.request["PATH_INFO"]  # no student data shown
    with django_capture_on_commit_callbacks(execute=True):
        done = coordinator_a_client.post(reverse("students:import_apply", args=[dry.pk]), follow=True)
    assert "The students were imported." in done.text
    assert Student.objects.count() == 2
    dry.refresh_from_db()
    assert not dry.upload and not dry.can_be_applied
    again = coordinator_a_client.post(reverse("students:import_apply", args=[dry.pk]), follow=True)
    assert "imported already" in again.text and Student.objects.count() == 2
    history = coordinator_a_client.get(reverse("students:import_list"))
    assert history.text.count("roster.zip") == 2


def test_rows_with_errors_are_listed_and_cannot_be_imported(coordinator_client, named_school, district_a):
    files = roster([student(1, grades="14"), student(2, org="org-x")], orgs=(("org-a", "A-100"),))
    page = upload(coordinator_client, as_zip(files), district=district_a.pk)
    assert "Nothing was imported: 2 problems in the files" in page.text
    assert "<td>users.csv</td><td>2</td><td>unknown grade “14”" in page.text
    assert "<td>users.csv</td><td>3</td><td>unknown org “org-x”: not in orgs.csv</td>" in page.text
    assert (
        'name="csrfmiddlewaretoken"' not in page.text.split("Problems by file and line")[1]
    )  # no Import button
    record = RosterImport.objects.get()
    response = coordinator_client.post(reverse("students:import_apply", args=[record.pk]))
    assert response.status_code == 302 and not Student.objects.exists()


def test_the_program_coordinator_chooses_the_district(coordinator_client, named_school, district_b):
    page = upload(
        coordinator_client, as_zip(roster([student(1)], orgs=(("org-a", "A-100"),))), district=district_b.pk
    )
    record = RosterImport.objects.get()
    assert record.district == district_b and record.counts["errors"] == 1  # A-100 is not a district B school
    assert "no school of this district has that SIS identifier" in page.text


def test_a_district_coordinator_cannot_choose_another_district(
    coordinator_b_client, named_school, district_a
):
    upload(
        coordinator_b_client, as_zip(roster([student(1)], orgs=(("org-a", "A-100"),))), district=district_a.pk
    )
    assert RosterImport.objects.get().district != district_a
    record = RosterImport.objects.get()
    assert coordinator_b_client.get(reverse("students:import_detail", args=[record.pk])).status_code == 200


def test_administrators_and_officers_may_not_import(admin_a_client, officer_a_client, named_school):
    data = as_zip(roster([student(1)]))
    assert upload(admin_a_client, data).status_code == 403
    assert officer_a_client.get(reverse("students:import_list")).status_code == 403
    assert not RosterImport.objects.exists()


def zip_of(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("roster.csv", b"sourcedId\n1\n", "Upload a .zip of the OneRoster CSV files."),
        ("roster.zip", b"not a zip at all", "Upload a .zip of the OneRoster CSV files."),
        ("roster.zip", zip_of({"users.csv": b"a", "run.exe": b"MZ"}), "which is not a CSV file"),
        ("roster.zip", zip_of({"users.csv": b"0" * 2_000_000}), "unpacks to more than"),
        ("roster.zip", zip_of({f"f{i}.csv": b"a" for i in range(6)}), "holds 6 files; at most 5"),
    ],
    ids=["not a zip name", "not a zip", "a program inside", "zip bomb", "too many files"],
)
def test_the_upload_is_checked_as_every_upload_is(
    coordinator_a_client, named_school, settings, name, data, message
):
    settings.ROSTER_MAX_UNPACKED_BYTES = 1_000_000
    settings.UPLOAD_MAX_ARCHIVE_ENTRIES = 5
    page = upload(coordinator_a_client, data, name=name)
    assert message in page.text
    assert not RosterImport.objects.exists()


def test_a_newer_upload_replaces_the_pending_one(coordinator_a_client, named_school):
    data = as_zip(roster([student(1)], orgs=(("org-a", "A-100"),)))
    upload(coordinator_a_client, data)
    upload(coordinator_a_client, data)
    first, second = RosterImport.objects.order_by("pk")
    assert not first.upload and second.upload and not first.can_be_applied


def test_the_command_imports_a_directory(tmp_path, named_school, district_a):
    for name, data in roster([student(1), student(2)], orgs=(("org-a", "A-100"),)).items():
        (tmp_path / name).write_bytes(data)
    out = io.StringIO()
    call_command("import_oneroster", str(tmp_path), "--dry-run", stdout=out)
    assert "Dry run (OneRoster 1.1, " in out.getvalue() and "2 new" in out.getvalue()
    assert not Student.objects.exists()
    call_command("import_oneroster", str(tmp_path), "--district", district_a.name, stdout=out)
    assert Student.objects.count() == 2
    (tmp_path / "users.csv").write_bytes(b"sourcedId,role\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="errors: nothing was imported"):
        call_command("import_oneroster", str(tmp_path), "--partial", stdout=out, stderr=err)
    assert "users.csv, line 1: missing required column “givenName”" in err.getvalue()
