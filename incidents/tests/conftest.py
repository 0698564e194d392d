import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def categories(db):
    """The seeded categories and threshold table (a transactional test elsewhere may have
    flushed what the data migration installed)."""
    from incidents.defaults import install_defaults, install_ssec_defaults
    from incidents.models import IncidentCategory, SsecCategory, SsecMapping, Threshold

    install_defaults(IncidentCategory, Threshold)
    install_ssec_defaults(IncidentCategory, SsecCategory, SsecMapping)
    return {c.code: c for c in IncidentCategory.objects.all()}


@pytest.fixture
def weapons(categories):
    return categories["weapons"]


@pytest.fixture
def conduct(categories):
    return categories["conduct"]


@pytest.fixture
def log_incident(categories):
    """Log an incident through the service, with sensible defaults."""
    from incidents.services import report_incident

    def _log(*, school, reported_by, category="weapons", severity="moderate", **kwargs):
        data = {
            "occurred_at": timezone.now() - datetime.timedelta(hours=1),
            "location": "hallway",
            "description": "A student showed a knife in the hallway.",
            **kwargs,
        }
        return report_incident(
            school=school,
            reported_by=reported_by,
            category=categories[category] if isinstance(category, str) else category,
            severity=severity,
            **data,
        )

    return _log
