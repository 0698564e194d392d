"""Threat assessment: classification, checklists, safety plans, closing, reminders."""

import datetime

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import Notification
from incidents.models import ActionKind, Classification, SafetyPlan, ThreatAssessment
from incidents.services import classify_threat, complete_action, remind_overdue_threat_steps

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 2, 2)
NOON = datetime.datetime(2026, 2, 2, 17, 0, tzinfo=datetime.UTC)  # midday in New York


@pytest.fixture
def threat(admin_a, school_a):
    return ThreatAssessment.objects.create(
        school=school_a,
        student="S-4471",
        reported_on=TODAY,
        threat="Said in class he would 'get' another student after school.",
        created_by=admin_a,
        team_administrator="A. Principal",
        team_counselor="C. Counselor",
    )


def kinds(assessment, required=True):
    return {a.kind for a in assessment.actions.filter(required=required)}


@time_machine.travel(NOON, tick=False)
def test_each_level_brings_its_checklist(threat, admin_a):
    classify_threat(assessment=threat, classification=Classification.TRANSIENT, by=admin_a)
    assert kinds(threat) == {ActionKind.RESOLVE, ActionKind.NOTIFY_STUDENT_PARENTS, ActionKind.FOLLOW_UP}
    classify_threat(assessment=threat, classification=Classification.SERIOUS, by=admin_a)
    assert kinds(threat) == {
        ActionKind.NOTIFY_VICTIM,
        ActionKind.NOTIFY_STUDENT_PARENTS,
        ActionKind.PROTECTIVE_ACTION,
        ActionKind.CONSULT_SRO,
        ActionKind.FOLLOW_UP,
    }
    assert kinds(threat, required=False) == {ActionKind.RESOLVE}
    classify_threat(assessment=threat, classification=Classification.VERY_SERIOUS, by=admin_a)
    assert {ActionKind.MENTAL_HEALTH, ActionKind.SAFETY_PLAN, ActionKind.CONSULT_SRO} <= kinds(threat)
    assert threat.actions.get(kind=ActionKind.MENTAL_HEALTH).due_date == TODAY + datetime.timedelta(days=3)


def test_weapon_possession_is_presumed_substantive(threat, admin_a):
    threat.weapon_involved = True
    threat.save()
    with pytest.raises(ValidationError, match="presumed a threat"):
        classify_threat(assessment=threat, classification=Classification.TRANSIENT, by=admin_a)


def test_threat_cannot_be_closed_while_required_steps_are_open(threat, admin_a):
    with pytest.raises(ValidationError, match="Classify"):
        threat.close(by=admin_a)
    classify_threat(assessment=threat, classification=Classification.SERIOUS, by=admin_a)
    for action in list(threat.actions.all())[:-1]:
        complete_action(action=action, by=admin_a)
    with pytest.raises(ValidationError, match="Required steps are still open"):
        threat.close(by=admin_a)
    complete_action(action=threat.actions.filter(done_at__isnull=True).get(), by=admin_a)
    threat.close(by=admin_a)
    assert threat.status == "closed" and threat.closed_by == admin_a


def test_very_serious_threat_needs_an_implemented_safety_plan(threat, admin_a):
    classify_threat(assessment=threat, classification=Classification.VERY_SERIOUS, by=admin_a)
    plan_step = threat.actions.get(kind=ActionKind.SAFETY_PLAN)
    with pytest.raises(ValidationError, match="safety plan"):
        complete_action(action=plan_step, by=admin_a)
    plan = SafetyPlan.objects.create(assessment=threat, plan="Daily check-in with counselor; bag checks.")
    for action in threat.actions.all():
        complete_action(action=action, by=admin_a)
    with pytest.raises(ValidationError, match="implemented safety plan"):
        ThreatAssessment.objects.get(pk=threat.pk).close(by=admin_a)
    plan.implemented_on = TODAY
    plan.save()
    ThreatAssessment.objects.get(pk=threat.pk).close(by=admin_a)


