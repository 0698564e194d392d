"""Django's Redis cache, made unable to fail a request: with Redis down a read is a miss and
a write is skipped (logged once a minute at most), so a cache outage slows pages but never
fails a save or a page. CACHES uses it whenever CACHE_URL points at Redis."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger("sro.cache")
F = TypeVar("F", bound=Callable[..., Any])
_last_warning = 0.0


def _warn(operation: str, exc: Exception) -> None:
    global _last_warning
    if time.monotonic() - _last_warning > 60:
        _last_warning = time.monotonic()
        log.warning("cache unavailable (%s: %s); carrying on without it", operation, type(exc).__name__)


def _or(fallback: Callable[..., Any]) -> Callable[[F], F]:
    def decorate(method: F) -> F:
        @functools.wraps(method)
        def wrapper(self: ResilientRedisCache, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except (RedisError, OSError) as exc:
                _warn(method.__name__, exc)
                return fallback(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def _default(key: Any, default: Any = None, *args: Any, **kwargs: Any) -> Any:
    return default


class ResilientRedisCache(RedisCache):
    get = _or(_default)(RedisCache.get)
    get_many = _or(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _or(lambda *a, **k: False)(RedisCache.has_key)
    set = _or(lambda *a, **k: None)(RedisCache.set)
    add = _or(lambda *a, **k: False)(RedisCache.add)
    touch = _or(lambda *a, **k: False)(RedisCache.touch)
    set_many = _or(lambda *a, **k: [])(RedisCache.set_many)
    delete = _or(lambda *a, **k: False)(RedisCache.delete)
    delete_many = _or(lambda *a, **k: None)(RedisCache.delete_many)
