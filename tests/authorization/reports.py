"""Dashboards and reports."""

from . import FORBIDDEN, OK, access, coordinator_only, signed_in

ADMINS_AND_COORDINATOR = {
    "coordinator": OK,
    "coordinator_a": OK,
    "coordinator_b": OK,
    "admin_a": OK,
    "admin_b": OK,
    "officer_a": FORBIDDEN,
    "officer_b": FORBIDDEN,
}

ENTRIES = {
    "reports:dashboard": signed_in(note="each role's home page"),
    "reports:dashboard_csv": access(**ADMINS_AND_COORDINATOR),
    # An administrator's home (their own schools only); coordinators may look at it too.
    "reports:my_schools": access(**ADMINS_AND_COORDINATOR),
    "reports:index": coordinator_only(districts="both"),
    "reports:monthly": access(**ADMINS_AND_COORDINATOR),
    "reports:monthly_pdf": access(**ADMINS_AND_COORDINATOR),
}
