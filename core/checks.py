"""System checks of our own (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def shared_cache_for_cached_figures(app_configs, **kwargs):
    """core.datacache learns of a change through the cache: with a per-process cache, a
    change saved by one gunicorn worker (or the Celery worker) would not reach the others,
    which would show figures kept from before it."""
    backend = settings.CACHES["default"]["BACKEND"]
    if getattr(settings, "DATA_CACHE_SECONDS", 0) and backend in PER_PROCESS_CACHES:
        return [
            Warning(
                "Cached figures need a cache shared by every process.",
                hint="Set CACHE_URL to Redis (e.g. redis://cache:6379/1), or DATA_CACHE_SECONDS=0.",
                id="core.W001",
            )
        ]
    return []
