"""The code-of-conduct share of contacts and SRO involvements, counted by hand, and its
query count."""

import datetime

from contacts.selectors import conduct_share
from incidents.models import SRO_LEVEL, Alert, AlertKind, Incident
from schools.models import School

from .conftest import DAY, at


def _involvement(log_incident, *, school, by, category, when, officer=None):
    """An incident at an SRO level (set directly: the thresholds are not under test), with the
    officer's alert if one is given."""
    incident = log_incident(school=school, reported_by=by, category=category, occurred_at=when)
    Incident.objects.filter(pk=incident.pk).update(level=SRO_LEVEL, table_level=SRO_LEVEL)
    incident.refresh_from_db()
    if officer is not None:
        Alert.objects.get_or_create(
            incident=incident, officer=officer, defaults={"kind": AlertKind.OFFICER, "level": SRO_LEVEL}
        )
    return incident


def _share(schools):
    share = conduct_share(schools=schools, year=2025, years=2)
    rows = {
        name: [(r.label, r.total, r.conduct, r.no_incident) for r in share[name]]
        for name in (
            "contacts_by_school",
            "involvements_by_school",
            "contacts_by_officer",
            "involvements_by_officer",
        )
    }
    trend = [
        (
            t["year"],
            t["contacts"].total,
            t["contacts"].conduct,
            t["involvements"].total,
            t["involvements"].conduct,
        )
        for t in share["trend"]
    ]
    return rows, trend


def test_the_share_is_counted_by_school_officer_and_year(
    school_a, admin_a, officer_a, log_incident, contact, django_assert_num_queries
):
    officer = officer_a.officer
    last_year = at(DAY - datetime.timedelta(days=365))
    weapons = _involvement(
        log_incident, school=school_a, by=admin_a, category="weapons", when=at(DAY), officer=officer
    )
    conduct = _involvement(
        log_incident, school=school_a, by=admin_a, category="conduct", when=at(DAY), officer=officer
    )
    _involvement(log_incident, school=school_a, by=admin_a, category="conduct", when=last_year)
    # Below the SRO levels: no involvement.
    below = log_incident(school=school_a, reported_by=admin_a, category="conduct", occurred_at=at(DAY))
    Incident.objects.filter(pk=below.pk).update(level=SRO_LEVEL - 1, table_level=SRO_LEVEL - 1)
    for incident in (weapons, conduct):
        contact(
            school=school_a,
            student=None,
            unidentified_reason="Ran off",
            by=officer_a,
            incident=incident,
            officer=officer,
        )
    contact(
        school=school_a, student=None, unidentified_reason="Ran off", by=officer_a
    )  # no incident, no officer
    contact(
        school=school_a,
        student=None,
        unidentified_reason="Ran off",
        by=officer_a,
        when=last_year,
        officer=officer,
    )

    with django_assert_num_queries(5):  # two years
        rows, trend = _share(School.objects.filter(pk=school_a.pk))
    name = school_a.name
    assert rows["contacts_by_school"] == [(name, 2, 1, 1)]
    assert rows["involvements_by_school"] == [(name, 2, 1, 0)]
    assert rows["contacts_by_officer"] == [("No officer recorded", 0, 0, 1), (officer.full_name, 2, 1, 0)]
    assert rows["involvements_by_officer"] == [(officer.full_name, 2, 1, 0)]
    # 2024: one contact without an incident, one code-of-conduct involvement.
    assert trend == [(2024, 0, 0, 1, 1), (2025, 2, 1, 2, 1)]


def test_the_share_makes_the_same_queries_for_three_times_the_records(
    school_a, admin_a, officer_a, log_incident, contact, django_assert_num_queries
):
    def add(n):
        for i in range(n):
            when = at(DAY - datetime.timedelta(days=365 * (i % 2)))
            incident = _involvement(
                log_incident,
                school=school_a,
                by=admin_a,
                category="conduct",
                when=when,
                officer=officer_a.officer,
            )
            contact(
                school=school_a, student=None, unidentified_reason="Ran off", by=officer_a, incident=incident
            )

    schools = School.objects.filter(pk=school_a.pk)
    add(2)
    with django_assert_num_queries(5):  # five years
        conduct_share(schools=schools, year=2025)
    add(4)
    with django_assert_num_queries(5):
        conduct_share(schools=schools, year=2025)


def test_every_school_as_none_counts_what_the_list_of_every_school_counts(
    school_a, school_b, admin_a, officer_a, log_incident, contact
):
    officer = officer_a.officer
    for school in (school_a, school_b):
        incident = _involvement(
            log_incident, school=school, by=admin_a, category="conduct", when=at(DAY), officer=officer
        )
        contact(school=school, student=None, unidentified_reason="Ran off", by=officer_a, incident=incident)
    every, listed = _share(None), _share(School.objects.all())
    assert every == listed
    assert [name for name, *_ in every[0]["contacts_by_school"]] == sorted([school_a.name, school_b.name])


def test_without_officers_the_share_reads_no_alerts_or_names_and_counts_the_same(
    school_a, admin_a, officer_a, log_incident, contact, django_assert_num_queries
):
    """The published report names no officer: its share is the same by school and year, read
    in two queries fewer."""
    incident = _involvement(
        log_incident, school=school_a, by=admin_a, category="conduct", when=at(DAY), officer=officer_a.officer
    )
    contact(school=school_a, student=None, unidentified_reason="Ran off", by=officer_a, incident=incident)
    schools = School.objects.filter(pk=school_a.pk)
    with django_assert_num_queries(3):  # names of schools, contacts, involvements
        without = conduct_share(schools=schools, year=2025, years=2, by_officer=False)
    full = conduct_share(schools=schools, year=2025, years=2)
    assert "contacts_by_officer" not in without and "involvements_by_officer" not in without
    for key in ("contacts_by_school", "involvements_by_school", "trend"):
        assert without[key] == full[key]
