"""Workflows with side effects: logging an incident and applying the thresholds, alerting
and escalating, and the threat-assessment checklist."""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from contacts.services import follow_incident, sync_person_contacts
from core.deliveries import notify
from core.models import Delivery, Queue
from core.templatetags.dates import moment
from schools.models import Assignment, District, School
from students.services import demographics_on, sync_involvements

from .models import (
    ALLOWED_ATTACHMENT_TYPES,
    CHECKLISTS,
    COORDINATOR_LEVEL,
    REPORTED_FIELDS,
    SRO_LEVEL,
    Alert,
    AlertKind,
    Attachment,
    Classification,
    CrdcCollection,
    Incident,
    IncidentCategory,
    IncidentCorrection,
    IncidentPerson,
    InterventionLevel,
    SafetyPlan,
    SsecCategory,
    SsecMapping,
    ThreatAction,
    ThreatAssessment,
    ThreatStatus,
    override_errors,
    threshold_for,
)
from .selectors import escalation_recipients

log = logging.getLogger("sro.incidents")

# Response target when an override raises the level above what the table has a target for.
DEFAULT_RESPONSE_MINUTES = {
    InterventionLevel.INFORMED: 24 * 60,
    InterventionLevel.RESPONDS: 30,
    InterventionLevel.IMMEDIATE: 5,
}

PERSON_FIELDS = [
    f.name for f in IncidentPerson._meta.get_fields() if f.concrete and f.name not in ("id", "incident")
]


def decide_level(
    *, category: IncidentCategory, severity: str, level_override: int | None, override_reason: str
) -> tuple[int, int, int | None]:
    """(table level, applied level, response minutes): the one place the threshold table is
    read for a report. Raises ValidationError for a chosen level without a reason, or one
    that would page the SRO for a code-of-conduct matter (`override_errors`)."""
    errors = override_errors(
        category=category, level_override=level_override, override_reason=override_reason
    )
    if errors:
        raise ValidationError(errors)
    table_level, minutes = threshold_for(category, severity)
    if level_override is None or level_override == table_level:
        return table_level, table_level, minutes
    if level_override == InterventionLevel.SCHOOL:
        minutes = None
    elif minutes is None or level_override > table_level:
        minutes = DEFAULT_RESPONSE_MINUTES[InterventionLevel(level_override)]
    return table_level, level_override, minutes


class DuplicateSubmission(Exception):
    """The form was already submitted (a double click, a resubmitted page): `incident` is
    what the first submission logged."""

    def __init__(self, incident: Incident) -> None:
        super().__init__(f"incident {incident.pk} was already logged from this form")
        self.incident = incident


@transaction.atomic
def report_incident(
    *,
    school: School,
    reported_by: User,
    category: IncidentCategory,
    severity: str,
    occurred_at: datetime.datetime,
    location: str,
    description: str,
    people: Iterable[dict[str, Any]] = (),
    level_override: int | None = None,
    override_reason: str = "",
    attachments: Iterable[UploadedFile] = (),
    submission_token: uuid.UUID | None = None,
    **details: Any,
) -> Incident:
    """Log an incident, apply the threshold table and write the alerts it calls for, with
    their deliveries, in one transaction: once it commits, the SROs' in-app notifications
    exist and their emails wait in the ledger, whatever Redis or the mail server are doing.

    `submission_token` comes with the form: a second submission of the same form raises
    DuplicateSubmission with the first one's incident instead of logging it again.
    `details` are the remaining Incident fields (weapon_type, injuries, the action flags)."""
    if submission_token is not None:
        _refuse_duplicate(submission_token, reported_by)
    table_level, level, minutes = decide_level(
        category=category, severity=severity, level_override=level_override, override_reason=override_reason
    )
    now = timezone.now()
    incident = Incident(
        school=school,
        reported_by=reported_by,
        category=category,
        severity=severity,
        occurred_at=occurred_at,
        location=location,
        description=description,
        table_level=table_level,
        level=level,
        response_minutes=minutes,
        override_reason=override_reason.strip() if level != table_level else "",
        overridden_by=reported_by if level != table_level else None,
        created_at=now,
        submission_token=submission_token,
        **details,
    )
    person_rows = _person_rows(incident, people)
    incident.retention_until = incident.compute_retention_until(person_rows)
    try:
        with transaction.atomic():
            incident.save(force_insert=True)
    except IntegrityError:
        # A concurrent submission of the same form committed first.
        if submission_token is not None:
            _refuse_duplicate(submission_token, reported_by)
        raise
    _save_people(incident, person_rows)
    for upload in attachments:
        add_attachment(incident=incident, upload=upload, by=reported_by)
    if level >= SRO_LEVEL:
        for alert in create_alerts(incident=incident, now=now):
            _deliver_alert(incident, alert)
    return incident


