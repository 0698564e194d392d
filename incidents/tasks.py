"""Thin Celery tasks: they take ids and call services. Sending is idempotent (send_once)."""

from celery import shared_task

from core.scheduling import SEND_RETRY as RETRY

from . import services


@shared_task(**RETRY)
def send_incident_alerts(incident_id: int) -> int:
    return services.send_incident_alerts(incident_id=incident_id)


@shared_task
def escalate_overdue_alerts() -> int:
    return len(services.escalate_overdue_alerts())


@shared_task(**RETRY)
def send_alert_escalation(alert_id: int) -> int:
    return services.send_alert_escalation(alert_id=alert_id)


@shared_task(**RETRY)
def send_threat_consultation(assessment_id: int) -> int:
    return services.send_threat_consultation(assessment_id=assessment_id)


@shared_task(**RETRY)
def remind_overdue_threat_steps() -> int:
    return services.remind_overdue_threat_steps()
