"""The main navigation: what each role may use. An app adds its pages here and nowhere else;
a URL name that does not exist fails every page (and the tests)."""

from accounts.models import Role

C, DC, A, OFF = Role.COORDINATOR, Role.DISTRICT_COORDINATOR, Role.SCHOOL_ADMIN, Role.OFFICER

# (label, URL name, roles that see it)
NAVIGATION = [
    ("My schools", "reports:my_schools", {A}),
    ("Dashboard", "reports:dashboard", {C, DC, A, OFF}),
    ("Incidents", "incidents:list", {C, DC, A, OFF}),
    ("Threats", "incidents:threat_list", {C, DC, A, OFF}),
    ("Contacts", "contacts:list", {C, DC, A, OFF}),
    ("My notes", "officers:my_week", {OFF}),
    ("Activity", "officers:note_list", {C, DC, A}),
    ("Schools", "schools:list", {C, DC, A, OFF}),
    ("Coverage", "schools:coverage", {C, DC}),
    ("Officers", "officers:list", {C, DC}),
    ("Agencies", "officers:agency_list", {C, DC}),
    ("Training", "training:home", {C, DC, OFF}),
    ("Drills", "drills:list", {C, DC, A, OFF}),
    ("Surveys", "surveys:list", {C, DC}),
    ("Reports", "reports:index", {C, DC}),
    ("Students", "students:import_list", {C, DC}),
    ("Deliveries", "core:deliveries", {C}),  # every district's messages: program coordinators
    ("Audit", "core:audit_log", {C}),  # the whole program's trail: program coordinators
]
