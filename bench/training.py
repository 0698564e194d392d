"""Training records: every officer's history of the catalogue's courses over the years, renewed
on schedule by most, late or lapsed by some, a few pending verification or rejected."""

from __future__ import annotations

import datetime
import decimal

from django.utils import timezone

from training.models import Course, RecordStatus, TrainingRecord

from .bulk import insert_rows

FIELDS = [
    "officer_id",
    "course_id",
    "completed_on",
    "hours",
    "provider",
    "certificate_type",
    "expires_on",
    "status",
    "submitted_by_id",
    "verified_by_id",
    "verified_at",
    "rejection_reason",
    "created_at",
]


def generate(district, *, scale: float) -> str:
    rng = district.rng
    courses = list(Course.objects.filter(is_active=True).select_related("requirement"))
    if not courses:
        return "skipped (no courses: the training catalogue migration has not run)"
    tz = timezone.get_current_timezone()
    today = district.today
    now = timezone.now()
    existing = set(
        TrainingRecord.objects.filter(officer_id__in=district.officer_ids).values_list(
            "officer_id", "course_id", "completed_on"
        )
    )
    required = {c.pk for c in courses if hasattr(c, "requirement")}

    def rows():
        for officer in district.officer_ids:
            user = district.officer_user[officer]
            for course in courses:
                # Required courses: nearly everyone; optional ones: some officers.
                if rng.random() > (0.97 if course.pk in required else 0.35):
                    continue
                day = district.start - datetime.timedelta(days=rng.randint(0, 400))
                while day <= today:
                    status = RecordStatus.VERIFIED
                    roll = rng.random()
                    if (today - day).days < 60 and roll < 0.3:
                        status = RecordStatus.PENDING
                    elif roll < 0.02:
                        status = RecordStatus.REJECTED
                    key = (officer, course.pk, day)
                    if key not in existing:
                        existing.add(key)
                        submitted = min(datetime.datetime.combine(day, datetime.time(17), tzinfo=tz), now)
                        verified = status == RecordStatus.VERIFIED
                        yield (
                            officer,
                            course.pk,
                            day,
                            decimal.Decimal(course.hours),
                            course.provider,
                            "Certificate of completion",
                            course.expiry_for(day),
                            status,
                            user,
                            district.coordinator_id if verified else None,
                            min(submitted + datetime.timedelta(days=rng.randint(1, 9)), now)
                            if verified
                            else None,
                            "The certificate is illegible; please upload a clearer scan."
                            if status == RecordStatus.REJECTED
                            else "",
                            submitted,
                        )
                    if not course.renewal_months:
                        break
                    # Renewed a little before expiry by most; late, or never, by a few.
                    expiry = course.expiry_for(day)
                    roll = rng.random()
                    if roll < 0.06:
                        break
                    day = expiry + datetime.timedelta(
                        days=rng.randint(-45, -1) if roll > 0.15 else rng.randint(1, 60)
                    )

    count = insert_rows(TrainingRecord, FIELDS, rows())
    return f"{count:,} training records over {len(courses)} courses"
