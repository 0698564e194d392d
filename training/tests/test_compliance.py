"""The compliance matrix: states, what counts, and a flat query count."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_officer
from officers.models import OfficerStatus
from training import selectors
from training.models import RecordStatus
from training.selectors import State

from .conftest import add_record

TODAY = datetime.date(2026, 11, 23)


def states(officer):
    row = selectors.officer_compliance(officer, today=TODAY)
    return {cell.course.name: cell.state for cell in row.cells}


def test_each_state_is_reported(officer_a, requirements, cpr, ymhfa, basic):
    officer = officer_a.officer  # first assignment 2020: long past every grace period
    add_record(officer, cpr, datetime.date(2025, 1, 10))  # valid through 2027-01-10: expiring
    add_record(officer, ymhfa, datetime.date(2023, 6, 1))  # valid through 2026-06-01: expired
    assert states(officer) == {cpr.name: State.EXPIRING, ymhfa.name: State.EXPIRED, basic.name: State.MISSING}
    add_record(officer, cpr, datetime.date(2025, 11, 1))  # a renewal: valid through 2027-11-01
    assert states(officer)[cpr.name] == State.CURRENT


def test_expiring_means_valid_with_sixty_days_or_fewer_left(officer_a, requirements, cpr):
    add_record(officer_a.officer, cpr, datetime.date(2025, 1, 22))  # through 2027-01-22: 60 days
    assert states(officer_a.officer)[cpr.name] == State.EXPIRING
    add_record(officer_a.officer, cpr, datetime.date(2025, 1, 23))  # through 2027-01-23: 61 days
    assert states(officer_a.officer)[cpr.name] == State.CURRENT


def test_a_certificate_counts_on_its_expiry_day_and_not_after(officer_a, requirements, cpr):
    add_record(officer_a.officer, cpr, datetime.date(2024, 11, 23))  # through 2026-11-23
    assert states(officer_a.officer)[cpr.name] == State.EXPIRING
    row = selectors.officer_compliance(officer_a.officer, today=TODAY + datetime.timedelta(days=1))
    assert row.cells[0].state == State.EXPIRED


def test_a_cell_picks_the_longest_valid_record_else_the_latest_lapsed_one(requirements, cpr):
    requirement = next(r for r in requirements if r.course == cpr)
    D = datetime.date
    lapsed_early = selectors.Completion(D(2022, 1, 5), D(2024, 1, 5))
    lapsed_late = selectors.Completion(D(2023, 3, 1), D(2025, 3, 1))
    lapsed_late_too = selectors.Completion(D(2023, 2, 1), D(2025, 3, 1))  # same expiry, earlier
    not_yet = selectors.Completion(D(2026, 12, 1), D(2028, 12, 1))  # completed after TODAY
    short = selectors.Completion(D(2025, 1, 1), D(2027, 1, 1))  # valid, 39 days left
    long = selectors.Completion(D(2025, 12, 1), D(2027, 12, 1))  # valid, a year left
    lapsed = [lapsed_early, lapsed_late_too, lapsed_late, not_yet]

    cell = selectors._cell(requirement, [short, *lapsed, long], 0, None, TODAY)
    assert (cell.state, cell.record) == (State.CURRENT, long)
    cell = selectors._cell(requirement, [*lapsed, short], 0, None, TODAY)
    assert (cell.state, cell.record) == (State.EXPIRING, short)
    # No valid record: the lapsed one that expired last (of two equals, the one completed
    # later, in whichever order they come); a record completed after today is neither.
    cell = selectors._cell(requirement, lapsed, 1, None, TODAY)
    assert (cell.state, cell.record, cell.pending) == (State.EXPIRED, lapsed_late, 1)
    assert selectors._cell(requirement, lapsed[::-1], 0, None, TODAY).record == lapsed_late
    assert selectors._cell(requirement, [not_yet], 0, None, TODAY).state == State.MISSING


@pytest.mark.parametrize("status", [RecordStatus.PENDING, RecordStatus.REJECTED])
def test_unverified_records_do_not_count(officer_a, requirements, cpr, status):
    add_record(officer_a.officer, cpr, datetime.date(2026, 10, 1), status=status)
    row = selectors.officer_compliance(officer_a.officer, today=TODAY)
    cell = next(c for c in row.cells if c.course == cpr)
    assert cell.state == State.MISSING
    assert not row.is_compliant
    if status == RecordStatus.PENDING:
        assert "awaiting verification" in cell.reason


def test_a_new_officer_is_due_not_missing_within_the_grace_period(
    school_a, agency, requirements, cpr, ymhfa, basic
):
    officer = make_officer(
        "rookie", school_a, agency, "909", sro_start_date=TODAY - datetime.timedelta(days=100)
    ).officer
    add_record(officer, cpr, datetime.date(2026, 8, 1))
    row = selectors.officer_compliance(officer, today=TODAY)
    by_name = {c.course.name: c for c in row.cells}
    assert by_name[ymhfa.name].state == State.DUE
    assert by_name[ymhfa.name].due_on == TODAY + datetime.timedelta(days=80)
    assert by_name[ymhfa.name].label == "Due by Thu 11 Feb 2027"
    assert by_name[basic.name].state == State.DUE
    assert row.is_compliant
    # 181 days after starting the grace period is over.
    later = selectors.officer_compliance(officer, today=TODAY + datetime.timedelta(days=81))
    assert {c.course.name: c.state for c in later.cells}[ymhfa.name] == State.MISSING


def test_a_before_start_course_is_missing_even_for_a_new_officer(school_a, agency, requirements, cpr):
    officer = make_officer("rookie", school_a, agency, "909", sro_start_date=TODAY).officer
    assert states(officer)[cpr.name] == State.MISSING


def test_start_falls_back_to_the_first_assignment(officer_a, requirements, ymhfa):
    # officer_a has no sro_start_date; their first assignment began 2020-08-01.
    row = selectors.officer_compliance(officer_a.officer, today=datetime.date(2020, 9, 1))
    assert {c.course.name: c for c in row.cells}[ymhfa.name].due_on == datetime.date(2021, 1, 28)


def test_summary_counts_officers_and_says_why(officer_a, officer_b, requirements, cpr, ymhfa, basic):
    for course in (cpr, ymhfa, basic):
        add_record(officer_a.officer, course, datetime.date(2026, 3, 1))
    add_record(officer_b.officer, ymhfa, datetime.date(2026, 3, 1))
    add_record(officer_b.officer, basic, datetime.date(2026, 3, 1))
    add_record(officer_b.officer, cpr, datetime.date(2024, 1, 31))  # through 2026-01-31
    summary = selectors.compliance_summary(today=TODAY)
    assert summary["officers"] == 2
    assert summary["compliant"] == 1
    assert summary["percent_compliant"] == 50
    assert summary["counts"] == {"current": 5, "expiring": 0, "due": 0, "expired": 1, "missing": 0}
    [entry] = summary["out_of_compliance"]
    assert entry["officer"] == officer_b.officer
    assert entry["reasons"] == [f"{cpr.name}: expired Sat 31 Jan 2026"]


def test_inactive_officers_are_left_out(officer_a, officer_b, requirements):
    officer_b.officer.status = OfficerStatus.INACTIVE
    officer_b.officer.save()
    assert [row.officer for row in selectors.matrix(today=TODAY).rows] == [officer_a.officer]


def test_due_for_officer_lists_what_needs_action_most_urgent_first(
    officer_a, requirements, cpr, ymhfa, basic
):
    add_record(officer_a.officer, cpr, datetime.date(2025, 1, 10))  # expiring
    add_record(officer_a.officer, ymhfa, datetime.date(2022, 1, 10))  # expired
    add_record(officer_a.officer, basic, datetime.date(2021, 1, 10))  # current, one-time
    items = selectors.due_for_officer(officer_a.officer, today=TODAY)
    assert [(i["course"], i["state"]) for i in items] == [(ymhfa, State.EXPIRED), (cpr, State.EXPIRING)]
    assert items[1]["date"] == datetime.date(2027, 1, 10)


def test_hours_per_officer_per_year_count_verified_records_only(officer_a, officer_b, cpr, ymhfa, basic):
    add_record(officer_a.officer, cpr, datetime.date(2026, 2, 1))  # 6 h
    add_record(officer_a.officer, basic, datetime.date(2026, 9, 1))  # 40 h
    add_record(officer_a.officer, ymhfa, datetime.date(2025, 9, 1))  # other year
    add_record(officer_b.officer, ymhfa, datetime.date(2026, 9, 1), status=RecordStatus.PENDING)
    hours = {row["officer"]: row["hours"] for row in selectors.hours_by_officer(2026)}
    assert hours == {officer_a.officer: Decimal("46"), officer_b.officer: Decimal("0")}
    assert selectors.hours_by_year(officer_a.officer) == [
        {"year": 2026, "hours": Decimal("46")},
        {"year": 2025, "hours": Decimal("8")},
    ]


def _district(n_officers, school, agency, courses, prefix):
    for i in range(n_officers):
        officer = make_officer(f"{prefix}{i}", school, agency, f"{prefix}{i}").officer
        for j, course in enumerate(courses):
            for k in range(3):  # renewals over the years
                add_record(officer, course, datetime.date(2019 + k * 2, 1 + j, 10))
            add_record(officer, course, datetime.date(2026, 1 + j, 11), status=RecordStatus.PENDING)


def _queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_selectors_query_count_does_not_grow_with_officers_and_records(
    school_a, agency, coordinator, catalogue
):
    from training.models import Course

    courses = list(Course.objects.all())
    _district(2, school_a, agency, courses, "s")
    small = [
        _queries(lambda: selectors.compliance_summary(today=TODAY)),
        _queries(lambda: selectors.hours_by_officer(2026)),
    ]
    _district(25, school_a, agency, courses, "l")  # 27 officers, ~970 records
    large = [
        _queries(lambda: selectors.compliance_summary(today=TODAY)),
        _queries(lambda: selectors.hours_by_officer(2026)),
    ]
    assert small == large
    assert large[0] <= 5


def test_first_assignments_are_read_only_for_officers_without_a_start_date(
    officer_a, school_a, agency, requirements, ymhfa, django_assert_num_queries
):
    dated = make_officer("rookie", school_a, agency, "909", sro_start_date=TODAY).officer
    with django_assert_num_queries(2):  # requirements, records: every officer has a start date
        rows = selectors.matrix([dated], today=TODAY).rows
    assert rows[0].started_on == TODAY
    with django_assert_num_queries(3):  # and officer_a's first assignment
        rows = selectors.matrix([dated, officer_a.officer], today=datetime.date(2020, 9, 1)).rows
    assert [r.started_on for r in rows] == [TODAY, datetime.date(2020, 8, 1)]
