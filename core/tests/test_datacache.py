"""core.datacache: a cached figure is reused until the data under it changes."""

import pytest

from core import datacache
from schools.models import School

pytestmark = pytest.mark.django_db


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return f"computed {self.calls}"


def test_a_value_is_kept_until_a_model_of_its_topic_is_saved(school_a, django_capture_on_commit_callbacks):
    compute = Counter()
    assert datacache.remember(("x",), ["drills"], compute) == "computed 1"
    assert datacache.remember(("x",), ["drills"], compute) == "computed 1"
    school_a.name = "Alpha High School (renamed)"
    with django_capture_on_commit_callbacks(execute=True):
        school_a.save()
    assert datacache.remember(("x",), ["drills"], compute) == "computed 2"
    with django_capture_on_commit_callbacks(execute=True):
        school_a.delete()
    assert datacache.remember(("x",), ["drills"], compute) == "computed 3"


def test_parts_tell_values_apart():
    compute = Counter()
    assert datacache.remember(("x", 2025), ["drills"], compute) == "computed 1"
    assert datacache.remember(("x", 2026), ["drills"], compute) == "computed 2"
    assert datacache.remember(("x", 2025), ["drills"], compute) == "computed 1"


def test_other_topics_keep_their_values(school_a):
    from incidents.models import IncidentCategory

    compute = Counter()
    datacache.remember(("x",), ["drills"], compute)
    IncidentCategory.objects.create(name="Other", code="other-test")  # an "incidents" model
    assert datacache.remember(("x",), ["drills"], compute) == "computed 1"


def test_a_change_bumps_the_version_when_its_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        before = datacache.version("drills")
        School.objects.create(name="Charlie Elementary", level="elementary")
        School.objects.create(name="Delta Elementary", level="elementary")
        # Not before the commit: the cache is never on a write's critical path, and what a
        # request reads meanwhile is still the data before the change.
        assert datacache.version("drills") == before
    assert callbacks
    assert datacache.version("drills") != before


def test_a_cache_outage_never_fails_a_save(school_a, settings, django_capture_on_commit_callbacks):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        school_a.name = "Alpha High School (renamed)"
        school_a.save()
    school_a.refresh_from_db()
    assert school_a.name == "Alpha High School (renamed)"
    compute = Counter()
    assert datacache.remember(("x",), ["drills"], compute) == "computed 1"  # worked out, not kept
    assert datacache.remember(("x",), ["drills"], compute) == "computed 2"


def test_zero_seconds_turns_the_cache_off(settings):
    settings.DATA_CACHE_SECONDS = 0
    compute = Counter()
    datacache.remember(("x",), ["drills"], compute)
    assert datacache.remember(("x",), ["drills"], compute) == "computed 2"
