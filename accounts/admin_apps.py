from django.contrib.admin.apps import AdminConfig


class SroAdminConfig(AdminConfig):
    """django.contrib.admin with the two-factor admin site (accounts.admin_site)."""

    default_site = "accounts.admin_site.OTPAdminSite"
