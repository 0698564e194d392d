from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin


class ReadOnlyLogEntryAdmin(LogEntryAdmin):
    """The audit trail can be read in the admin, never added to, changed or deleted, not
    even by a superuser, and not as a side effect of deleting something else."""

    actions = None

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


admin.site.unregister(LogEntry)
admin.site.register(LogEntry, ReadOnlyLogEntryAdmin)
