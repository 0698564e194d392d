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


@pytest.fixture
def _fresh_kombu_pools():
    """kombu keeps a process-wide producer pool per broker URL; after one worker test closes
    it, the next would publish into the closed pool. Start each worker test with fresh pools
    (the root fixture's _reset_connections does not clear kombu's registry)."""
    from kombu import pools

    pools.reset()
    yield
    pools.reset()


@pytest.fixture
def celery_redis_worker(_fresh_kombu_pools, celery_redis_worker):
    return celery_redis_worker
