"""Officers' activity notes: about 1,667 per officer per school year at scale 1 (nine a day)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils import timezone

from officers.models import ActivityNote, DutyCategory

from .bulk import insert_rows

NOTES_PER_OFFICER_YEAR = 1667

# (category, weight, minutes range, narratives); no student is ever named.
CATEGORIES = [
    (
        DutyCategory.PATROL,
        30,
        (15, 60),
        ["Walked the halls during passing time.", "Arrival and dismissal duty."],
    ),
    (
        DutyCategory.CONSULT,
        14,
        (10, 45),
        ["Met the assistant principal about a safety concern.", "Counselor check-in."],
    ),
    (
        DutyCategory.MEDIATION,
        8,
        (15, 60),
        ["Mediated a conflict between two students.", "Anti-bullying talk."],
    ),
    (
        DutyCategory.INVESTIGATION,
        6,
        (30, 120),
        ["Followed up on a reported theft.", "Reviewed camera footage."],
    ),
    (DutyCategory.TEACHING, 6, (40, 90), ["Taught a class.", "Guest lesson."]),
    (
        DutyCategory.EXTRACURRICULAR,
        6,
        (30, 120),
        ["Coached after-school basketball.", "Attended the science fair."],
    ),
    (DutyCategory.ADMINISTRATIVE, 10, (15, 60), ["Wrote reports.", "Updated the drill calendar."]),
    (DutyCategory.PREPAREDNESS, 4, (20, 60), ["Walked through the lockdown plan.", "Drill debrief."]),
    (DutyCategory.LIAISON, 4, (30, 90), ["Attended a truancy board hearing.", "Probation check-in."]),
    (
        DutyCategory.REFERRAL,
        4,
        (10, 30),
        ["Referred a family to community services.", "Food pantry referral."],
    ),
    (DutyCategory.ASSIST, 4, (30, 120), ["Assisted patrol with a traffic incident near campus."]),
    (
        DutyCategory.THREAT,
        2,
        (30, 120),
        ["Threat assessment team meeting.", "Checked a reported online threat."],
    ),
    (DutyCategory.EMERGENCY, 1, (15, 90), ["Responded to a medical emergency with the nurse."]),
    (DutyCategory.TRAINING, 1, (60, 240), ["Attended de-escalation training."]),
]
TOPICS = ["Internet safety", "Bullying prevention", "Drug awareness", "Traffic safety", "Careers in policing"]

FIELDS = [
    "officer_id",
    "school_id",
    "date",
    "category",
    "topic",
    "minutes",
    "narrative",
    "students_contacted",
    "follow_up",
    "follow_up_date",
    "follow_up_done_at",
    "created_at",
]


def generate(district, *, scale: float) -> str:
    rng = district.rng
    days = district.school_days
    years = max((district.today - district.start).days / 365.25, 1 / 365)
    per_day = NOTES_PER_OFFICER_YEAR * scale * years / max(len(days), 1)
    weights = [row[1] for row in CATEGORIES]
    recent = district.today - datetime.timedelta(days=district.today.weekday())  # this week's Monday
    by_officer = defaultdict(list)
    for officer, school, kind, start, end in district.assignments:
        by_officer[officer].append((school, kind, start, end))
    tz = timezone.get_current_timezone()
    day_start = {
        day: datetime.datetime.combine(day, datetime.time(7, 30), tzinfo=tz).astimezone(datetime.UTC)
        for day in days
    }

    def rows():
        for officer in district.officer_ids:
            assignments = by_officer[officer]
            for day in days:
                count = int(per_day + rng.random())
                if count == 0 and day >= recent:
                    count = 1  # the activity week always has something to show
                if count == 0:
                    continue
                schools = [
                    (school, kind)
                    for school, kind, start, end in assignments
                    if start <= day and (end is None or day <= end)
                ]
                if not schools:
                    continue
                primary = [school for school, kind in schools if kind == "primary"] or [schools[0][0]]
                secondary = [school for school, kind in schools if kind == "secondary"]
                base = day_start[day]
                for n in range(count):
                    school = secondary[0] if secondary and day.isoweekday() == 3 and n % 2 else primary[0]
                    category, _w, (low, high), narratives = rng.choices(CATEGORIES, weights)[0]
                    follow_up = rng.random() < 0.05
                    created = base + datetime.timedelta(minutes=40 * n + rng.randint(0, 30))
                    done = None
                    if follow_up and (district.today - day).days > 14:
                        done = created + datetime.timedelta(days=rng.randint(1, 10))
                    yield (
                        officer,
                        school,
                        day,
                        category,
                        rng.choice(TOPICS) if category == DutyCategory.TEACHING else "",
                        rng.randint(low, high),
                        rng.choice(narratives),
                        rng.randint(0, 12),
                        follow_up,
                        day + datetime.timedelta(days=7) if follow_up else None,
                        done,
                        created,
                    )

    count = insert_rows(ActivityNote, FIELDS, rows())
    return f"{count:,} activity notes"
