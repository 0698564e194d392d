"""The main navigation: what each role may use. An app adds its pages here and nowhere else;
a URL name that does not exist fails every page (and the tests)."""

from accounts.models import Role

C, A, OFF = Role.COORDINATOR, Role.SCHOOL_ADMIN, Role.OFFICER

# (label, URL name, roles that see it)
NAVIGATION = [
    ("My schools", "reports:my_schools", {A}),
    ("Dashboard", "reports:dashboard", {C, A, OFF}),
    ("Incidents", "incidents:list", {C, A, OFF}),
    ("Threats", "incidents:threat_list", {C, A, OFF}),
    ("My notes", "officers:my_week", {OFF}),
    ("Activity", "officers:note_list", {C, A}),
    ("Schools", "schools:list", {C, A, OFF}),
    ("Coverage", "schools:coverage", {C}),
    ("Officers", "officers:list", {C}),
    ("Agencies", "officers:agency_list", {C}),
    ("Training", "training:home", {C, OFF}),
    ("Drills", "drills:list", {C, A, OFF}),
    ("Surveys", "surveys:list", {C}),
    ("Reports", "reports:index", {C}),
    ("Deliveries", "core:deliveries", {C}),
    ("Audit", "core:audit_log", {C}),
]
