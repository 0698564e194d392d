"""Seed the drill requirements of New York Education Law §807 for the current and the next
school year (July 1 - June 30). Coordinators edit them afterwards; later years are set up
from the same defaults on the requirements page."""

import datetime

from django.db import migrations

SEPT, DEC = (9, 1), (12, 31)
EVAC = ["evacuation", "evacuation_secondary"]
# (rule, label, minimum, drill types, window start (month, day) or None=July 1, deadline or None)
ROWS = [
    ("count", "At least 12 drills in the school year", 12, [], SEPT, "end"),
    ("count", "8 drills between September 1 and December 31", 8, [], SEPT, DEC),
    ("count", "8 evacuation drills", 8, EVAC, SEPT, "end"),
    ("count", "4 evacuation drills using secondary exits", 4, ["evacuation_secondary"], SEPT, "end"),
    ("count", "4 lockdown drills", 4, ["lockdown"], SEPT, "end"),
    ("times_of_day", "Drills at 3 different times of the school day", 3, [], SEPT, "end"),
    ("summer", "2 drills in summer school", 2, [], None, None),
    ("summer_first_week", "1 drill in the first week of summer school", 1, [], None, None),
]


def seed(apps, schema_editor):
    DrillRequirement = apps.get_model("drills", "DrillRequirement")
    today = datetime.date.today()
    first = today.year if today.month >= 7 else today.year - 1
    for year in (first, first + 1):
        if DrillRequirement.objects.filter(school_year=year).exists():
            continue
        for order, (rule, label, minimum, types, start, deadline) in enumerate(ROWS, start=1):
            DrillRequirement.objects.create(
                school_year=year,
                rule=rule,
                label=label,
                minimum=minimum,
                drill_types=types,
                window_start=datetime.date(year, *start) if start else datetime.date(year, 7, 1),
                deadline=(
                    datetime.date(year + 1, 6, 30)
                    if deadline == "end"
                    else datetime.date(year, *deadline)
                    if deadline
                    else None
                ),
                citation="NY Education Law §807",
                order=order,
            )


class Migration(migrations.Migration):
    dependencies = [("drills", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
