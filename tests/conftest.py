import pytest

from tests.authorization import World


@pytest.fixture
def world(
    coordinator,
    coordinator_a,
    coordinator_b,
    admin_a,
    admin_b,
    officer_a,
    officer_b,
    school_a,
    school_b,
    agency,
):
    """The personas and their schools (of two districts), for the authorization matrix."""
    return World(
        coordinator=coordinator,
        coordinator_a=coordinator_a,
        coordinator_b=coordinator_b,
        admin_a=admin_a,
        admin_b=admin_b,
        officer_a=officer_a,
        officer_b=officer_b,
        school_a=school_a,
        school_b=school_b,
        agency=agency,
    )
