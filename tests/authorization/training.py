"""Training: compliance matrix, hours, records with certificates, requirements."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from . import FORBIDDEN, NOT_FOUND, OK, REDIRECT, access, coordinator_only

# Training pages are for officers (their own records) and the coordinator; administrators: 403.
OFFICERS_AND_COORDINATOR = {
    "coordinator": OK,
    # officer_a's agency serves both districts: both district coordinators see its officers.
    "coordinator_a": OK,
    "coordinator_b": OK,
    "admin_a": FORBIDDEN,
    "admin_b": FORBIDDEN,
    "officer_a": OK,
    "officer_b": OK,
}
# A record or page of officer_a: officer_b does not find it.
OFFICER_A_ONLY = {**OFFICERS_AND_COORDINATOR, "officer_b": NOT_FOUND}


def _course(world):
    from training.models import Course

    return world.once(
        "course",
        lambda: (
            Course.objects.filter(is_active=True).first()
            or Course.objects.create(name="Heartsaver CPR", provider="AHA", hours=4)
        ),
    )


def _record(world):
    def build():
        from training.models import RecordStatus, TrainingRecord

        course = _course(world)
        record = TrainingRecord.objects.create(
            officer=world.officer_a.officer,
            course=course,
            completed_on=timezone.localdate() - datetime.timedelta(days=30),
            hours=course.hours,
            provider=course.provider,
            status=RecordStatus.PENDING,
            submitted_by=world.officer_a,
            certificate_type="application/pdf",
        )
        record.certificate.save("certificate.pdf", ContentFile(b"%PDF-1.4 certificate"), save=True)
        return record

    return world.once("training_record", build)


def record_of_officer_a(world):
    return {"pk": _record(world).pk}


def requirement(world):
    from training.models import Requirement

    course = _course(world)
    found = Requirement.objects.filter(course=course).first()
    return {"pk": world.once("requirement", lambda: found or Requirement.objects.create(course=course)).pk}


ENTRIES = {
    "training:home": access(
        **{
            **OFFICERS_AND_COORDINATOR,
            "coordinator": REDIRECT,
            "coordinator_a": REDIRECT,
            "coordinator_b": REDIRECT,
            "officer_a": REDIRECT,
            "officer_b": REDIRECT,
        },
        note="sends each role to its page",
    ),
    "training:matrix": coordinator_only(districts="both"),
    "training:matrix_csv": coordinator_only(districts="both"),
    "training:hours": coordinator_only(districts="both"),
    "training:my_training": access(
        **{
            **OFFICERS_AND_COORDINATOR,
            "coordinator": NOT_FOUND,
            "coordinator_a": NOT_FOUND,
            "coordinator_b": NOT_FOUND,
        },
        note="coordinators have no officer record",
    ),
    "training:officer": access(**OFFICER_A_ONLY, kwargs=lambda world: {"pk": world.officer_a.officer.pk}),
    "training:record_list": access(**OFFICERS_AND_COORDINATOR),
    "training:record_csv": access(**OFFICERS_AND_COORDINATOR),
    "training:record_create": access(**OFFICERS_AND_COORDINATOR),
    "training:record_detail": access(**OFFICER_A_ONLY, kwargs=record_of_officer_a),
    "training:record_edit": access(**OFFICER_A_ONLY, kwargs=record_of_officer_a),
    "training:certificate": access(**OFFICER_A_ONLY, kwargs=record_of_officer_a),
    "training:record_verify": coordinator_only(
        REDIRECT, districts="both", kwargs=record_of_officer_a, method="post"
    ),
    "training:record_reject": coordinator_only(
        REDIRECT,
        districts="both",
        kwargs=record_of_officer_a,
        method="post",
        data=lambda world: {"reason": "Wrong course"},
    ),
    # The catalogue and the requirements are the program's: district coordinators read them.
    "training:course_create": coordinator_only(districts="program"),
    "training:course_edit": coordinator_only(
        districts="program", kwargs=lambda world: {"pk": _course(world).pk}
    ),
    "training:requirement_list": coordinator_only(districts="both"),
    "training:requirement_create": coordinator_only(districts="program"),
    "training:requirement_edit": coordinator_only(districts="program", kwargs=requirement),
    "training:requirement_delete": coordinator_only(
        districts="program", kwargs=requirement, note="GET is the confirmation page"
    ),
}
