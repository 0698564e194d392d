"""Police contacts, the equity report, program changes and the student timeline."""

import datetime

from django.utils import timezone

from . import FORBIDDEN, NOT_FOUND, OK, access, coordinator_only

STAFF = {
    "coordinator": OK,
    "coordinator_a": OK,
    "coordinator_b": OK,
    "admin_a": OK,
    "admin_b": OK,
    "officer_a": OK,
    "officer_b": OK,
}
ADMINS_AND_COORDINATORS = {**STAFF, "officer_a": FORBIDDEN, "officer_b": FORBIDDEN}


def student_at_a(world):
    from students.models import Enrollment, Student

    def build():
        student = Student.objects.create(
            district=world.school_a.district,
            sourced_id="auth-1",
            local_id="900001",
            first_name="Casey",
            last_name="Matrix",
            grade="10",
        )
        Enrollment.objects.create(
            student=student, school=world.school_a, begin_date=datetime.date(2020, 8, 1)
        )
        return student

    return world.once("student_a", build)


def contact_at_a(world):
    from contacts.services import record_contact

    def build():
        return record_contact(
            by=world.officer_a,
            school=world.school_a,
            student=student_at_a(world),
            kind="search",
            occurred_at=timezone.now() - datetime.timedelta(hours=2),
            officer=world.officer_a.officer,
            initiated_by="school",
        )

    return {"pk": world.once("contact_a", build).pk}


def change_in_a(world):
    from contacts.services import record_program_change

    def build():
        return record_program_change(
            by=world.coordinator,
            district=world.school_a.district,
            kind="pilot",
            effective_on=datetime.date(2025, 1, 6),
            schools=[world.school_a],
        )

    return {"pk": world.once("change_a", build).pk}


ENTRIES = {
    "contacts:list": access(**STAFF, note="each sees their schools' contacts"),
    "contacts:create": access(**STAFF),
    "contacts:detail": access(
        **{**STAFF, "coordinator_b": NOT_FOUND, "admin_b": NOT_FOUND, "officer_b": NOT_FOUND},
        kwargs=contact_at_a,
    ),
    "contacts:edit": access(
        **{**STAFF, "coordinator_b": NOT_FOUND, "admin_b": NOT_FOUND, "officer_b": NOT_FOUND},
        kwargs=contact_at_a,
    ),
    "contacts:equity": access(**ADMINS_AND_COORDINATORS, note="their own schools' figures"),
    "contacts:equity_publish": access(**ADMINS_AND_COORDINATORS),
    "contacts:equity_pdf": access(**ADMINS_AND_COORDINATORS),
    "contacts:change_list": coordinator_only(districts="both"),
    "contacts:evaluation": coordinator_only(districts="a", kwargs=change_in_a),
    # Names joined to incidents: coordinators and the student's school administrators only;
    # officers get a 404 like anyone outside the student's schools.
    "students:detail": access(
        coordinator=OK,
        coordinator_a=OK,
        coordinator_b=NOT_FOUND,
        admin_a=OK,
        admin_b=NOT_FOUND,
        officer_a=NOT_FOUND,
        officer_b=NOT_FOUND,
        kwargs=lambda world: {"pk": student_at_a(world).pk},
    ),
}
