import pytest

from tests.authorization import World


@pytest.fixture
def world(coordinator, admin_a, admin_b, officer_a, officer_b, school_a, school_b, agency):
    """The six personas and their schools, for the authorization matrix."""
    return World(
        coordinator=coordinator,
        admin_a=admin_a,
        admin_b=admin_b,
        officer_a=officer_a,
        officer_b=officer_b,
        school_a=school_a,
        school_b=school_b,
        agency=agency,
    )
