"""Home, notifications, the delivery ledger, the audit trail."""

from core.models import Notification

from . import NOT_FOUND, OK, REDIRECT, access, coordinator_only, public, signed_in


def notification_of_admin_a(world):
    note = world.once("notification", lambda: Notification.objects.create(user=world.admin_a, title="Hi"))
    return {"pk": note.pk}


ENTRIES = {
    "core:home": signed_in(REDIRECT, note="sends each role to its dashboard"),
    "core:health": public(note="public: liveness check, no data"),
    "core:health_deliveries": public(note="public: monitoring, delivery counts only"),
    "core:notifications": signed_in(),
    # A notification is its recipient's only: everyone else, the coordinator included, gets 404.
    "core:notification_open": access(
        coordinator=NOT_FOUND,
        coordinator_a=NOT_FOUND,
        coordinator_b=NOT_FOUND,
        admin_a=REDIRECT,
        admin_b=NOT_FOUND,
        officer_a=NOT_FOUND,
        officer_b=NOT_FOUND,
        kwargs=notification_of_admin_a,
        method="post",
    ),
    "core:notifications_read_all": signed_in(REDIRECT, method="post"),
    # The whole program's trail: not a district coordinator's to read.
    "core:audit_log": coordinator_only(OK, districts="program"),
    # Every district's messages: the program coordinator's.
    "core:deliveries": coordinator_only(OK, districts="program"),
}
