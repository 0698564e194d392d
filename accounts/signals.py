import logging

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

log = logging.getLogger("sro.security")


@receiver(user_login_failed)
def log_failed_login(sender, credentials, request=None, **kwargs):
    ip = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    log.warning("failed login username=%s ip=%s", credentials.get("username", ""), ip)
