"""Emergency drills: each school's §807 year (about 14 drills), summer school for some, the rest
of the current year scheduled, a few overdue or missed so compliance has something to say."""

from __future__ import annotations

import datetime

from django.utils import timezone

from drills.models import CorrectiveAction, Drill, DrillType, SummerSession

from .bulk import insert_rows, next_id

# The year's plan: (month, day of month, type); shuffled a little per school.
PLAN = [
    (9, 8, DrillType.EVACUATION),
    (9, 15, DrillType.LOCKDOWN),
    (9, 22, DrillType.EVACUATION),
    (9, 29, DrillType.EVACUATION_SECONDARY),
    (10, 6, DrillType.EVACUATION),
    (10, 20, DrillType.LOCKDOWN),
    (11, 3, DrillType.EVACUATION_SECONDARY),
    (11, 17, DrillType.EVACUATION),
    (12, 8, DrillType.SHELTER),
    (1, 12, DrillType.LOCKDOWN),
    (2, 9, DrillType.EVACUATION_SECONDARY),
    (3, 16, DrillType.LOCKOUT),
    (4, 13, DrillType.EVACUATION_SECONDARY),
    (5, 11, DrillType.LOCKDOWN),
    (10, 27, DrillType.BUS_EVACUATION),
]
HOURS = [8, 10, 12, 14]  # different times of the school day

DRILL_FIELDS = [
    "id",
    "school_id",
    "drill_type",
    "scheduled_at",
    "conducted_at",
    "duration_minutes",
    "accountability_minutes",
    "sro_present",
    "first_responders_notified",
    "observations",
    "after_action_notes",
    "created_by_id",
    "created_at",
]


def _weekday(day: datetime.date) -> datetime.date:
    while day.isoweekday() > 5:
        day += datetime.timedelta(days=1)
    return day


def generate(district, *, scale: float) -> str:
    rng = district.rng
    tz = timezone.get_current_timezone()
    today = district.today
    now = timezone.now()
    first_year = district.start.year if district.start.month >= 7 else district.start.year - 1
    last_year = today.year if today.month >= 7 else today.year - 1
    existing_summers = set(SummerSession.objects.values_list("school_id", "school_year"))
    pk = next_id(Drill)
    drills, actions, summers = [], [], []
    for school in district.school_ids:
        admin = district.admin_by_school[school]
        sloppy = rng.random() < 0.1  # misses some drills every year
        for year in range(first_year, last_year + 1):
            slots = []
            for month, day, drill_type in PLAN:
                when = _weekday(datetime.date(year if month >= 7 else year + 1, month, day))
                when += datetime.timedelta(days=rng.randint(0, 3))
                slots.append((_weekday(when), drill_type))
            if (school, year) not in existing_summers and rng.random() < 0.3:
                start = _weekday(datetime.date(year, 7, 6))
                summers.append((school, year, start, start + datetime.timedelta(days=32)))
                existing_summers.add((school, year))
                slots += [(start + datetime.timedelta(days=2), DrillType.EVACUATION)]
                slots += [(start + datetime.timedelta(days=16), DrillType.LOCKDOWN)]
            for n, (day, drill_type) in enumerate(slots):
                if day < district.start:
                    continue
                moment = datetime.datetime.combine(
                    day, datetime.time(HOURS[n % 4], rng.randint(0, 50)), tzinfo=tz
                )
                missed = sloppy and rng.random() < 0.3
                if moment > now or (missed and moment > now - datetime.timedelta(days=60)):
                    conducted = None  # scheduled (or overdue: scheduled, never logged)
                elif missed:
                    continue
                else:
                    conducted = moment + datetime.timedelta(minutes=rng.randint(-20, 20))
                drills.append(
                    (
                        pk,
                        school,
                        drill_type,
                        moment,
                        conducted,
                        rng.randint(8, 25) if conducted else None,
                        rng.randint(4, 15) if conducted else None,
                        bool(conducted) and rng.random() < 0.8,
                        bool(conducted) and rng.random() < 0.9,
                        "Orderly; all classes accounted for." if conducted else "",
                        "Door 4 alarm was slow to sound." if conducted and rng.random() < 0.25 else "",
                        admin,
                        moment - datetime.timedelta(days=30),
                    )
                )
                if conducted and rng.random() < 0.25:
                    due = day + datetime.timedelta(days=30)
                    actions.append(
                        (
                            pk,
                            "Classroom 114 did not hear the announcement.",
                            "Check the PA speaker in room 114.",
                            "Facilities",
                            due,
                            due - datetime.timedelta(days=rng.randint(0, 20)) if due < today else None,
                        )
                    )
                pk += 1
    insert_rows(SummerSession, ["school_id", "school_year", "start_date", "end_date"], summers)
    count = insert_rows(Drill, DRILL_FIELDS, drills)
    insert_rows(
        CorrectiveAction, ["drill_id", "observation", "action", "owner", "due_date", "completed_on"], actions
    )
    return f"{count:,} drills, {len(actions):,} corrective actions, {len(summers):,} summer sessions"
