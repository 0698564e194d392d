"""The equity report on a fixture counted by hand, and its query count."""

import datetime

import pytest

from contacts.selectors import equity_report
from schools.models import School

from .conftest import DAY, at

ROSTER = datetime.date(2025, 10, 1)


def rows_of(report, dimension):
    table = next(t for t in report.measures[0].tables if t.dimension == dimension)
    return table, {r.group: r for r in table.rows}


@pytest.fixture
def roster(school_a, make_student, officer_a, contact):
    """40 Black students, 12 of them searched; 160 white students, 8 of them searched (one
    twice); an IEP student among the searched Black students."""
    black = [
        make_student(school_a, race="black", sex="M", programs=["idea"] if i == 0 else []) for i in range(40)
    ]
    white = [make_student(school_a, race="white", sex="F") for _ in range(160)]
    for s in black[:12] + white[:8]:
        contact(school=school_a, student=s, kind="search", by=officer_a, initiated_by="officer")
    contact(
        school=school_a,
        student=white[0],
        kind="search",
        by=officer_a,
        when=at(DAY + datetime.timedelta(days=1)),
    )
    return black, white


def test_rates_and_relative_rate_index_by_race_match_hand_computation(roster, school_a):
    report = equity_report(
        schools=School.objects.filter(pk=school_a.pk), year=2025, roster_on=ROSTER, measures=["search"]
    )
    measure = report.measures[0]
    assert (measure.contacts, measure.students, measure.enrolled) == (21, 20, 200)
    table, rows = rows_of(report, "race")
    assert (rows["black"].students, rows["black"].enrolled) == (12, 40)
    assert rows["black"].rate == pytest.approx(300.0)  # 12 / 40 per 1,000
    assert rows["white"].rate == pytest.approx(50.0)  # 8 / 160 per 1,000
    # RRI: 0.3 / 0.05 = 6; SE = sqrt(1/12 - 1/40 + 1/8 - 1/160) = 0.420813.
    assert rows["black"].relative.index == pytest.approx(6.0)
    assert rows["black"].relative.low == pytest.approx(6 * 2.718281828 ** (-1.959964 * 0.420813), rel=1e-4)
    assert rows["black"].relative.high == pytest.approx(6 * 2.718281828 ** (1.959964 * 0.420813), rel=1e-4)
    assert "Black or African American students' rate was 6.00 times" in table.sentence
    # Groups with nobody enrolled are withheld (their size is below the minimum), and so are
    # the others: with the total shown, one hidden group alone could be worked out.
    assert rows["asian"].suppressed and not rows["black"].suppressed


def test_a_small_group_and_its_complement_are_withheld(roster, school_a):
    report = equity_report(
        schools=School.objects.filter(pk=school_a.pk), year=2025, roster_on=ROSTER, measures=["search"]
    )
    _, rows = rows_of(report, "idea")
    # One IEP student searched: a group of 1 (below 10) and its only complement.
    assert rows["yes"].students == 1 and rows["yes"].suppressed
    assert rows["no"].suppressed


def test_students_not_on_the_roster_date_are_counted_apart(
    roster, school_a, make_student, officer_a, contact
):
    late = make_student(school_a)
    late.enrollments.update(begin_date=datetime.date(2025, 11, 1))
    contact(school=school_a, student=late, kind="search", by=officer_a)
    report = equity_report(
        schools=School.objects.filter(pk=school_a.pk), year=2025, roster_on=ROSTER, measures=["search"]
    )
    assert report.measures[0].students == 20 and report.measures[0].off_roster == 1


def test_the_report_makes_the_same_queries_for_three_times_the_students(
    school_a, make_student, officer_a, contact, django_assert_num_queries
):
    def grow(n):
        for i in range(n):
            s = make_student(
                school_a, race="hispanic" if i % 2 else "asian", programs=["el"] if i % 3 else []
            )
            contact(school=school_a, student=s, kind="citation", by=officer_a)

    schools = School.objects.filter(pk=school_a.pk)
    grow(5)
    with django_assert_num_queries(2):
        equity_report(schools=schools, year=2025, roster_on=ROSTER)
    grow(10)
    with django_assert_num_queries(2):
        equity_report(schools=schools, year=2025, roster_on=ROSTER)


