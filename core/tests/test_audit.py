import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from schools.models import Level, School

# Plumbing, not domain records: message claims and in-app notifications.
NOT_AUDITED = {"core.SentMessage", "core.Notification"}


def test_every_domain_model_is_audited():
    missing = [
        model._meta.label
        for app in settings.LOCAL_APPS
        for model in apps.get_app_config(app).get_models()
        if model._meta.label not in NOT_AUDITED and not auditlog.contains(model)
    ]
    assert missing == []


@pytest.mark.django_db
def test_create_change_and_delete_are_recorded():
    school = School.objects.create(name="Gamma Elementary", level=Level.ELEMENTARY)
    school.enrollment = 321
    school.save()
    pk = school.pk
    school.delete()
    actions = list(
        LogEntry.objects.filter(object_pk=str(pk), content_type__model="school")
        .order_by("timestamp")
        .values_list("action", flat=True)
    )
    assert actions == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE]


def test_audit_entry_names_the_actor_and_address(coordinator, coordinator_client, school_a):
    # A change made through a request is attributed to the signed-in user.
    from auditlog.context import set_actor

    with set_actor(coordinator, remote_addr="10.1.2.3"):
        school_a.enrollment = 950
        school_a.save()
    entry = LogEntry.objects.filter(object_pk=str(school_a.pk), action=LogEntry.Action.UPDATE).get()
    assert entry.actor == coordinator
    assert entry.remote_addr == "10.1.2.3"
    page = coordinator_client.get(reverse("core:audit_log"), {"actor": "coord"})
    assert "Alpha High School" in page.text
    assert "950" in page.text


def test_audit_page_is_for_coordinators_only(admin_a_client, officer_a_client):
    assert admin_a_client.get(reverse("core:audit_log")).status_code == 403
    assert officer_a_client.get(reverse("core:audit_log")).status_code == 403


def test_audit_page_query_count_is_flat(coordinator_client, django_assert_max_num_queries):
    for n in range(30):
        School.objects.create(name=f"School {n}", level=Level.HIGH)
    with django_assert_max_num_queries(12):
        assert coordinator_client.get(reverse("core:audit_log")).status_code == 200
