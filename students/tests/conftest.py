from incidents.tests.conftest import categories, log_incident  # noqa: F401