def _person_rows(incident: Incident, people: Iterable[dict[str, Any]]) -> list[IncidentPerson]:
    """The incident's people as typed, each student's details from their record as it stood on
    the incident's day; the incident takes what it keeps of them (Incident.take_people)."""
    rows = [IncidentPerson(**{k: v for k, v in p.items() if k in PERSON_FIELDS}) for p in people]
    day = timezone.localdate(incident.occurred_at)
    for person in rows:
        if person.student is not None:
            # What the reports read of a student comes from the record, as on that day.
            for field, value in demographics_on(person.student, day).items():
                setattr(person, field, value)
    incident.take_people(rows)
    return rows


def _save_people(incident: Incident, rows: list[IncidentPerson]) -> None:
    for person in rows:
        person.incident = incident
    IncidentPerson.objects.bulk_create(rows)
    # A referral or an arrest on a person is a police contact: the same record (issue 17).
    sync_person_contacts(p.pk for p in rows)


@transaction.atomic
def add_people(*, incident: Incident, by: User, people: Iterable[dict[str, Any]]) -> int:
    """Add people to a logged incident (the report form leaves them optional, so that the
    first minute goes to the report itself). They count in every report as if they had been
    on the first report; the addition goes on the incident's timeline. Returns how many."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    before = incident.people.count()
    rows = _person_rows(incident, people)
    if not rows:
        return 0
    _save_people(incident, rows)
    incident.retention_until = incident.compute_retention_until()
    incident.save(
        update_fields=[
            "referred_to_law_enforcement",
            "school_related_arrest",
            "retention_until",
            "offenders",
            "victims",
        ]
    )
    IncidentCorrection.objects.create(
        incident=incident,
        corrected_by=by,
        changes={"People involved": [f"{before} recorded", f"{before + len(rows)} recorded"]},
    )
    return len(rows)


def _refuse_duplicate(token: uuid.UUID, user: User) -> None:
    first = Incident.objects.filter(submission_token=token, reported_by=user).first()
    if first is not None:
        raise DuplicateSubmission(first)


def add_attachment(*, incident: Incident, upload: UploadedFile, by: User) -> Attachment:
    name = upload.name or "attachment"
    return Attachment.objects.create(
        incident=incident,
        file=upload,
        original_name=name[:200],
        # Checked against the content in the form: the type follows the name, never the
        # browser's claim.
        content_type=ALLOWED_ATTACHMENT_TYPES.get(Path(name).suffix.lower(), "application/octet-stream"),
        size=upload.size or 0,
        uploaded_by=by,
    )


# What a correction may change: what the reporter reported.
CORRECTABLE = REPORTED_FIELDS


@transaction.atomic
def correct_incident(
    *,
    incident: Incident,
    by: User,
    changes: dict[str, Any],
    level_override: int | None = None,
    override_reason: str = "",
    reason: str = "",
) -> Incident:
    """Correct a logged incident and re-apply the threshold table to what it now says.
    Raising it to an SRO level alerts as a new report would (through the delivery ledger);
    lowering its level needs a reason. The correction is kept with old and new values."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    before = {name: _shown(incident, name) for name in [*CORRECTABLE, "level"]}
    old_level, old_school, old_time = incident.level, incident.school_id, incident.occurred_at
    for name, value in changes.items():
        if name in CORRECTABLE:
            setattr(incident, name, value)
    table_level, level, minutes = decide_level(
        category=incident.category,
        severity=incident.severity,
        level_override=level_override,
        override_reason=override_reason,
    )
    if level < old_level and not reason.strip():
        raise ValidationError({"reason": "Say why the intervention level is lowered."})
    incident.table_level, incident.level, incident.response_minutes = table_level, level, minutes
    incident.override_reason = override_reason.strip() if level != table_level else ""
    incident.overridden_by = by if level != table_level else None
    incident.save()
    after = {name: _shown(incident, name) for name in before}
    labels = {f.name: str(f.verbose_name).capitalize() for f in Incident._meta.concrete_fields}
    changed = {labels.get(n, n): [before[n], after[n]] for n in before if before[n] != after[n]}
    if not changed:
        return incident
    IncidentCorrection.objects.create(
        incident=incident, corrected_by=by, reason=reason.strip(), changes=changed
    )
    if before["occurred_at"] != after["occurred_at"]:
        # The students' statuses and grade are those of the corrected date.
        sync_involvements(incident.people.filter(student__isnull=False).values_list("student_id", flat=True))
    if incident.school_id != old_school or incident.occurred_at != old_time:
        # Its referrals and arrests are police contacts where and when the incident now is.
        follow_incident(incident=incident, moved_by=incident.occurred_at - old_time)
    if level >= SRO_LEVEL and level > old_level:
        now = timezone.now()
        existing = list(incident.alerts.select_related("recipient", "officer"))
        for alert in existing:
            if alert.acknowledged_at is None and alert.level < level:
                alert.level = level
                alert.due_at = now + datetime.timedelta(minutes=minutes) if minutes else alert.due_at
                alert.save(update_fields=["level", "due_at"])
                _deliver_alert(incident, alert, raised=True)
        for alert in create_alerts(incident=incident, now=now, existing=existing):
            _deliver_alert(incident, alert)
    return incident


