"""The compliance matrix, exports, lists and requirements as a coordinator uses them."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from conftest import make_officer, make_user
from officers.models import Officer
from training.models import Course, RecordStatus, Requirement, Timing, TrainingRecord

from .conftest import add_record

NOW = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def district(officer_a, officer_b, requirements, cpr, ymhfa, basic):
    for course in (cpr, ymhfa, basic):
        add_record(officer_a.officer, course, datetime.date(2026, 3, 1))
    add_record(officer_b.officer, ymhfa, datetime.date(2026, 3, 1))
    add_record(officer_b.officer, cpr, datetime.date(2024, 1, 31))  # expired 2026-01-31
    add_record(officer_b.officer, basic, datetime.date(2026, 10, 1), status=RecordStatus.PENDING)


def test_matrix_shows_who_is_out_of_compliance_and_why(coordinator_client, district, officer_b):
    page = coordinator_client.get(reverse("training:matrix"))
    text = page.text
    assert "1 of 2</strong> active officers are compliant (50%)" in text
    assert "Out of compliance (1)" in text
    assert "Heartsaver CPR AED and First Aid: expired Sat 31 Jan 2026" in text
    assert "NASRO Basic SRO Course: missing (1 record awaiting verification)" in text
    assert "Expired Sat 31 Jan 2026" in text
    assert "1 record awaiting verification" in text
    only_out = coordinator_client.get(reverse("training:matrix"), {"show": "out"})
    assert [row.officer for row in only_out.context["page_obj"]] == [officer_b.officer]


def test_matrix_exports_as_csv(coordinator_client, district):
    response = coordinator_client.get(reverse("training:matrix_csv"))
    assert response["Content-Type"] == "text/csv"
    assert 'filename="training-compliance-2026-11-23.csv"' in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header == [
        "Officer",
        "Badge",
        "Agency",
        "Compliant",
        "Heartsaver CPR AED and First Aid",
        "NASRO Basic SRO Course",
        "Youth Mental Health First Aid",
        "Reasons",
    ]
    by_badge = {row[1]: row for row in rows}
    assert by_badge["101"][3] == "yes"
    assert by_badge["202"][3:7] == ["no", "expired (2026-01-31)", "missing", "current (2029-03-01)"]
    assert "awaiting verification" in by_badge["202"][7]


def test_records_list_filters_and_exports(coordinator_client, district, officer_b):
    page = coordinator_client.get(reverse("training:record_list"), {"status": "pending"})
    assert page.context["page_obj"].paginator.count == 1
    rows = read_csv(coordinator_client.get(reverse("training:record_csv"), {"officer": officer_b.officer.pk}))
    assert rows[0][:4] == ["Officer", "Badge", "Course", "Completed"]
    assert len(rows) == 1 + 3
    assert {r[7] for r in rows[1:]} == {"Verified", "Pending verification"}


def test_hours_page_totals_verified_hours_per_officer(coordinator_client, district, officer_a):
    page = coordinator_client.get(reverse("training:hours"), {"year": 2026})
    hours = {row["officer"]: row["hours"] for row in page.context["rows"]}
    assert hours[officer_a.officer] == 6 + 8 + 40
    rows = read_csv(coordinator_client.get(reverse("training:hours"), {"year": 2026, "format": "csv"}))
    assert rows[0][-1] == "Verified hours 2026"


def test_officers_own_page_shows_their_state_and_records(officer_b_client, district):
    text = officer_b_client.get(reverse("training:my_training")).text
    assert "Out of compliance" in text
    assert "Heartsaver CPR AED and First Aid: expired Sat 31 Jan 2026" in text
    assert "Pending verification" in text
    assert "Add a certificate" in text


def test_coordinator_adds_edits_and_removes_a_requirement(coordinator_client, requirements):
    course = Course.objects.get(name="Crisis Intervention Team (CIT) Training")
    url = reverse("training:requirement_create")
    response = coordinator_client.post(url, {"course": course.pk, "timing": Timing.WITHIN_DAYS})
    assert "Say how many days" in response.text
    coordinator_client.post(url, {"course": course.pk, "timing": Timing.WITHIN_DAYS, "within_days": 90})
    requirement = Requirement.objects.get(course=course)
    assert requirement.within_days == 90
    coordinator_client.post(
        reverse("training:requirement_edit", args=[requirement.pk]),
        {"timing": Timing.BEFORE_START, "within_days": 90},
    )
    requirement.refresh_from_db()
    assert (requirement.timing, requirement.within_days, requirement.course) == (
        Timing.BEFORE_START,
        None,
        course,
    )
    assert "Crisis Intervention Team" in coordinator_client.get(reverse("training:matrix")).text


def _grow(n, school, agency, prefix):
    courses = list(Course.objects.all())
    verifier = make_user(f"{prefix}-verifier", "coordinator")
    records = []
    for i in range(n):
        officer = make_officer(f"{prefix}{i}", school, agency, f"{prefix}{i}").officer
        for j, course in enumerate(courses):
            for day, status in [
                (datetime.date(2024 + j % 3, 1 + j, 10), RecordStatus.VERIFIED),
                (datetime.date(2026, 1 + j, 12), RecordStatus.PENDING),
            ]:
                records.append(
                    TrainingRecord(
                        officer=officer,
                        course=course,
                        completed_on=day,
                        expires_on=course.expiry_for(day),
                        hours=course.hours,
                        provider=course.provider,
                        status=status,
                        verified_by=verifier if status == RecordStatus.VERIFIED else None,
                        verified_at=NOW if status == RecordStatus.VERIFIED else None,
                    )
                )
    TrainingRecord.objects.bulk_create(records)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("training:matrix", {}),
        ("training:matrix", {"page": 2}),
        ("training:matrix_csv", {}),
        ("training:record_list", {}),
        ("training:record_csv", {}),
        ("training:hours", {}),
    ],
)
def test_coordinator_pages_query_count_is_flat(
    coordinator_client, catalogue, school_a, agency, name, params, django_assert_max_num_queries
):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = coordinator_client.get(reverse(name), params)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    _grow(3, school_a, agency, "a")
    small = count()
    _grow(22, school_a, agency, "b")  # 25 officers, 450 records
    assert Officer.objects.count() == 25 and TrainingRecord.objects.count() == 450
    with django_assert_max_num_queries(small):
        count()
    assert small <= 13  # one of them reads the districts a program coordinator may pick


def test_officer_page_query_count_is_flat(officer_a, officer_a_client, cpr, django_assert_max_num_queries):
    add_record(officer_a.officer, cpr, datetime.date(2020, 1, 1))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        officer_a_client.get(reverse("training:my_training"))
    for year in range(2001, 2020):
        for course in Course.objects.all():
            add_record(officer_a.officer, course, datetime.date(year, 5, 5))
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        officer_a_client.get(reverse("training:my_training"))


def test_demo_seed_gives_a_mix_of_states_and_runs_twice_without_duplicates(catalogue, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    count = TrainingRecord.objects.count()
    call_command("seed_demo")
    assert TrainingRecord.objects.count() == count > 40
    from training.selectors import matrix

    totals = matrix().totals
    assert all(totals[state] > 0 for state in ["current", "expiring", "expired", "missing"])
    assert TrainingRecord.objects.filter(status=RecordStatus.PENDING).exists()
    assert TrainingRecord.objects.filter(status=RecordStatus.REJECTED).exists()
    officer = Officer.objects.get(user__username="officer")
    assert officer.training_records.filter(status=RecordStatus.PENDING).exclude(certificate="").exists()


def test_coordinator_adds_a_record_from_an_officers_page(coordinator_client, officer_b):
    page = coordinator_client.get(reverse("training:officer", args=[officer_b.officer.pk]))
    link = f"{reverse('training:record_create')}?officer={officer_b.officer.pk}"
    assert link in page.text
    form = coordinator_client.get(link).context["form"]
    assert str(form["officer"].value()) == str(officer_b.officer.pk)


def test_matrix_is_kept_until_the_data_changes_then_shows_the_change(
    coordinator_client,
    district,
    officer_b,
    cpr,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    url = reverse("training:matrix")
    assert "1 of 2</strong> active officers are compliant" in coordinator_client.get(url).text
    with django_assert_max_num_queries(7):  # kept: no query of officers, courses or records
        assert "1 of 2</strong> active officers are compliant" in coordinator_client.get(url).text

    with django_capture_on_commit_callbacks(execute=True):  # the change commits
        add_record(officer_b.officer, cpr, datetime.date(2026, 11, 1))  # CPR renewed
    text = coordinator_client.get(url).text
    assert "Heartsaver CPR AED and First Aid: expired" not in text
    assert "Valid through Wed 1 Nov 2028" in text

    cpr.renewal_months = 12  # every record's expiry follows (a bulk update, no signals)
    with django_capture_on_commit_callbacks(execute=True):
        cpr.save()
    assert "Valid through Mon 1 Nov 2027" in coordinator_client.get(url).text


def test_matrix_is_worked_out_again_on_a_new_day(client, coordinator, district):
    url = reverse("training:matrix")
    before_midnight = datetime.datetime(2026, 11, 24, 4, 50, tzinfo=datetime.UTC)  # 23:50 in New York
    with time_machine.travel(before_midnight, tick=False):
        client.force_login(coordinator)
        assert "on Mon 23 Nov 2026" in client.get(url).text
    with time_machine.travel(before_midnight + datetime.timedelta(minutes=20), tick=False):
        assert "on Tue 24 Nov 2026" in client.get(url).text
