"""Writes that cross models: placing officers at schools."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from officers.models import Officer

from .models import Assignment

OVERLAP_MESSAGE = "This officer already has a primary assignment on some of these dates."


def save_assignment(*, assignment: Assignment) -> Assignment:
    """Validate and save an assignment, refusing two primary assignments of one officer at once.

    The officer row is locked first (select_for_update) so two coordinators saving at the same
    moment cannot both pass the check; on PostgreSQL an exclusion constraint backs it up."""
    try:
        with transaction.atomic():
            Officer.objects.select_for_update().filter(pk=assignment.officer_id).first()
            assignment.full_clean()
            previous = Assignment.objects.filter(pk=assignment.pk).values_list("end_date", flat=True).first()
            assignment.note_early_end(previous, timezone.localdate())
            assignment.save()
    except IntegrityError as exc:
        if "assignment_no_overlapping_primary" in str(exc):
            raise ValidationError(OVERLAP_MESSAGE) from exc
        raise
    return assignment
