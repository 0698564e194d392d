"""Workflows with side effects: logging an incident and applying the thresholds, alerting
and escalating, and the threat-assessment checklist."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from pathlib import Path

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.messaging import send_once
from officers.models import OfficerStatus
from schools.models import Assignment, School

from .models import (
    ALLOWED_ATTACHMENT_TYPES,
    CHECKLISTS,
    COORDINATOR_LEVEL,
    SRO_LEVEL,
    Alert,
    AlertKind,
    Attachment,
    Classification,
    Incident,
    IncidentCategory,
    IncidentPerson,
    InterventionLevel,
    SafetyPlan,
    ThreatAction,
    ThreatAssessment,
    ThreatStatus,
    threshold_for,
)

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
    """(table level, applied level, response minutes). Raises ValidationError for an
    override without a reason, or one that would page the SRO for a code-of-conduct matter."""
    table_level, minutes = threshold_for(category, severity)
    if level_override is None or level_override == table_level:
        return table_level, table_level, minutes
    if category.is_code_of_conduct and level_override > InterventionLevel.SCHOOL:
        raise ValidationError(
            {
                "level_override": "Code-of-conduct matters are handled by the school and never page the SRO. "
                "If a weapon, a threat or a crime is involved, choose that category instead."
            }
        )
    if not override_reason.strip():
        raise ValidationError({"override_reason": "Give a reason for overriding the threshold table."})
    if level_override == InterventionLevel.SCHOOL:
        minutes = None
    elif minutes is None or level_override > table_level:
        minutes = DEFAULT_RESPONSE_MINUTES[InterventionLevel(level_override)]
    return table_level, level_override, minutes


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
    people: Iterable[dict] = (),
    level_override: int | None = None,
    override_reason: str = "",
    attachments: Iterable = (),
    **details,
) -> Incident:
    """Log an incident, apply the threshold table and queue the alerts it calls for.

    `details` are the remaining Incident fields (weapon_type, injuries, the action flags)."""
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
        **details,
    )
    person_rows = [IncidentPerson(**{k: v for k, v in p.items() if k in PERSON_FIELDS}) for p in people]
    if any(p.referred_to_law_enforcement for p in person_rows):
        incident.referred_to_law_enforcement = True
    if any(p.school_related_arrest for p in person_rows):
        incident.school_related_arrest = True
    incident.retention_until = incident.compute_retention_until(person_rows)
    incident.save()
    for person in person_rows:
        person.incident = incident
    IncidentPerson.objects.bulk_create(person_rows)
    for upload in attachments:
        add_attachment(incident=incident, upload=upload, by=reported_by)
    if level >= SRO_LEVEL:
        create_alerts(incident=incident, now=now)
        transaction.on_commit(lambda: _queue_alerts(incident.pk))
    return incident


def _queue_alerts(incident_id: int) -> None:
    from .tasks import send_incident_alerts

    send_incident_alerts.delay(incident_id)


def add_attachment(*, incident: Incident, upload, by: User) -> Attachment:
    return Attachment.objects.create(
        incident=incident,
        file=upload,
        original_name=upload.name[:200],
        # Checked against the content in the form: the type follows the name, never the
        # browser's claim.
        content_type=ALLOWED_ATTACHMENT_TYPES.get(
            Path(upload.name).suffix.lower(), "application/octet-stream"
        ),
        size=upload.size,
        uploaded_by=by,
    )


def coordinators(school) -> list[User]:
    """The program coordinators and the coordinators of the school's district."""
    return list(User.objects.coordinators_for(school))


def create_alerts(*, incident: Incident, now: datetime.datetime) -> list[Alert]:
    """One alert per SRO assigned to the school today, and per coordinator at the top levels
    (or whenever no SRO is assigned to the school)."""
    due = now + datetime.timedelta(minutes=incident.response_minutes) if incident.response_minutes else None
    assignments = (
        Assignment.objects.active_on(timezone.localdate(now))
        .filter(school=incident.school, officer__status=OfficerStatus.ACTIVE)
        .select_related("officer__user")
    )
    alerts, seen = [], set()
    for assignment in assignments:
        officer = assignment.officer
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
                due_at=due,
            )
        )
    no_sro = not alerts
    if no_sro:
        # Nobody to page at the school today: the coordinator must find someone.
        log.warning("incident %s: no SRO assigned to %s today", incident.pk, incident.school)
    if incident.level >= COORDINATOR_LEVEL or no_sro:
        for user in coordinators(incident.school):
            alerts.append(
                Alert(
                    incident=incident,
                    kind=AlertKind.COORDINATOR,
                    recipient=user,
                    email=user.email,
                    level=incident.level,
                    created_at=now,
                )
            )
    return Alert.objects.bulk_create(alerts)


def _alert_title(incident: Incident) -> str:
    return f"{incident.get_level_display()}: {incident.category} at {incident.school}"