def test_section_504_only_leaves_out_iep_students_and_unidentified_contacts_are_off_roster(
    school_a, make_student, officer_a, contact
):
    both = make_student(school_a, programs=["idea", "504"])
    only = make_student(school_a, programs=["504"])
    make_student(school_a, programs=["el"])
    for s in (both, only):
        contact(school=school_a, student=s, kind="search", by=officer_a)
    contact(school=school_a, student=None, kind="search", by=officer_a, unidentified_reason="Ran off")
    report = equity_report(
        schools=School.objects.filter(pk=school_a.pk), year=2025, roster_on=ROSTER, measures=["search"]
    )
    measure = report.measures[0]
    assert (measure.contacts, measure.students, measure.enrolled, measure.off_roster) == (3, 2, 3, 1)
    _, s504 = rows_of(report, "s504")
    _, idea = rows_of(report, "idea")
    _, el = rows_of(report, "el")
    assert (s504["yes"].enrolled, s504["yes"].students) == (1, 1)
    assert (idea["yes"].enrolled, idea["yes"].students) == (1, 1)
    assert (el["yes"].enrolled, el["yes"].students, el["no"].enrolled) == (1, 0, 2)


def _figures(report):
    return [
        (m.key, m.contacts, m.students, m.enrolled, m.off_roster, [(t.dimension, t.rows) for t in m.tables])
        for m in report.measures
    ]


def test_every_school_as_none_counts_what_the_list_of_every_school_counts(
    roster, school_a, school_b, make_student, officer_a, contact
):
    """None (the program coordinator's totals) reads the rows of every school without a
    semi-join on the schools; the figures are those of all the schools listed."""
    elsewhere = [make_student(school_b, race="hispanic", programs=["el"]) for _ in range(15)]
    contact(school=school_b, student=elsewhere[0], kind="citation", by=officer_a)
    every = equity_report(schools=None, year=2025, roster_on=ROSTER)
    listed = equity_report(schools=School.objects.all(), year=2025, roster_on=ROSTER)
    assert every.enrolled == listed.enrolled == 215
    assert _figures(every) == _figures(listed)


def test_programs_on_the_roster_day_and_contacts_in_scope_are_counted_once_a_student(
    school_a, school_b, make_student, officer_a, contact
):
    """Counted by hand: a status that ended before the roster day or starts after it is not
    a program that day, overlapping periods of one program are one, a student enrolled at two
    schools is one student, a contact elsewhere is not a contact in a school's report, and
    two contacts of one student are one student."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from students.models import Enrollment, StudentStatus

    def status(student, program, start, end=None):
        StudentStatus.objects.create(student=student, program=program, start_date=start, end_date=end)

    lapsed = make_student(school_a, race="black", sex="F")
    status(lapsed, "el", datetime.date(2024, 1, 1), datetime.date(2025, 9, 30))
    status(lapsed, "idea", datetime.date(2025, 10, 2))
    overlapping = make_student(school_a, race="black", sex="F", programs=["el", "504"])
    status(overlapping, "el", datetime.date(2025, 9, 1), datetime.date(2025, 12, 31))
    twice = make_student(school_a, race="asian", sex="M", programs=["idea", "504"])
    Enrollment.objects.create(student=twice, school=school_b, begin_date=datetime.date(2025, 8, 1))
    elsewhere = make_student(school_a, race="white", sex="M")
    contact(school=school_b, student=elsewhere, kind="search", by=officer_a)
    searched = make_student(school_a, race="white", sex="F")
    for _ in range(2):
        contact(school=school_a, student=searched, kind="search", by=officer_a)

    def figures(report):
        measure = report.measures[0]
        tables = {
            t.dimension: {r.group: (r.enrolled, r.students) for r in t.rows if r.enrolled}
            for t in measure.tables
        }
        return (measure.contacts, measure.students, measure.enrolled, measure.off_roster), tables

    with CaptureQueriesContext(connection) as queries:
        school = equity_report(
            schools=School.objects.filter(pk=school_a.pk), year=2025, roster_on=ROSTER, measures=["any"]
        )
    assert figures(school) == (
        (2, 1, 5, 0),
        {
            "race": {"asian": (1, 0), "black": (2, 0), "white": (2, 1)},
            "sex": {"F": (3, 1), "M": (2, 0)},
            "idea": {"yes": (1, 0), "no": (4, 1)},
            "s504": {"yes": (1, 0), "no": (4, 1)},
            "el": {"yes": (1, 0), "no": (4, 1)},
        },
    )
    # The roster is read unordered (a model's default ordering there sorted 40,000 rows).
    assert not any("ORDER BY" in q["sql"] for q in queries.captured_queries)
    every = equity_report(schools=None, year=2025, roster_on=ROSTER, measures=["any"])
    assert figures(every) == (
        (3, 2, 5, 0),
        {
            "race": {"asian": (1, 0), "black": (2, 0), "white": (2, 2)},
            "sex": {"F": (3, 1), "M": (2, 1)},
            "idea": {"yes": (1, 0), "no": (4, 2)},
            "s504": {"yes": (1, 0), "no": (4, 2)},
            "el": {"yes": (1, 0), "no": (4, 2)},
        },
    )
