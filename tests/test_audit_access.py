"""Every view of an incident, a threat report, a police contact or a student leaves an audit
"access" entry naming who looked, from where, at what; people refused (403/404) leave none."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from tests.authorization import OK, PERSONAS, client_for, matrix

MATRIX = matrix()
# URL name -> the model whose records it shows.
AUDITED_VIEWS = {
    "incidents:detail": "incidents.incident",
    "incidents:pdf": "incidents.incident",
    "incidents:edit": "incidents.incident",
    "incidents:people": "incidents.incident",
    "incidents:threat_detail": "incidents.threatassessment",
    "incidents:attachment_download": "incidents.attachment",
    "contacts:detail": "contacts.policecontact",
    "contacts:edit": "contacts.policecontact",
    "students:detail": "students.student",
}


@pytest.mark.parametrize("name", sorted(AUDITED_VIEWS))
def test_each_view_of_a_sensitive_record_is_audited(name, world):
    entry = MATRIX[name]
    kwargs = entry.kwargs(world)
    url = reverse(name, kwargs=kwargs)
    app_label, model = AUDITED_VIEWS[name].split(".")
    for persona in PERSONAS:
        client = client_for(world, persona)
        client.defaults["REMOTE_ADDR"] = "10.9.8.7"
        before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
        response = client.get(url)
        accesses = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("-pk")
        if entry.expect[persona] == OK:
            assert response.status_code == 200
            latest = accesses.first()
            assert accesses.count() == before + 1, f"{name} as {persona}: no access entry"
            assert latest.actor == getattr(world, persona)
            assert latest.remote_addr == "10.9.8.7"
            assert (latest.content_type.app_label, latest.content_type.model) == (app_label, model)
            assert latest.object_pk == str(kwargs["pk"])
        else:
            assert accesses.count() == before, f"{name} as {persona}: refused, yet logged as seen"
