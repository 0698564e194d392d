"""No state change over GET: requesting any URL of the app with GET, as any persona, leaves
every domain row as it was. (Audit "access" entries are the one thing a GET may add.)"""

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.authorization import PERSONAS, client_for, matrix, url_routes

MATRIX = matrix()
NAMES = sorted({route.name for route in url_routes() if route.name} & set(MATRIX))

WATCHED = [
    *(model for app in settings.LOCAL_APPS for model in apps.get_app_config(app).get_models()),
    AccessAttempt,
    TOTPDevice,
    StaticDevice,
    StaticToken,
]


def snapshot() -> dict[str, list[tuple]]:
    return {model._meta.label: list(model._base_manager.order_by("pk").values_list()) for model in WATCHED}


@pytest.mark.parametrize("name", NAMES)
def test_get_changes_nothing(name, world):
    entry = MATRIX[name]
    url = reverse(name, kwargs=entry.kwargs(world) if entry.kwargs else None)
    for persona in PERSONAS:
        client = client_for(world, persona)
        before, last_entry = snapshot(), LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
        client.get(url)
        after = snapshot()
        changed = [label for label in before if before[label] != after[label]]
        assert changed == [], f"GET {url} as {persona} changed {changed}"
        new_entries = LogEntry.objects.filter(pk__gt=last_entry or 0)
        assert set(new_entries.values_list("action", flat=True)) <= {LogEntry.Action.ACCESS}, (
            f"GET {url} as {persona} logged a create/change/delete"
        )
