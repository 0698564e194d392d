"""Which pages the benchmark measures: every GET page of the URLconf, as the authorization
matrix (tests/authorization) lists them, for the persona that uses it, with objects and
filters taken from the large district.

A page is a URL name the matrix expects some persona to GET with a 200. Left out, each for a
reason (`NOT_MEASURED`): pages behind a secret token (calendar feeds, survey invitations and
links; a password-reset link is no 200 page), downloads of uploaded files, and pages of records
`seed_large` does not make (police contacts, program changes, roster imports).
bench/tests/test_pages.py keeps this list equal to the URLconf's GET pages."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# The bench's sign-ins for the matrix's personas (bench.district's users).
USERNAMES = {"coordinator": "bench-coordinator", "admin": "bench-admin-001", "officer": "bench-officer-001"}
PERSONA_OF = {
    "coordinator": "coordinator",
    "admin_a": "admin",
    "officer_a": "officer",
    "anonymous": "anonymous",
}

NOT_MEASURED = {
    "drills:feed": "secret token (a calendar feed's address)",
    "surveys:answer": "secret token (an invitation)",
    "surveys:answer_link": "secret token (a shareable link)",
    "incidents:attachment_download": "serves an uploaded file; seed_large uploads none",
    "training:certificate": "serves an uploaded file; seed_large uploads none",
    "officers:agreement_document": "serves an uploaded file; seed_large uploads none",
}

# Pages used first of all by someone other than the first persona the matrix lets in.
USED_BY = {
    "incidents:create": "admin",
    "incidents:preview": "admin",
    "incidents:threat_create": "admin",
    "reports:my_schools": "admin",
}

# Streamed downloads: the benchmark times their first bytes.
EXPORTS = {
    "incidents:export",
    "officers:note_export",
    "reports:dashboard_csv",
    "training:matrix_csv",
    "training:record_csv",
}


@dataclass
class Page:
    key: str
    title: str
    url_name: str
    who: str  # "coordinator", "admin", "officer" or "anonymous"
    url: str = ""
    first_bytes: bool = False
    times: list[float] = field(default_factory=list)
    failures: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    queries: int | None = None
    error: str = ""
    spent: float = 0.0
    sql_ms: float | None = None
    cold_ms: float | None = None
    cold_queries: int | None = None
    slowest: list[tuple[float, str]] = field(default_factory=list)


def get_pages() -> dict[str, str]:
    """Every URL name the matrix has a persona GET with a 200, minus NOT_MEASURED, and the
    bench persona that uses it."""
    from tests.authorization import OK, matrix

    pages = {}
    for name, entry in sorted(matrix().items()):
        if entry.method != "get" or name in NOT_MEASURED:
            continue
        allowed = [persona for persona, outcome in entry.expect.items() if outcome == OK]
        if not allowed:
            continue
        if name in USED_BY:
            pages[name] = USED_BY[name]
        elif len(allowed) == len(entry.expect):  # a public page: as a visitor
            pages[name] = "anonymous"
        else:
            first = next(p for p in PERSONA_OF if p in allowed)
            pages[name] = PERSONA_OF[first]
    return pages


def _school_year_start(today: datetime.date) -> datetime.date:
    return datetime.date(today.year if today.month >= 7 else today.year - 1, 7, 1)


class Objects:
    """The large district's objects the pages show, looked up once each."""

    def __init__(self) -> None:
        from django.utils import timezone

        from accounts.models import User

        self.today = timezone.localdate()
        self.users = {who: User.objects.get(username=name) for who, name in USERNAMES.items()}
        self.officer = self.users["officer"].officer_record
        self.school = self.users["admin"].administered_schools.order_by("pk").first()

    def incident(self) -> int:
        from incidents.models import IncidentPerson

        # A recent incident at the administrator's school with people involved.
        return (
            IncidentPerson.objects.filter(
                incident__school=self.school, incident__occurred_at__date__lte=self.today
            )
            .order_by("-incident__occurred_at")
            .values_list("incident_id", flat=True)
            .first()
        )

    def first(self, model_label: str, **filters: Any) -> int:
        from django.apps import apps

        pk = (
            apps.get_model(model_label)
            .objects.filter(**filters)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        assert pk is not None, f"the large district has no {model_label} {filters or ''}"
        return pk

    def own_note(self, *, editable: bool) -> int:
        from officers.models import ActivityNote

        notes = ActivityNote.objects.filter(officer=self.officer)
        since = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=7)
        notes = notes.filter(created_at__gte=since) if editable else notes.filter(created_at__lt=since)
        pk = notes.order_by("-created_at").values_list("pk", flat=True).first()
        assert pk is not None, f"bench-officer-001 has no {'editable' if editable else 'locked'} note"
        return pk