def _shown(incident: Incident, name: str) -> str:
    """A field's value as people read it (for the correction's old and new values)."""
    value = getattr(incident, name)
    display = getattr(incident, f"get_{name}_display", None)
    if display is not None:
        return str(display())
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None:
        return "—"
    if isinstance(value, datetime.datetime):
        return moment(value)
    return str(value)


def create_alerts(
    *, incident: Incident, now: datetime.datetime, existing: Iterable[Alert] = ()
) -> list[Alert]:
    """One alert per SRO on duty at the school today, and per coordinator at the top levels.
    With no SRO on duty the coordinators are alerted instead, and their alerts must be
    acknowledged in the response window like an officer's (else they escalate). People in
    `existing` (alerted before a correction raised the level) get no second alert."""
    due = now + datetime.timedelta(minutes=incident.response_minutes) if incident.response_minutes else None
    seen = {a.officer_id for a in existing if a.officer_id}
    told = {a.recipient_id for a in existing if a.kind == AlertKind.COORDINATOR}
    alerts, on_duty = [], set()
    for assignment in Assignment.objects.sros_at(incident.school, timezone.localdate(now)):
        officer = assignment.officer
        on_duty.add(officer.pk)
        if officer.pk in seen:
            continue
        seen.add(officer.pk)
        alerts.append(
            Alert(
                incident=incident,
                kind=AlertKind.OFFICER,
                officer=officer,
                recipient=officer.user,
                email=officer.contact_email,
                level=incident.level,
                created_at=now,
                sent_at=now if officer.user is not None and officer.user.is_active else None,
                due_at=due,
            )
        )
    no_sro = not on_duty
    if no_sro:
        # Nobody to page at the school today: the coordinators must find someone.
        log.warning("incident %s: no SRO on duty at school %s today", incident.pk, incident.school_id)
    if incident.level >= COORDINATOR_LEVEL or no_sro:
        # The program's coordinators and the school's district's (User.objects.coordinators_for).
        for user in User.objects.coordinators_for(incident.school).exclude(pk__in=told):
            alerts.append(
                Alert(
                    incident=incident,
                    kind=AlertKind.COORDINATOR,
                    recipient=user,
                    email=user.email,
                    level=incident.level,
                    created_at=now,
                    sent_at=now,
                    due_at=(
                        due
                        or now
                        + datetime.timedelta(minutes=DEFAULT_RESPONSE_MINUTES[InterventionLevel.RESPONDS])
                    )
                    if no_sro
                    else None,
                )
            )
    if not alerts and not existing:
        log.error("incident %s: nobody to alert (no SRO on duty and no active coordinator)", incident.pk)
    return Alert.objects.bulk_create(alerts)


def _alert_title(incident: Incident) -> str:
    return f"{incident.get_level_display()}: {incident.category} at {incident.school}"


def alert_occasion(alert: Alert) -> str:
    return f"incident-alert:{alert.pk}"


def escalation_occasion(alert: Alert) -> str:
    return f"incident-escalation:{alert.pk}"


def _deliver_alert(incident: Incident, alert: Alert, *, raised: bool = False) -> None:
    url = reverse("incidents:detail", args=[incident.pk])
    notify(
        # A raised level is a new occasion for someone alerted before at a lower one.
        occasion=f"{alert_occasion(alert)}:raised-{alert.level}" if raised else alert_occasion(alert),
        template_prefix="incidents/email/alert",
        context={"incident": incident, "alert": alert, "url": f"{settings.SITE_URL}{url}"},
        user=alert.recipient,
        email=alert.email,
        title=("Raised to " if raised else "") + _alert_title(incident),
        url=url,
        level="danger" if alert.level >= InterventionLevel.RESPONDS else "warning",
        queue=Queue.ALERTS,
        due_at=alert.due_at,
    )


