"""Incidents, alerts, attachments, threat assessments, thresholds, CRDC/SSEC reports."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from . import (
    FORBIDDEN,
    MANAGED_AT_A,
    NOT_FOUND,
    OK,
    REDIRECT,
    REFUSED,
    access,
    coordinator_only,
    school_a_scoped,
    signed_in,
)


def _incident(world):
    """A weapons incident at school A, logged by its administrator: officer_a is alerted."""

    def build():
        from incidents.defaults import install_defaults
        from incidents.models import IncidentCategory, Threshold
        from incidents.services import report_incident

        install_defaults(IncidentCategory, Threshold)
        return report_incident(
            school=world.school_a,
            reported_by=world.admin_a,
            category=IncidentCategory.objects.get(code="weapons"),
            severity="moderate",
            occurred_at=timezone.now() - datetime.timedelta(hours=1),
            location="hallway",
            description="A student showed a knife in the hallway.",
        )

    return world.once("incident", build)


def incident_at_a(world):
    return {"pk": _incident(world).pk}


def attachment_at_a(world):
    def build():
        from incidents.services import add_attachment

        upload = SimpleUploadedFile("statement.pdf", b"%PDF-1.4 statement", "application/pdf")
        return add_attachment(incident=_incident(world), upload=upload, by=world.admin_a)

    return {"pk": world.once("attachment", build).pk}


def alert_for_officer_a(world):
    return {"pk": _incident(world).alerts.get(recipient=world.officer_a).pk}


def _threat(world):
    """A threat report at school A classified serious (substantive: officer_a sees it)."""

    def build():
        from incidents.models import Classification, ThreatAssessment
        from incidents.services import classify_threat

        threat = ThreatAssessment.objects.create(
            school=world.school_a,
            student="S-4471",
            reported_on=timezone.localdate(),
            threat="Said he would 'get' another student after school.",
            created_by=world.admin_a,
        )
        classify_threat(assessment=threat, classification=Classification.SERIOUS, by=world.admin_a)
        return threat

    return world.once("threat", build)


def threat_at_a(world):
    return {"pk": _threat(world).pk}


def threat_step_at_a(world):
    threat = _threat(world)
    return {"pk": threat.pk, "action_pk": threat.actions.filter(required=True).first().pk}


# Actions on a record in scope: everyone who can see it acts; others get 404.
IN_SCOPE_ACTION = {
    "coordinator": REDIRECT,
    "coordinator_a": REDIRECT,
    "coordinator_b": NOT_FOUND,
    "admin_a": REDIRECT,
    "admin_b": NOT_FOUND,
    "officer_a": REDIRECT,
    "officer_b": NOT_FOUND,
}
# Classifying, planning and closing a threat are the school team's: officers get 403.
TEAM_ACTION = {**IN_SCOPE_ACTION, "officer_a": FORBIDDEN, "officer_b": FORBIDDEN}


def refused(expected: dict) -> dict:
    """The same people let in, posting a form with a mistake: its page again, with the errors."""
    return {persona: REFUSED if code == REDIRECT else code for persona, code in expected.items()}


ENTRIES = {
    "incidents:list": signed_in(),
    "incidents:export": signed_in(),
    "incidents:create": signed_in(),
    "incidents:preview": signed_in(note="for the user's own schools only"),
    "incidents:detail": school_a_scoped(kwargs=incident_at_a),
    "incidents:pdf": school_a_scoped(kwargs=incident_at_a),
    "incidents:status": access(
        **refused(IN_SCOPE_ACTION), kwargs=incident_at_a, method="post", data=lambda world: {"status": ""}
    ),
    "incidents:attachment_upload": access(**refused(IN_SCOPE_ACTION), kwargs=incident_at_a, method="post"),
    "incidents:attachment_download": school_a_scoped(kwargs=attachment_at_a),
    # An alert is its recipient's to acknowledge; for anyone else it does not exist.
    "incidents:alert_acknowledge": access(
        coordinator=NOT_FOUND,
        coordinator_a=NOT_FOUND,
        coordinator_b=NOT_FOUND,
        admin_a=NOT_FOUND,
        admin_b=NOT_FOUND,
        officer_a=REDIRECT,
        officer_b=NOT_FOUND,
        kwargs=alert_for_officer_a,
        method="post",
    ),
    "incidents:alerts_json": school_a_scoped(kwargs=incident_at_a),
    # Acknowledging several: each user acknowledges only their own alerts (others are ignored).
    "incidents:alerts_acknowledge": signed_in(REDIRECT, method="post"),
    "incidents:my_alerts_json": signed_in(note="the signed-in user's own alerts only"),
    # One threshold table and category list for the whole program.
    "incidents:thresholds": coordinator_only(districts="program"),
    "incidents:threshold_guide": signed_in(note="the program's written thresholds, read-only"),
    # Correcting: the reporting school's administrators and coordinators; officers 403.
    "incidents:edit": access(**MANAGED_AT_A, kwargs=incident_at_a),
    # Adding people: as correcting.
    "incidents:people": access(**MANAGED_AT_A, kwargs=incident_at_a),
    "incidents:categories": coordinator_only(districts="program"),
    "incidents:threat_list": signed_in(),
    "incidents:threat_create": access(
        coordinator=OK,
        coordinator_a=OK,
        coordinator_b=OK,
        admin_a=OK,
        admin_b=OK,
        officer_a=FORBIDDEN,
        officer_b=FORBIDDEN,
    ),
    "incidents:threat_detail": school_a_scoped(kwargs=threat_at_a),
    "incidents:threat_classify": access(
        **TEAM_ACTION, kwargs=threat_at_a, method="post", data=lambda world: {"classification": "serious"}
    ),
    "incidents:threat_action_done": access(**IN_SCOPE_ACTION, kwargs=threat_step_at_a, method="post"),
    "incidents:threat_safety_plan": access(**refused(TEAM_ACTION), kwargs=threat_at_a, method="post"),
    "incidents:threat_close": access(**TEAM_ACTION, kwargs=threat_at_a, method="post"),
    # Each district coordinator sees their LEA's figures only (incidents/tests/test_reports.py);
    # what is collected and where a category is reported are the program's, one for every LEA.
    "incidents:crdc_report": coordinator_only(districts="both"),
    "incidents:ssec_report": coordinator_only(districts="both"),
    # Each LEA declares what it collects: district A's, here.
    "incidents:crdc_collection": coordinator_only(
        districts="a", kwargs=lambda world: {"district_pk": world.school_a.district_id}
    ),
    "incidents:ssec_mappings": coordinator_only(districts="program"),
}