def test_substantive_threat_asks_the_schools_sro_to_consult(
    threat, admin_a, officer_a, officer_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        classify_threat(assessment=threat, classification=Classification.SERIOUS, by=admin_a)
    assert Notification.objects.filter(user=officer_a, title__contains="SRO consultation").exists()
    assert not Notification.objects.filter(user=officer_b).exists()


def test_overdue_steps_are_reminded_once(threat, admin_a):
    with time_machine.travel(NOON, tick=False):
        classify_threat(assessment=threat, classification=Classification.SERIOUS, by=admin_a)
    with time_machine.travel(NOON + datetime.timedelta(days=1), tick=False):
        # The three same-day steps, to the one administrator: in the app and by email.
        assert remind_overdue_threat_steps() == 3 * 2
    with time_machine.travel(NOON + datetime.timedelta(days=2), tick=False):
        # Consult SRO (due day 1) is now overdue too; the others were already reminded.
        assert remind_overdue_threat_steps() == 1 * 2
        assert remind_overdue_threat_steps() == 0
    assert Notification.objects.filter(user=admin_a, title__startswith="Overdue").count() == 4


# --- Views --------------------------------------------------------------------------------


def test_administrator_opens_classifies_and_works_the_checklist(admin_a_client, school_a):
    response = admin_a_client.post(
        reverse("incidents:threat_create"),
        {
            "school": school_a.pk,
            "student": "K.L.",
            "reported_on": "2026-01-10",
            "threat": "Threatened to bring a gun",
        },
    )
    assessment = ThreatAssessment.objects.get()
    assert response.url == assessment.get_absolute_url()
    admin_a_client.post(
        reverse("incidents:threat_classify", args=[assessment.pk]),
        {"classification": "very_serious", "summary": "Specific plan, access to a weapon"},
    )
    page = admin_a_client.get(assessment.get_absolute_url()).text
    assert "Mental health evaluation" in page and "Write and implement a safety plan" in page
    response = admin_a_client.post(reverse("incidents:threat_close", args=[assessment.pk]), follow=True)
    assert "It cannot be closed yet" in response.text
    assessment.refresh_from_db()
    assert assessment.status == "open"


def test_threat_form_errors_keep_input(admin_a_client, school_a):
    response = admin_a_client.post(
        reverse("incidents:threat_create"),
        {"school": school_a.pk, "student": "K.L.", "reported_on": "2099-01-01", "threat": "   "},
    )
    assert response.status_code == 200
    assert "This is in the future" in response.text
    assert "Write down what the student said or did." in response.text
    assert 'value="K.L."' in response.text


def test_officer_sees_only_substantive_threats_at_their_school(
    officer_a_client, officer_b_client, threat, admin_a
):
    url = threat.get_absolute_url()
    assert officer_a_client.get(url).status_code == 404  # still being evaluated
    classify_threat(assessment=threat, classification=Classification.SERIOUS, by=admin_a)
    assert officer_a_client.get(url).status_code == 200
    assert officer_b_client.get(url).status_code == 404
    assert officer_a_client.get(reverse("incidents:threat_create")).status_code == 403
    assert officer_a_client.post(reverse("incidents:threat_close", args=[threat.pk])).status_code == 403


def test_officer_can_tick_the_consultation_step(officer_a, officer_a_client, threat, admin_a):
    classify_threat(assessment=threat, classification=Classification.SERIOUS, by=admin_a)
    step = threat.actions.get(kind=ActionKind.CONSULT_SRO)
    officer_a_client.post(
        reverse("incidents:threat_action_done", args=[threat.pk, step.pk]), {"notes": "Talked to AP"}
    )
    step.refresh_from_db()
    assert step.done_by == officer_a and step.notes == "Talked to AP"


def test_other_school_administrator_cannot_see_the_threat(admin_b_client, threat):
    assert admin_b_client.get(threat.get_absolute_url()).status_code == 404
    assert (
        admin_b_client.post(
            reverse("incidents:threat_classify", args=[threat.pk]), {"classification": "transient"}
        ).status_code
        == 404
    )
    assert list(admin_b_client.get(reverse("incidents:threat_list")).context["page_obj"]) == []


def test_viewing_a_threat_is_an_audited_access(admin_a_client, threat):
    admin_a_client.get(threat.get_absolute_url())
    assert LogEntry.objects.filter(
        content_type__model="threatassessment", object_pk=str(threat.pk), action=LogEntry.Action.ACCESS
    ).exists()


def test_threat_list_query_count_is_flat(admin_a, admin_a_client, school_a, django_assert_max_num_queries):
    for n in range(30):
        t = ThreatAssessment.objects.create(
            school=school_a, student=f"S{n}", reported_on=TODAY, threat="x", created_by=admin_a
        )
        classify_threat(assessment=t, classification=Classification.SERIOUS, by=admin_a)
    with django_assert_max_num_queries(10):
        response = admin_a_client.get(reverse("incidents:threat_list"))
    assert len(response.context["page_obj"]) == 25


def test_threat_assessment_opened_from_an_incident_is_linked(admin_a, admin_a_client, school_a, log_incident):
    incident = log_incident(school=school_a, reported_by=admin_a, category="other_threat")
    url = reverse("incidents:threat_create") + f"?incident={incident.pk}"
    form = admin_a_client.get(url)
    assert form.context["form"].initial["school"] == school_a.pk
    admin_a_client.post(
        url,
        {"school": school_a.pk, "student": "Q.R.", "reported_on": "2026-01-10", "threat": "Said he'd shoot"},
    )
    assessment = ThreatAssessment.objects.get()
    assert assessment.incident == incident
    assert f"Threat assessment {assessment.pk}" in admin_a_client.get(incident.get_absolute_url()).text


def test_threat_from_another_schools_incident_is_refused(admin_a, admin_b_client, school_a, log_incident):
    incident = log_incident(school=school_a, reported_by=admin_a, category="other_threat")
    response = admin_b_client.get(reverse("incidents:threat_create") + f"?incident={incident.pk}")
    assert response.status_code == 404


def test_a_safety_plan_or_classification_with_mistakes_keeps_what_was_typed(admin_a_client, threat):
    response = admin_a_client.post(
        reverse("incidents:threat_safety_plan", args=[threat.pk]),
        {"plan": "", "monitoring_notes": "Check in with the counselor each morning."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: " in html
    assert '<a class="alert-link" href="#id_plan">Plan: This field is required.</a>' in html
    assert "Check in with the counselor each morning." in html
    assert not SafetyPlan.objects.exists()

    response = admin_a_client.post(
        reverse("incidents:threat_classify", args=[threat.pk]), {"summary": "Talked with both students."}
    )
    assert response.status_code == 400
    assert 'href="#id_classification_0">Classification: This field is required.' in response.content.decode()
    assert "Talked with both students." in response.content.decode()