def mark_alert_reached(delivery: Delivery) -> None:
    """The mail server accepted an alert's email: the alert has reached its recipient (if the
    in-app notification had not already: an officer without a login)."""
    kind, _, pk = delivery.occasion.partition(":")
    if kind == "incident-alert" and pk.isdigit():
        Alert.objects.filter(pk=int(pk), sent_at__isnull=True).update(sent_at=delivery.sent_at)


def acknowledge_alert(*, alert: Alert, user: User) -> bool:
    """True if this call acknowledged it (a second click does nothing)."""
    if not alert.can_acknowledge(user):
        return False
    now = timezone.now()
    done = Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=user
    )
    if done:
        # The claim is an update(), which auditlog's signals do not see: record it here.
        LogEntry.objects.log_create(
            alert,
            action=LogEntry.Action.UPDATE,
            actor=user,
            changes={"acknowledged_at": ["None", now.isoformat()], "acknowledged_by": ["None", str(user)]},
        )
    return bool(done)


def escalate_overdue_alerts(*, now: datetime.datetime | None = None) -> list[int]:
    """Escalate each alert past its response window and not acknowledged (whether or not it
    reached its recipient): an officer's to their supervisor and the coordinators, a
    coordinator's (no SRO on duty) to the other coordinators. Each alert is claimed with an
    atomic update, in the same transaction as the deliveries it calls for, so a second or
    concurrent run escalates nothing twice and a crash loses nothing. One alert whose escalation
    fails is rolled back and left for the next run (and counted late by the health check); the
    others of the run are escalated all the same."""
    now = now or timezone.now()
    pending = Alert.objects.awaiting_escalation(now).values_list("pk", flat=True)
    claimed = []
    for pk in list(pending):
        try:
            with transaction.atomic():
                # Claimed only if still awaiting escalation (the same rule as `pending`): an
                # acknowledgement or another run that got there first leaves nothing to do.
                if Alert.objects.awaiting_escalation(now).filter(pk=pk).update(escalated_at=now):
                    _deliver_escalation(
                        Alert.objects.select_related(
                            "incident__school", "incident__category", "officer__supervisor__user", "recipient"
                        ).get(pk=pk)
                    )
                    claimed.append(pk)
        except (OperationalError, InterfaceError):
            raise  # the database itself is gone: the beat task runs again next minute
        except Exception:
            # Its id only (no student data); it stays unescalated, so the next run tries again.
            log.exception("escalation of alert %s failed; the other alerts go on", pk)
    return claimed


def _deliver_escalation(alert: Alert) -> None:
    incident = alert.incident
    url = reverse("incidents:detail", args=[incident.pk])
    for user, email in escalation_recipients(alert):
        notify(
            occasion=escalation_occasion(alert),
            template_prefix="incidents/email/escalation",
            context={"incident": incident, "alert": alert, "url": f"{settings.SITE_URL}{url}"},
            user=user,
            email=email,
            title=f"Not acknowledged in time: {_alert_title(incident)}",
            url=url,
            level="danger",
            queue=Queue.ALERTS,
        )


# --- Threat assessment -------------------------------------------------------------------


def classify_threat(
    *, assessment: ThreatAssessment, classification: str, by: User, summary: str = ""
) -> ThreatAssessment:
    """Set the classification and bring the checklist in line with it: the new level's
    steps are required; steps only a lower level needed stay on record as not required."""
    if assessment.status == ThreatStatus.CLOSED:
        raise ValidationError("This threat assessment is closed.")
    if classification == Classification.TRANSIENT and assessment.weapon_involved:
        raise ValidationError(
            {"classification": "Possession of a weapon is presumed a threat: classify it as substantive."}
        )
    with transaction.atomic():
        was_substantive = assessment.is_substantive
        assessment.classification = classification
        if summary:
            assessment.summary = summary
        assessment.save(update_fields=["classification", "summary"])
        wanted = dict(CHECKLISTS.get(classification, []))
        today = timezone.localdate()
        existing = {a.kind: a for a in assessment.actions.all()}
        for kind, days in wanted.items():
            action = existing.get(kind)
            if action is None:
                ThreatAction.objects.create(
                    assessment=assessment,
                    kind=kind,
                    required=True,
                    due_date=today + datetime.timedelta(days=days),
                )
            elif not action.required:
                action.required = True
                action.save(update_fields=["required"])
        for kind, action in existing.items():
            if kind not in wanted and action.required and action.done_at is None:
                action.required = False
                action.save(update_fields=["required"])
        if assessment.is_substantive and not was_substantive:
            request_threat_consultation(assessment=assessment)
    return assessment


