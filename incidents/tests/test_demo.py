import datetime
import random

import pytest
from django.core.management import call_command
from django.utils import timezone

from incidents.models import Alert, Incident, ThreatAssessment

pytestmark = pytest.mark.django_db


def test_demo_seed_is_realistic_and_idempotent(settings, categories):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # The demo's school year; contacts/demo.py adds the year before at the pilot's district.
    this_year = Incident.objects.filter(occurred_at__gte=timezone.now() - datetime.timedelta(days=331))
    incidents = this_year.count()
    assert 250 <= incidents <= 400
    assert Incident.objects.count() - incidents <= 400
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

    before = Incident.objects.count()
    assert demo.seed(today=datetime.date.today(), rng=random.Random(1)) == ""
    assert Incident.objects.count() == before
