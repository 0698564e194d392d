"""The pages districts changed, as people see them: accessible (axe, WCAG 2.1 A/AA) for the
program coordinator (district filters, LEA headings, agreements) and a district coordinator."""

import pytest

from conftest import assert_accessible, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_program_coordinator_pages_with_districts_are_accessible(
    page, live_server, coordinator, coordinator_a, officer_a, officer_b, agency, school_a, school_b
):
    agreement = agency.agreements.get(district=school_a.district)
    district = school_b.district_id
    browser_login(page, live_server, "coord")
    for path in [
        "/schools/districts/",
        "/schools/districts/new/",
        f"/schools/districts/{district}/edit/",
        f"/schools/?district={district}",
        f"/schools/{school_a.pk}/edit/",
        f"/schools/coverage/?district={district}",
        f"/officers/agencies/{agency.pk}/",
        f"/officers/agencies/{agency.pk}/agreements/new/",
        f"/officers/agreements/{agreement.pk}/edit/",
        f"/reports/dashboard/?district={district}",
        f"/reports/monthly/?district={district}",
        f"/incidents/?district={district}",
        "/incidents/reports/crdc/",
        f"/incidents/reports/ssec/?district={district}",
        f"/incidents/threats/?district={district}",
        f"/training/compliance/?district={district}",
        f"/drills/?district={district}",
        "/surveys/new/",
    ]:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)


def test_district_coordinator_pages_are_accessible(
    page, live_server, coordinator_a, officer_a, agency, school_a
):
    browser_login(page, live_server, "coord_a")
    for path in [
        "/reports/dashboard/",
        "/schools/districts/",
        "/officers/agencies/",
        f"/officers/agencies/{agency.pk}/",
        "/drills/",
        "/incidents/reports/crdc/",
        "/surveys/new/",
    ]:
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    # The navigation has no Audit entry: the trail is the whole program's.
    assert page.get_by_role("link", name="Audit", exact=True).count() == 0