def request_threat_consultation(*, assessment: ThreatAssessment) -> int:
    """Tell the school's SROs on duty that a substantive threat needs their consultation
    (written to the delivery ledger with the classification). Returns deliveries written."""
    url = reverse("incidents:threat_detail", args=[assessment.pk])
    written = 0
    officers = {a.officer for a in Assignment.objects.sros_at(assessment.school, timezone.localdate())}
    for officer in sorted(officers, key=lambda o: o.pk):
        written += len(
            notify(
                occasion=f"threat-consult:{assessment.pk}:{officer.pk}",
                template_prefix="incidents/email/threat-consult",
                context={"assessment": assessment, "url": f"{settings.SITE_URL}{url}"},
                user=officer.user,
                email=officer.contact_email,
                title=f"Threat assessment needs SRO consultation at {assessment.school}",
                url=url,
                level="warning",
                queue=Queue.ALERTS,
            )
        )
    return written


def complete_action(*, action: ThreatAction, by: User, notes: str = "") -> None:
    if action.done_at is not None:
        return
    if action.kind == "safety_plan" and not SafetyPlan.objects.filter(assessment=action.assessment).exists():
        raise ValidationError("Write the safety plan below before ticking this step.")
    action.done_at = timezone.now()
    action.done_by = by
    if notes:
        action.notes = notes
    action.save(update_fields=["done_at", "done_by", "notes"])


@transaction.atomic
def remind_overdue_threat_steps(*, today: datetime.date | None = None) -> int:
    """Remind the team of required steps past due and of safety plans due for review,
    once per step (or review date) and person. Returns deliveries written."""
    today = today or timezone.localdate()
    sent = 0
    overdue = (
        ThreatAction.objects.filter(
            required=True,
            done_at__isnull=True,
            due_date__lt=today,
            assessment__status=ThreatStatus.OPEN,
        )
        .select_related("assessment__school", "assessment__created_by")
        .prefetch_related("assessment__school__administrators")
    )
    for action in overdue:
        assessment = action.assessment
        url = reverse("incidents:threat_detail", args=[assessment.pk])
        for user in _threat_team_users(assessment):
            sent += len(
                notify(
                    occasion=f"threat-overdue:{action.pk}:{user.pk}",
                    template_prefix="incidents/email/threat-overdue",
                    context={"assessment": assessment, "action": action, "url": f"{settings.SITE_URL}{url}"},
                    user=user,
                    email=user.email,
                    title=f"Overdue threat-assessment step: {action.get_kind_display()}",
                    url=url,
                    level="warning",
                )
            )
    reviews = SafetyPlan.objects.filter(
        next_review_on__lte=today, assessment__status=ThreatStatus.OPEN
    ).select_related("assessment__school", "assessment__created_by")
    for plan in reviews:
        assessment = plan.assessment
        url = reverse("incidents:threat_detail", args=[assessment.pk])
        for user in _threat_team_users(assessment):
            sent += len(
                notify(
                    occasion=f"safety-plan-review:{plan.pk}:{plan.next_review_on}:{user.pk}",
                    template_prefix="incidents/email/safety-plan-review",
                    context={"assessment": assessment, "plan": plan, "url": f"{settings.SITE_URL}{url}"},
                    user=user,
                    email=user.email,
                    title="Safety plan due for its monitoring review",
                    url=url,
                    level="warning",
                )
            )
    return sent


def _threat_team_users(assessment: ThreatAssessment) -> list[User]:
    users = {assessment.created_by}
    users.update(assessment.school.administrators.filter(is_active=True))
    return sorted(users, key=lambda u: u.pk)


def declare_crdc_collection(
    *, district: District, school_year: int, by: User, **collected: bool
) -> CrdcCollection:
    """Record what an LEA collects in a school year (the CRDC's 0 versus blank)."""
    declaration, _ = CrdcCollection.objects.update_or_create(
        district=district,
        school_year=school_year,
        defaults={**collected, "declared_by": by, "declared_at": timezone.now()},
    )
    return declaration


def save_ssec_mapping(
    *,
    category: IncidentCategory,
    from_year: int,
    ssec: SsecCategory | None,
    split: str,
    split_to: SsecCategory | None,
    note: str,
    by: User,
) -> SsecMapping:
    """Report `category` to NYSED as `ssec` from `from_year` on: years before keep the mapping
    they were reported under; a mapping already starting that year is replaced."""
    mapping, _ = SsecMapping.objects.update_or_create(
        category=category,
        from_year=from_year,
        defaults={
            "ssec": ssec,
            "split": split,
            "split_to": split_to if split else None,
            "note": note,
            "changed_by": by,
            "changed_at": timezone.now(),
        },
    )
    return mapping
