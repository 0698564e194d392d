import datetime
import random

import pytest
from django.core.management import call_command

from incidents.models import Alert, Incident, ThreatAssessment

pytestmark = pytest.mark.django_db


def test_demo_seed_is_realistic_and_idempotent(settings, categories):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    incidents = Incident.objects.count()
    assert 250 <= incidents <= 400
    assert Incident.objects.filter(level=0).count() > Incident.objects.filter(level__gte=1).count()
    assert Incident.objects.exclude(override_reason="").count() >= 2
    assert (
        Alert.objects.filter(acknowledged_at__isnull=False).count()
        > Alert.objects.filter(kind="officer", acknowledged_at__isnull=True).count()
    )
    assert set(ThreatAssessment.objects.values_list("classification", flat=True)) == {
        "transient",
        "serious",
        "very_serious",
    }
    from incidents import demo

    assert demo.seed(today=datetime.date.today(), rng=random.Random(1)) == ""
    assert Incident.objects.count() == incidents