def send_incident_alerts(*, incident_id: int) -> int:
    """Send every alert of the incident not yet sent; each (alert, recipient) at most once."""
    incident = Incident.objects.select_related("school", "category").get(pk=incident_id)
    sent = 0
    url = reverse("incidents:detail", args=[incident.pk])
    for alert in incident.alerts.filter(sent_at__isnull=True).select_related("recipient", "officer"):
        send_once(
            key=f"incident-alert:{alert.pk}:{alert.recipient_id or alert.email}",
            template_prefix="incidents/email/alert",
            to=alert.email,
            context={"incident": incident, "alert": alert, "url": f"{settings.SITE_URL}{url}"},
            user=alert.recipient,
            notification_title=_alert_title(incident),
            notification_url=url,
            level="danger" if alert.level >= InterventionLevel.RESPONDS else "warning",
        )
        sent += Alert.objects.filter(pk=alert.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return sent


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
    """Claim each officer alert past its target and not acknowledged, and queue its
    escalation. The claim is an atomic update, so a second or concurrent run finds
    nothing to claim and an alert escalates once."""
    now = now or timezone.now()
    pending = Alert.objects.filter(
        kind=AlertKind.OFFICER, acknowledged_at__isnull=True, escalated_at__isnull=True, due_at__lte=now
    ).values_list("pk", flat=True)
    claimed = []
    for pk in list(pending):
        if Alert.objects.filter(pk=pk, escalated_at__isnull=True, acknowledged_at__isnull=True).update(
            escalated_at=now
        ):
            claimed.append(pk)
    from .tasks import send_alert_escalation

    for pk in claimed:
        transaction.on_commit(lambda pk=pk: send_alert_escalation.delay(pk))
    return claimed


def send_alert_escalation(*, alert_id: int) -> int:
    alert = Alert.objects.select_related(
        "incident__school", "incident__category", "officer__supervisor__user"
    ).get(pk=alert_id)
    incident = alert.incident
    url = reverse("incidents:detail", args=[incident.pk])
    recipients: list[tuple[User | None, str]] = []
    supervisor = alert.officer.supervisor if alert.officer_id else None
    if supervisor is not None:
        recipients.append((supervisor.user, supervisor.contact_email))
    recipients += [(user, user.email) for user in coordinators(incident.school)]
    sent = 0
    for user, email in recipients:
        sent += send_once(
            key=f"incident-escalation:{alert.pk}:{user.pk if user else email}",
            template_prefix="incidents/email/escalation",
            to=email,
            context={"incident": incident, "alert": alert, "url": f"{settings.SITE_URL}{url}"},
            user=user,
            notification_title=f"Not acknowledged in time: {_alert_title(incident)}",
            notification_url=url,
            level="danger",
        )
    return sent


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
            pk = assessment.pk
            transaction.on_commit(lambda: _queue_threat_consult(pk))
    return assessment


def _queue_threat_consult(assessment_id: int) -> None:
    from .tasks import send_threat_consultation

    send_threat_consultation.delay(assessment_id)


def send_threat_consultation(*, assessment_id: int) -> int:
    """Tell the school's SROs a substantive threat needs their consultation."""
    assessment = ThreatAssessment.objects.select_related("school").get(pk=assessment_id)
    url = reverse("incidents:threat_detail", args=[assessment.pk])
    sent = 0
    officers = (
        Assignment.objects.active_on(timezone.localdate())
        .filter(school=assessment.school, officer__status=OfficerStatus.ACTIVE)
        .select_related("officer__user")
    )
    for officer in {a.officer for a in officers}:
        sent += send_once(
            key=f"threat-consult:{assessment.pk}:{officer.pk}",
            template_prefix="incidents/email/threat-consult",
            to=officer.contact_email,
            context={"assessment": assessment, "url": f"{settings.SITE_URL}{url}"},
            user=officer.user,
            notification_title=f"Threat assessment needs SRO consultation at {assessment.school}",
            notification_url=url,
            level="warning",
        )
    return sent


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


def remind_overdue_threat_steps(*, today: datetime.date | None = None) -> int:
    """Remind the team of required steps past due and of safety plans due for review,
    once per step (or review date) and person."""
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
            sent += send_once(
                key=f"threat-overdue:{action.pk}:{user.pk}",
                template_prefix="incidents/email/threat-overdue",
                to=user.email,
                context={"assessment": assessment, "action": action, "url": f"{settings.SITE_URL}{url}"},
                user=user,
                notification_title=f"Overdue threat-assessment step: {action.get_kind_display()}",
                notification_url=url,
                level="warning",
            )
    reviews = SafetyPlan.objects.filter(
        next_review_on__lte=today, assessment__status=ThreatStatus.OPEN
    ).select_related("assessment__school", "assessment__created_by")
    for plan in reviews:
        assessment = plan.assessment
        url = reverse("incidents:threat_detail", args=[assessment.pk])
        for user in _threat_team_users(assessment):
            sent += send_once(
                key=f"safety-plan-review:{plan.pk}:{plan.next_review_on}:{user.pk}",
                template_prefix="incidents/email/safety-plan-review",
                to=user.email,
                context={"assessment": assessment, "plan": plan, "url": f"{settings.SITE_URL}{url}"},
                user=user,
                notification_title="Safety plan due for its monitoring review",
                notification_url=url,
                level="warning",
            )
    return sent


def _threat_team_users(assessment: ThreatAssessment) -> list[User]:
    users = {assessment.created_by}
    users.update(assessment.school.administrators.filter(is_active=True))
    return sorted(users, key=lambda u: u.pk)
