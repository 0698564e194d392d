"""Workflows around officers and their activity notes: filing, amending, reminders."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.deliveries import notify
from core.templatetags.dates import day as day_label
from schools.models import Assignment

from .models import ActivityNote, Agreement, NoteAmendment, Officer, OfficerStatus

log = logging.getLogger("sro.officers")

# Fields an amendment may change (the officer and creation time never change).
AMENDABLE = [
    "date",
    "school",
    "category",
    "topic",
    "minutes",
    "narrative",
    "students_contacted",
    "follow_up",
    "follow_up_date",
]
# Days before an MOU's review date when coordinators are reminded.
MOU_REMINDER_DAYS = (60, 14)


def amend_note(*, note: ActivityNote, by: User, reason: str, original: dict[str, Any]) -> NoteAmendment:
    """Save changes to a locked note with the reason and the old and new values.

    `note` carries the new values (already validated by the form); `original` is
    `model_to_dict(note)` taken before the form changed it."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why this note is being amended."})
    if not note.is_owned_by(by):
        raise PermissionDenied
    new = model_to_dict(note, fields=AMENDABLE)
    changes = {
        name: [_plain(original.get(name)), _plain(new[name])]
        for name in AMENDABLE
        if original.get(name) != new[name]
    }
    if not changes:
        raise ValidationError("Nothing was changed.")
    with transaction.atomic():
        note.amended_at = timezone.now()
        note.save()
        return NoteAmendment.objects.create(note=note, amended_by=by, reason=reason, changes=changes)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def deactivate_officer(*, officer: Officer, today: datetime.date) -> int:
    """End the officer's access now: the officer becomes inactive, their login too (which ends
    every open session, accounts.signals), their running assignments end today and stop
    giving access at once (history is kept), and their personal calendar feed is deleted.
    Returns how many assignments were ended."""
    from drills.models import CalendarFeed

    with transaction.atomic():
        officer.deactivate()
        current = officer.assignments.active_on(today).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gt=today) | models.Q(ended_at__isnull=True)
        )
        ended = 0
        for assignment in current:
            assignment.end(today)  # one by one, so each change is audited
            ended += 1
        CalendarFeed.objects.filter(officer=officer).delete()
        if officer.user is not None and officer.user.is_active:
            officer.user.is_active = False
            officer.user.save(update_fields=["is_active"])
    return ended


def reactivate_officer(*, officer: Officer) -> None:
    """The officer and their login are active again; access comes back with new assignments
    (ended ones stay ended)."""
    with transaction.atomic():
        officer.status = OfficerStatus.ACTIVE
        officer.save(update_fields=["status"])
        if officer.user is not None and not officer.user.is_active:
            officer.user.is_active = True
            officer.user.save(update_fields=["is_active"])


def save_officer(*, officer: Officer, previous_status: str | None, today: datetime.date) -> Officer:
    """Save the officer form; a change of status through it deactivates or reactivates the
    officer the same way the buttons do."""
    officer.save()
    if previous_status == OfficerStatus.ACTIVE and not officer.is_active:
        deactivate_officer(officer=officer, today=today)
    elif previous_status == OfficerStatus.INACTIVE and officer.is_active:
        reactivate_officer(officer=officer)
    return officer


def previous_working_day(today: datetime.date) -> datetime.date:
    """The last Monday-to-Friday day before `today` (Friday, on a Monday)."""
    day = today - datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def officers_missing_notes(day: datetime.date) -> list[Officer]:
    """Active officers scheduled at a school on `day` (an assignment active then, covering that
    weekday) who filed no note for it. Two queries."""
    weekday = str(day.isoweekday())
    scheduled = (
        Assignment.objects.active_on(day)
        .filter(weekdays__contains=weekday, officer__status="active")
        .values("officer_id")
    )
    return list(
        Officer.objects.filter(pk__in=scheduled)
        .exclude(notes__date=day)
        .select_related("user")
        .order_by("last_name", "first_name")
    )


@transaction.atomic
def remind_missing_notes(*, today: datetime.date) -> int:
    """Email and notify, once each, every officer who filed nothing on the previous working
    day. Returns the deliveries written to the ledger."""
    day = previous_working_day(today)
    sent = 0
    for officer in officers_missing_notes(day):
        url = reverse("officers:note_create") + f"?date={day.isoformat()}"
        sent += len(
            notify(
                occasion=f"missing-notes:{officer.pk}:{day.isoformat()}",
                template_prefix="officers/email/missing-notes",
                context={"officer": officer, "day": day, "url": url},
                user=officer.user,
                email=officer.contact_email,
                title=f"No activity notes for {day_label(day)}",
                url=url,
                level="warning",
            )
        )
    log.info("missing-notes reminders for %s: %s written", day, sent)
    return sent


@transaction.atomic
def remind_mou_reviews(*, today: datetime.date) -> int:
    """Tell the coordinators of an agreement's district (and the program coordinators), once
    per threshold, that the MOU comes up for review within 60 and then within 14 days.
    Returns the deliveries written to the ledger."""
    sent = 0
    for agreement in Agreement.objects.review_due(today, within=max(MOU_REMINDER_DAYS)):
        days_left = agreement.days_until_review(today)
        assert days_left is not None and agreement.review_on is not None  # filtered on above
        # The smallest threshold reached: a run that missed the 60-day day still sends one.
        threshold = min(d for d in MOU_REMINDER_DAYS if days_left <= d)
        agency = agreement.agency
        for user in User.objects.coordinators_for_district(agreement.district_id):
            sent += len(
                notify(
                    occasion=f"mou-review:{agreement.pk}:{agreement.review_on.isoformat()}:{threshold}:{user.pk}",
                    template_prefix="officers/email/mou-review",
                    context={"agency": agency, "agreement": agreement, "days_left": days_left, "user": user},
                    user=user,
                    email=user.email,
                    title=f"{agency.name} ({agreement.district.name}): MOU review due "
                    + day_label(agreement.review_on),
                    url=agency.get_absolute_url(),
                )
            )
    return sent
