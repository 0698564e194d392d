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