# URL arguments, from the large district (every route with arguments needs one).
ARGS: dict[str, Callable[[Objects], dict[str, Any]]] = {
    # The newest contact anywhere (the coordinator's pages): a school of a small district may
    # have none (contacts come from its incidents' referrals and arrests).
    "contacts:detail": lambda o: {"pk": o.first("contacts.PoliceContact")},
    "contacts:edit": lambda o: {"pk": o.first("contacts.PoliceContact")},
    "contacts:evaluation": lambda o: {"pk": o.first("contacts.ProgramChange")},
    "drills:create": lambda o: {"school_pk": o.school.pk},
    "drills:summer": lambda o: {"school_pk": o.school.pk},
    "drills:school": lambda o: {"pk": o.school.pk},
    "drills:detail": lambda o: {"pk": o.first("drills.Drill", school=o.school)},
    "drills:edit": lambda o: {"pk": o.first("drills.Drill", school=o.school)},
    "drills:delete": lambda o: {"pk": o.first("drills.Drill", school=o.school)},
    "drills:requirement_edit": lambda o: {"pk": o.first("drills.DrillRequirement")},
    "drills:requirement_delete": lambda o: {"pk": o.first("drills.DrillRequirement")},
    "incidents:detail": lambda o: {"pk": o.incident()},
    "incidents:edit": lambda o: {"pk": o.incident()},
    "incidents:people": lambda o: {"pk": o.incident()},
    "incidents:pdf": lambda o: {"pk": o.incident()},
    "incidents:alerts_json": lambda o: {"pk": o.incident()},
    "incidents:crdc_collection": lambda o: {"district_pk": o.school.district_id},
    "incidents:threat_detail": lambda o: {"pk": o.first("incidents.ThreatAssessment")},
    "officers:detail": lambda o: {"pk": o.officer.pk},
    "officers:update": lambda o: {"pk": o.officer.pk},
    "officers:deactivate": lambda o: {"pk": o.officer.pk},
    "officers:reactivate": lambda o: {"pk": o.officer.pk},
    "officers:week": lambda o: {"pk": o.officer.pk},
    "officers:agency_detail": lambda o: {"pk": o.officer.agency_id},
    "officers:agency_update": lambda o: {"pk": o.officer.agency_id},
    "officers:agency_delete": lambda o: {"pk": o.officer.agency_id},
    "officers:agreement_create": lambda o: {"agency_pk": o.officer.agency_id},
    "officers:agreement_update": lambda o: {"pk": o.first("officers.Agreement", agency=o.officer.agency_id)},
    "officers:agreement_delete": lambda o: {"pk": o.first("officers.Agreement", agency=o.officer.agency_id)},
    "officers:note_detail": lambda o: {"pk": o.own_note(editable=False)},
    "officers:note_update": lambda o: {"pk": o.own_note(editable=True)},
    "officers:note_amend": lambda o: {"pk": o.own_note(editable=False)},
    "schools:detail": lambda o: {"pk": o.school.pk},
    "schools:update": lambda o: {"pk": o.school.pk},
    "schools:delete": lambda o: {"pk": o.school.pk},
    "schools:district_update": lambda o: {"pk": o.school.district_id},
    "schools:assignment_update": lambda o: {"pk": o.first("schools.Assignment", school=o.school)},
    "students:detail": lambda o: {"pk": o.first("students.Student", enrollments__school=o.school)},
    "students:import_detail": lambda o: {"pk": o.first("students.RosterImport")},
    "surveys:detail": lambda o: {"pk": o.first("surveys.Survey")},
    "surveys:results": lambda o: {"pk": o.first("surveys.Survey")},
    "training:officer": lambda o: {"pk": o.officer.pk},
    "training:course_edit": lambda o: {"pk": o.first("training.Course")},
    "training:record_detail": lambda o: {"pk": o.first("training.TrainingRecord", officer=o.officer)},
    "training:record_edit": lambda o: {"pk": o.first("training.TrainingRecord", officer=o.officer)},
    "training:requirement_edit": lambda o: {"pk": o.first("training.Requirement")},
    "training:requirement_delete": lambda o: {"pk": o.first("training.Requirement")},
}


def _since_last_year(o: Objects) -> dict[str, str]:
    start = _school_year_start(o.today)
    return {"date_from": start.replace(year=start.year - 1).isoformat(), "date_to": o.today.isoformat()}


# Lists measured filtered as well as not: the query of the filtered one.
FILTERED: dict[str, Callable[[Objects], dict[str, Any]]] = {
    "incidents:list": lambda o: {"school": o.school.pk, "status": "closed", **_since_last_year(o)},
    "incidents:threat_list": lambda o: {"status": "closed", "district": o.school.district_id},
    "officers:note_list": lambda o: {"officer": o.officer.pk},
    "training:record_list": lambda o: {"officer": o.officer.pk},
    "core:audit_log": lambda o: {"actor": "bench-coordinator"},
    "schools:assignment_list": lambda o: {"school": o.school.pk},
}


def build_pages() -> list[Page]:
    """The trivial view first (signed in, then anonymous), then every page, URLs resolved."""
    from urllib.parse import urlencode

    from django.urls import reverse

    objects = Objects()
    pages = [
        Page("trivial", "Trivial view (GET /healthz, signed in)", "core:health", "coordinator"),
        Page("trivial_anon", "Trivial view (GET /healthz, anonymous)", "core:health", "anonymous"),
    ]
    for name, who in get_pages().items():
        kwargs = ARGS[name](objects) if name in ARGS else None
        url = reverse(name, kwargs=kwargs)
        pages.append(Page(name, name, name, who, url=url, first_bytes=name in EXPORTS))
        if name in FILTERED:
            query = urlencode(FILTERED[name](objects))
            pages.append(Page(f"{name}?filtered", f"{name} (filtered)", name, who, url=f"{url}?{query}"))
    pages[0].url = pages[1].url = reverse("core:health")
    return pages
