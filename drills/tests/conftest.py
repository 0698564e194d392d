import datetime
import zoneinfo

import pytest

from drills.models import Drill, DrillType

TZ = zoneinfo.ZoneInfo("America/New_York")


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


def conducted(school, day, drill_type=DrillType.EVACUATION, hour=10, **extra) -> Drill:
    return Drill.objects.create(
        school=school, drill_type=drill_type, conducted_at=at(day, hour), duration_minutes=12, **extra
    )


def scheduled(school, day, drill_type=DrillType.LOCKDOWN, hour=10) -> Drill:
    return Drill.objects.create(school=school, drill_type=drill_type, scheduled_at=at(day, hour))


@pytest.fixture
def make_conducted():
    return conducted


@pytest.fixture
def make_scheduled():
    return scheduled
