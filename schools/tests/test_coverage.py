import datetime
import re

import pytest
from django.urls import reverse

from schools.models import Assignment, Level, School
from schools.selectors import coverage_on, upcoming_gaps

D = datetime.date


def test_coverage_lists_each_schools_primary_officer_or_none(officer_a, school_b):
    # officer_a is primary at A; school B has nobody yet.
    rows = {row.school.name: row for row in coverage_on(D(2026, 9, 1))}
    (posting,) = rows["Alpha High School"].primary
    assert (posting.officer_id, posting.officer_name) == (officer_a.officer.pk, officer_a.officer.full_name)
    assert rows["Bravo Middle School"].primary == []
    assert not rows["Bravo Middle School"].covered


def test_coverage_respects_the_dates_of_assignments(officer_a, school_a):
    Assignment.objects.filter(officer=officer_a.officer).update(end_date=D(2026, 6, 30))
    rows = {row.school.name: row for row in coverage_on(D(2026, 9, 1))}
    assert not rows["Alpha High School"].covered
    rows = {row.school.name: row for row in coverage_on(D(2026, 6, 30))}
    assert rows["Alpha High School"].covered


def test_a_school_joining_mid_year_shows_up_uncovered_until_assigned(officer_a, coordinator_client):
    response = coordinator_client.post(
        reverse("schools:create"),
        {
            "name": "Delta Elementary",
            "district": officer_a.officer.assignments.get().school.district_id,
            "level": Level.ELEMENTARY,
            "enrollment": 300,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    page = coordinator_client.get(reverse("schools:coverage"), {"date": "2027-01-15"})
    assert "1 without a primary SRO" in visible_text(page)
    assert "Delta Elementary" in page.text


def test_coverage_query_count_does_not_grow_with_schools(django_assert_max_num_queries, officer_a):
    for i in range(30):
        School.objects.create(name=f"School {i}", level=Level.MIDDLE)
    with django_assert_max_num_queries(2):
        rows = coverage_on(D(2026, 9, 1))
        [posting.officer_name for row in rows for posting in row.primary]
    assert len(rows) == 31


@pytest.mark.parametrize(
    ("weekdays", "shown"), [("12345", "Mon–Fri"), ("135", "Mon, Wed, Fri"), ("24", "Tue, Thu"), ("", "")]
)
def test_coverage_shows_an_assignments_days_as_the_assignment_does(officer_a, weekdays, shown):
    Assignment.objects.filter(officer=officer_a.officer).update(weekdays=weekdays)
    rows = {row.school.name: row for row in coverage_on(D(2026, 9, 1))}
    (posting,) = rows["Alpha High School"].primary
    assert posting.weekday_names == shown
    assert Assignment.objects.get(officer=officer_a.officer).weekday_names == shown


def test_upcoming_gaps_finds_a_primary_ending_with_no_successor(officer_a, officer_b, school_a, school_b):
    Assignment.objects.filter(officer=officer_a.officer).update(end_date=D(2026, 12, 18))
    Assignment.objects.filter(officer=officer_b.officer).update(end_date=D(2026, 12, 18))
    # School B has a successor from the next day; school A has none.
    from conftest import make_officer

    successor = make_officer("officer_c", school_b, officer_a.officer.agency, "303")
    Assignment.objects.filter(officer=successor.officer).update(start_date=D(2026, 12, 19))
    gaps = upcoming_gaps(D(2026, 12, 1), 30)
    assert [(gap.school, gap.last_day) for gap in gaps] == [(school_a, D(2026, 12, 18))]
    assert upcoming_gaps(D(2026, 11, 1), 10) == []


def test_upcoming_gaps_uses_a_fixed_number_of_queries(django_assert_max_num_queries, officer_a, agency):
    from conftest import make_officer

    for i in range(15):
        school = School.objects.create(name=f"School {i}", level=Level.MIDDLE)
        user = make_officer(f"o{i}", school, agency, f"B{i}")
        Assignment.objects.filter(officer=user.officer).update(end_date=D(2026, 12, 10))
    with django_assert_max_num_queries(2):
        gaps = upcoming_gaps(D(2026, 12, 1), 30)
    assert len(gaps) == 15


@pytest.mark.parametrize("persona", ["admin_a_client", "officer_a_client"])
def test_coverage_page_is_for_coordinators_only(persona, request):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("schools:coverage")).status_code == 403


def test_coverage_page_shows_the_day_at_a_glance(coordinator_client, officer_a, school_b):
    page = coordinator_client.get(reverse("schools:coverage"), {"date": "2026-09-01"})
    text = visible_text(page)
    assert "2 schools in the program, 1 without a primary SRO" in text
    assert "Officer_A Officer" in text


def visible_text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.text).split()).replace(" ,", ",")


def test_coverage_rows_link_schools_and_primary_officers(coordinator_client, officer_a, officer_b, school_b):
    Assignment.objects.create(
        officer=officer_b.officer, school=officer_a.officer.assignments.get().school, kind="secondary",
        start_date=D(2026, 1, 5), weekdays="13",
    )  # fmt: skip
    school_b.name = "Bravo <Middle> & Co"
    school_b.save()
    Assignment.objects.filter(school=school_b).delete()
    page = coordinator_client.get(reverse("schools:coverage"), {"date": "2026-09-01"}).text
    alpha = officer_a.officer.assignments.get().school
    assert f'<td><a href="{alpha.get_absolute_url()}">Alpha High School</a></td>' in page
    primary = f'<a href="{officer_a.officer.get_absolute_url()}">{officer_a.officer.full_name}</a> (Mon–Fri)'
    assert f"<td>{primary}</td>\n  <td>{officer_b.officer.full_name} (Mon, Wed)</td>" in page
    assert "Bravo &lt;Middle&gt; &amp; Co</a>" in page
    assign = reverse("schools:assignment_create") + f"?school={school_b.pk}"
    assert f'<a href="{assign}">Assign<span\n      class="visually-hidden"> an officer to Bravo &lt;' in page
