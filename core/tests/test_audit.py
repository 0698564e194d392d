import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from schools.models import Level, School

# Plumbing, not domain records: in-app notifications, and the delivery ledger (a record of
# its own, with every attempt; auditing its status changes would double the alert path's writes).
NOT_AUDITED = {"core.Delivery", "core.Notification"}


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


def test_audit_page_offers_the_record_types_that_have_entries(coordinator_client, school_a):
    from django.contrib.contenttypes.models import ContentType

    from drills.models import Drill

    page = coordinator_client.get(reverse("core:audit_log"))
    offered = list(page.context["content_types"])
    assert ContentType.objects.get_for_model(School) in offered
    assert ContentType.objects.get_for_model(Drill) not in offered  # no drill was logged
    assert offered == sorted(offered, key=lambda ct: (ct.app_label, ct.model))


# --- The trail cannot be edited or deleted in the app ------------------------------------------


def _an_entry(school_a) -> LogEntry:
    return LogEntry.objects.get_for_object(school_a).get(action=LogEntry.Action.CREATE)


def test_audit_entries_cannot_be_changed_or_deleted_through_the_orm(school_a):
    from django.core.exceptions import PermissionDenied
    from django.db import transaction

    entry = _an_entry(school_a)
    entry.object_repr = "Something else"
    with pytest.raises(PermissionDenied), transaction.atomic():
        entry.save()
    with pytest.raises(PermissionDenied), transaction.atomic():
        entry.delete()
    with pytest.raises(PermissionDenied), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()
    assert LogEntry.objects.get(pk=entry.pk).object_repr == "Alpha High School"


@pytest.fixture
def superuser_client(db):
    from django.test import Client

    from conftest import make_user

    client = Client()
    client.force_login(make_user("root", "coordinator", is_superuser=True, is_staff=True))
    return client


def test_admin_shows_the_trail_read_only_even_to_a_superuser(superuser_client, school_a):
    entry = _an_entry(school_a)
    changelist = superuser_client.get(reverse("admin:auditlog_logentry_changelist"))
    assert changelist.status_code == 200
    assert "Alpha High School" in changelist.text
    assert 'name="action"' not in changelist.text  # no bulk "delete selected"
    detail = superuser_client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))
    assert detail.status_code == 200
    assert 'type="submit"' not in detail.text.split('id="logentry_form"')[-1].split("</form>")[0]
    assert superuser_client.get(reverse("admin:auditlog_logentry_add")).status_code == 403
    delete_url = reverse("admin:auditlog_logentry_delete", args=[entry.pk])
    assert superuser_client.get(delete_url).status_code == 403
    assert superuser_client.post(delete_url, {"post": "yes"}).status_code == 403
    superuser_client.post(
        reverse("admin:auditlog_logentry_change", args=[entry.pk]), {"object_repr": "Tampered"}
    )
    assert LogEntry.objects.get(pk=entry.pk).object_repr == "Alpha High School"


# --- The address recorded is the client's, and cannot be forged -----------------------------------


def _save_through_middleware(school, **meta):
    from auditlog.middleware import AuditlogMiddleware
    from django.http import HttpResponse
    from django.test import RequestFactory

    from core.middleware import ClientAddressMiddleware

    def view(request):
        school.enrollment += 1
        school.save()
        return HttpResponse()

    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.9", **meta)
    request.user = school.administrators.first()
    ClientAddressMiddleware(AuditlogMiddleware(view))(request)
    return LogEntry.objects.get_for_object(school).filter(action=LogEntry.Action.UPDATE).latest("pk")


def test_audit_records_the_connecting_address_and_ignores_a_forged_forwarded_header(admin_a, school_a):
    entry = _save_through_middleware(school_a, HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert entry.remote_addr == "10.0.0.9"
    assert entry.actor == admin_a


def test_behind_a_trusted_proxy_the_client_address_comes_from_the_proxy(settings, admin_a, school_a):
    settings.TRUSTED_PROXY_COUNT = 1
    entry = _save_through_middleware(school_a, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert entry.remote_addr == "203.0.113.7"


def test_failed_sign_in_is_logged_with_username_and_address(client, admin_a, caplog):
    from conftest import sign_in

    client.defaults["REMOTE_ADDR"] = "198.51.100.4"
    sign_in(client, "admin_a", "wrong-password")
    assert any(
        "failed login username=admin_a ip=198.51.100.4" in r.getMessage()
        for r in caplog.records
        if r.name == "sro.security"
    )
