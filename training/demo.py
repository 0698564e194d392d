"""Demo training records for the six demo officers: a mix of current, expiring soon, expired,
missing, pending and rejected, with dates relative to today so the mix holds any day.
Idempotent: a course an officer already has a record of is left alone."""

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User
from officers.models import Officer

from .models import Course, RecordStatus, TrainingRecord

BASIC = "NASRO Basic SRO Course"
ADVANCED = "NASRO Advanced SRO Course"
CIT = "Crisis Intervention Team (CIT) Training"
ICAT = "De-escalation: ICAT (Integrating Communications, Assessment, and Tactics)"
AMH = "Adolescent Mental Health Training for SROs"
YMHFA = "Youth Mental Health First Aid"
ALERRT = "ALERRT Active Attack Integrated Response (AAIR)"
LAW = "School Law and FERPA for SROs"
CPR = "Heartsaver CPR AED and First Aid"

# Per officer badge: course -> (status, expiry offset in days from today for recurring courses,
# or days ago completed for one-time ones). A course left out is missing.
V, P, R = RecordStatus.VERIFIED, RecordStatus.PENDING, RecordStatus.REJECTED
PLANS = {
    # Sergeant Okafor: fully current, CPR expiring in seven weeks.
    "2101": {BASIC: (V, 900), ADVANCED: (V, 400), CIT: (V, 700), ICAT: (V, 300), AMH: (V, 500),
             YMHFA: (V, 600), ALERRT: (V, 250), LAW: (V, 200), CPR: (V, 50)},
    # Officer Kowalski (the `officer` login): YMHFA expiring, ALERRT submitted and waiting.
    "2217": {BASIC: (V, 480), CIT: (V, 430), ICAT: (V, 500), AMH: (V, 160), YMHFA: (V, 40),
             ALERRT: (P, 20), LAW: (V, 470), CPR: (V, 400)},
    # Officer Brennan: CPR lapsed three weeks ago.
    "2230": {BASIC: (V, 450), CIT: (V, 300), ICAT: (V, 460), AMH: (V, 120), YMHFA: (V, 700),
             ALERRT: (V, 90), LAW: (V, 455), CPR: (V, -21)},
    # Officer Delgado: Adolescent Mental Health missing, YMHFA expiring in ten days.
    "2245": {BASIC: (V, 600), CIT: (V, 520), ICAT: (V, 610), YMHFA: (V, 10), ALERRT: (V, 300),
             LAW: (V, 600), CPR: (V, 300)},
    # Officer Castillo: current, with one rejected submission (illegible photo).
    "2252": {BASIC: (V, 500), ADVANCED: (R, 30), CIT: (V, 350), ICAT: (V, 510), AMH: (V, 200),
             YMHFA: (V, 900), ALERRT: (V, 140), LAW: (V, 505), CPR: (V, 500)},
    # Investigator Tran: YMHFA expired, CIT missing with a pending record.
    "DA-07": {BASIC: (V, 800), CIT: (P, 12), ICAT: (V, 790), AMH: (V, 330), YMHFA: (V, -75),
              ALERRT: (V, 365), LAW: (V, 780), CPR: (V, 200)},
}  # fmt: skip


BLURRY = "The photo is too blurry to read the completion date; please upload a clearer one."


def tiny_pdf(text: str = "Certificate of completion") -> bytes:
    """A small, valid one-page PDF (for demo data and tests)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def seed(*, today, rng) -> str:
    courses = {c.name: c for c in Course.objects.all()}
    verifier = User.objects.active_coordinators().order_by("pk").first()
    officers = {o.badge_number: o for o in Officer.objects.filter(badge_number__in=PLANS)}
    have = set(TrainingRecord.objects.values_list("officer_id", "course_id"))
    now = timezone.now()
    new = []
    for badge, plan in PLANS.items():
        officer = officers.get(badge)
        if officer is None:
            continue
        for name, (status, offset) in plan.items():
            course = courses.get(name)
            if course is None or (officer.pk, course.pk) in have:
                continue
            if course.renewal_months:
                expires = today + datetime.timedelta(days=offset)
                completed = expires - relativedelta(months=course.renewal_months)
            else:
                completed = today - datetime.timedelta(days=offset)
            if status == V and verifier is None:
                status = P
            record = TrainingRecord(
                officer=officer,
                course=course,
                completed_on=completed,
                expires_on=course.expiry_for(completed),
                hours=course.hours if rng.random() < 0.8 else course.hours - Decimal("0.5"),
                provider=course.provider,
                status=status,
                submitted_by=officer.user,
                verified_by=verifier if status == V else None,
                verified_at=now if status == V else None,
                rejection_reason=BLURRY if status == R else "",
            )
            new.append(record)
    TrainingRecord.objects.bulk_create(new)
    # Pending and rejected records come with a certificate for the coordinator to check.
    for record in new:
        if record.status != V and record.pk:
            record.certificate.save(
                "certificate.pdf",
                ContentFile(tiny_pdf(f"{record.course.name}: {record.officer}")),
                save=False,
            )
            record.certificate_type = "application/pdf"
            TrainingRecord.objects.filter(pk=record.pk).update(
                certificate=record.certificate.name, certificate_type="application/pdf"
            )
    return f"{len(new)} training records created"
