"""The people to link: a page of them, counted only so far ahead (core.pagination)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def _get(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("students:unlinked"))
    return response, [q["sql"] for q in ctx.captured_queries]


def test_the_list_is_counted_only_so_far_and_makes_as_many_queries_for_three_times_the_people(
    coordinator_a_client, admin_a, school_a, log_incident
):
    def add(n):
        for i in range(n):
            people = [{"local_id_or_initials": f"9{i:03d}", "role": "offender"}]
            log_incident(school=school_a, reported_by=admin_a, people=people)

    add(2)
    response, before = _get(coordinator_a_client)
    assert response.context["page_obj"].paginator.count == 2
    add(4)
    response, after = _get(coordinator_a_client)
    assert response.context["page_obj"].paginator.count == 6 and len(after) == len(before)
    count = next(sql for sql in after if sql.startswith("SELECT COUNT(*) FROM (SELECT"))
    # Page 1 of 25 and 5,000 ahead, neither joined to the schools for the suggestions nor sorted.
    assert "LIMIT 5026" in count and "JOIN" not in count and "ORDER BY" not in count


def test_only_a_students_local_id_in_the_incidents_own_district_is_suggested(
    coordinator_a_client, admin_a, school_a, school_b, log_incident
):
    from conftest import make_student

    make_student(school_a, "A100")
    make_student(school_b, "B200")  # another district's student
    people = [
        {"local_id_or_initials": "a100", "role": "offender"},  # the ID, typed in lower case
        {"local_id_or_initials": "B200", "role": "witness"},
        {"local_id_or_initials": "JT", "role": "witness"},
    ]
    log_incident(school=school_a, reported_by=admin_a, people=people)
    page = coordinator_a_client.get(reverse("students:unlinked")).text
    assert "Link all 1 to the suggested students" in page


def test_a_district_coordinator_lists_only_their_districts_people_and_the_program_coordinator_all(
    coordinator_client, coordinator_a_client, admin_a, admin_b, school_a, school_b, log_incident
):
    log_incident(
        school=school_a, reported_by=admin_a, people=[{"local_id_or_initials": "A-1", "role": "offender"}]
    )
    log_incident(
        school=school_b, reported_by=admin_b, people=[{"local_id_or_initials": "B-2", "role": "offender"}]
    )
    district = coordinator_a_client.get(reverse("students:unlinked"))
    assert [p.local_id_or_initials for p, _ in district.context["rows"]] == ["A-1"]
    program = coordinator_client.get(reverse("students:unlinked"))
    assert sorted(p.local_id_or_initials for p, _ in program.context["rows"]) == ["A-1", "B-2"]


def test_with_several_pages_the_suggestions_are_counted_on_the_page_shown_and_the_button_links_every_page(
    coordinator_a_client, admin_a, school_a, log_incident
):
    from conftest import make_student
    from incidents.models import IncidentPerson

    student = make_student(school_a, "A100")
    people = [{"local_id_or_initials": f"9{i:03d}", "role": "witness"} for i in range(25)]
    people.append({"local_id_or_initials": "a100", "role": "offender"})  # the 26th: on page 2
    log_incident(school=school_a, reported_by=admin_a, people=people)

    response, queries = _get(coordinator_a_client)
    page = response.text
    assert "On this page, 0 of 25 were logged with exactly a student's local ID" in page
    assert "Link everyone with a suggested student, on every page" in page
    # No query tests every typed ID against every student's (the page's 25 only, by index).
    assert not any("COUNT(" in sql and "students_student" in sql for sql in queries)
    page_2 = coordinator_a_client.get(reverse("students:unlinked"), {"page": 2}).text
    assert "On this page, 1 of 1 were logged" in page_2 and "Suggested: Jordan Smith (A100)" in page_2

    response = coordinator_a_client.post(reverse("students:link_suggested"), follow=True)
    assert "1 people linked" in response.text
    assert IncidentPerson.objects.get(local_id_or_initials="a100").student == student


def test_linking_the_suggested_students_when_none_has_one_says_so(
    coordinator_a_client, admin_a, school_a, log_incident
):
    people = [{"local_id_or_initials": "JT", "role": "witness"}]
    log_incident(school=school_a, reported_by=admin_a, people=people)
    page = coordinator_a_client.get(reverse("students:unlinked")).text
    assert "Link all" not in page and "on every page" not in page  # one page, nothing suggested
    response = coordinator_a_client.post(reverse("students:link_suggested"), follow=True)
    assert "No one on the list was logged with exactly a student" in response.text
