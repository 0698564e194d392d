"""The audit trail is append-only inside the app: an entry, once written, cannot be changed
or deleted through the ORM (the admin is read-only too). Retention purges, if the district
wants them, are a database administrator's job, outside the app."""

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver


@receiver(pre_save, sender=LogEntry)
def refuse_changing_audit_entries(sender, instance, raw=False, **kwargs):
    if instance.pk is not None and not raw and sender.objects.filter(pk=instance.pk).exists():
        raise PermissionDenied("Audit entries cannot be changed.")


@receiver(pre_delete, sender=LogEntry)
def refuse_deleting_audit_entries(sender, instance, **kwargs):
    raise PermissionDenied("Audit entries cannot be deleted.")
