"""The admin site, behind the same two-factor rule as the rest of the app."""

from django.conf import settings
from django.contrib.admin import AdminSite
from two_factor.admin import AdminSiteOTPRequiredMixin


class OTPAdminSite(AdminSiteOTPRequiredMixin, AdminSite):
    """Staff must have verified a second factor this session to use the admin (when
    REQUIRE_2FA_FOR_COORDINATORS is on; the local demo skips it). Its login page sends
    people to the site's own sign-in, so there is no second password form to attack."""

    site_header = "SRO Program Manager administration"
    site_title = "SRO Program Manager"

    def has_permission(self, request) -> bool:
        if not settings.REQUIRE_2FA_FOR_COORDINATORS:
            return AdminSite.has_permission(self, request)
        return super().has_permission(request)
