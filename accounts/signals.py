import logging

from auditlog.models import LogEntry
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .models import User
from .sso import SIGN_IN_METHOD, SSO, SSO_MFA

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


@receiver(user_logged_in)
def audit_sign_in(sender, request, user, **kwargs):
    """Every sign-in is an entry of the audit trail, with how it was made."""
    if request is None or not hasattr(request, "session"):
        return
    if request.session.get(SIGN_IN_METHOD) == SSO:
        method = SSO + (" (multi-factor at the provider)" if request.session.get(SSO_MFA) else "")
    elif getattr(user, "otp_device", None) is not None:
        method = "password and authentication code"
    else:
        method = "password"
    LogEntry.objects.log_create(
        user,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        changes={"sign-in": ["", method]},
        actor=user,
        remote_addr=request.META.get("REMOTE_ADDR") or None,
        additional_data={"sign_in": method},
    )
