import logging

from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .models import User

log = logging.getLogger("sro.security")


@receiver(user_login_failed)
def log_failed_login(sender, credentials, request=None, **kwargs):
    ip = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    log.warning("failed login username=%s ip=%s", credentials.get("username", ""), ip)


@receiver(pre_save, sender=User)
def _remember_active(sender, instance, update_fields=None, **kwargs):
    # Whoever deactivates an account (a service, the admin), its sessions end with it.
    if instance.pk and (update_fields is None or "is_active" in update_fields):
        instance._was_active = User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()


@receiver(post_save, sender=User)
def _end_sessions_of_deactivated(sender, instance, **kwargs):
    if getattr(instance, "_was_active", False) and not instance.is_active:
        from .services import end_sessions

        end_sessions(instance)
    instance._was_active = None
