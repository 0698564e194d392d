import datetime
import importlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from conftest import make_officer, make_user
from training.demo import tiny_pdf
from training.models import Course, RecordStatus, Requirement, Timing, TrainingRecord

CPR = "Heartsaver CPR AED and First Aid"
YMHFA = "Youth Mental Health First Aid"
BASIC = "NASRO Basic SRO Course"


@pytest.fixture
def catalogue(db):
    """The catalogue the data migration seeds. Transactional tests (browser, real worker) empty
    every table when they finish, so seed it again if it is gone."""
    if not Course.objects.exists():
        from django.apps import apps

        importlib.import_module("training.migrations.0002_seed_catalogue").seed(apps, None)


@pytest.fixture
def cpr(catalogue):
    return Course.objects.get(name=CPR)  # renews every 24 months


@pytest.fixture
def ymhfa(catalogue):
    return Course.objects.get(name=YMHFA)  # renews every 36 months


@pytest.fixture
def basic(catalogue):
    return Course.objects.get(name=BASIC)  # one-time


@pytest.fixture
def requirements(cpr, ymhfa, basic):
    """A small, known rule set instead of the seeded one: CPR before starting, YMHFA within
    180 days, the NASRO Basic course within 365 days."""
    Requirement.objects.all().delete()
    return [
        Requirement.objects.create(course=cpr, timing=Timing.BEFORE_START),
        Requirement.objects.create(course=ymhfa, timing=Timing.WITHIN_DAYS, within_days=180),
        Requirement.objects.create(course=basic, timing=Timing.WITHIN_DAYS, within_days=365),
    ]


@pytest.fixture
def verifier(db):
    return make_user("verifier", "coordinator")


def add_record(officer, course, completed_on, *, status=RecordStatus.VERIFIED, verifier=None, **extra):
    record = TrainingRecord(
        officer=officer,
        course=course,
        completed_on=completed_on,
        hours=course.hours,
        provider=course.provider,
        status=status,
        **extra,
    )
    if status == RecordStatus.VERIFIED:
        from accounts.models import User

        record.verified_by = (
            verifier
            or User.objects.filter(role="coordinator").first()
            or make_user(f"v{TrainingRecord.objects.count()}", "coordinator")
        )
        record.verified_at = timezone.now()
    if status == RecordStatus.REJECTED:
        record.rejection_reason = "Unreadable"
    record.save()
    return record


@pytest.fixture
def officer_c(school_a, agency):
    return make_officer("officer_c", school_a, agency, "303")


def pdf_upload(name="certificate.pdf"):
    return SimpleUploadedFile(name, tiny_pdf(), content_type="application/pdf")


def png_upload(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)
