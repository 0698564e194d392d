"""Cached figures that stay true: costly district-wide pages (the CRDC report, the training
matrix, drill compliance) keep what they rendered until the data under them changes.

Each cached value is filed under the current *version* of the topics it reads. A topic is a
set of models (`watch`); saving or deleting any of them bumps the topic's version when the
transaction commits (at once outside one), so the next request after a change misses the
cache and works the figures out again: no waiting for a timeout. Writes that send no
signals (bulk_create, bulk_update, queryset.update) call `bump` themselves.

The cache is never on a write's critical path: a bump runs after the commit, and a cache
that cannot be reached is logged and skipped (the save stands; figures may then be up to
DATA_CACHE_SECONDS old, the bound below).

The cache is Django's default cache: per process unless `CACHE_URL` points at Redis, which
production should do so that every gunicorn worker shares the figures. Values also expire
after `DATA_CACHE_SECONDS` (default an hour; 0 turns caching off), a bound on the damage a
missed bump could do."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

T = TypeVar("T")
log = logging.getLogger("sro.datacache")

_TOPICS: dict[str, list[str]] = {}


def _version_key(topic: str) -> str:
    return f"datacache:version:{topic}"


def watch(topic: str, models: Iterable[str]) -> None:
    """Bump `topic` whenever one of `models` ("app_label.ModelName") is saved or deleted.
    Called from AppConfig.ready()."""
    _TOPICS.setdefault(topic, [])
    for model in models:
        if model in _TOPICS[topic]:
            continue
        _TOPICS[topic].append(model)

        def handler(sender, topic=topic, **kwargs):
            bump(topic)

        uid = f"datacache:{topic}:{model}"
        post_save.connect(handler, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(handler, sender=model, weak=False, dispatch_uid=uid)


def _increment(topic: str) -> None:
    key = _version_key(topic)
    try:
        try:
            cache.incr(key)
        except ValueError:  # not in the cache (yet, or any more): start from the clock
            cache.set(key, time.time_ns(), None)
    except Exception as exc:  # noqa: BLE001 - a cache outage must not fail the write
        log.warning("could not bump cached figures of %s (%s)", topic, type(exc).__name__)


def bump(topic: str) -> None:
    """The data of `topic` changed: what was cached for it is no longer used (from the
    commit on; a figure read meanwhile by another request still saw the old data)."""
    transaction.on_commit(lambda: _increment(topic))  # at once outside a transaction


def bump_all() -> None:
    for topic in sorted(_TOPICS):
        bump(topic)


def version(*names: str) -> str:
    keys = [_version_key(t) for t in names]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, time.time_ns(), None)
            found[key] = cache.get(key)
    return ".".join(str(found[k]) for k in keys)


def remember(parts: Iterable, topics: Iterable[str], compute: Callable[[], T]) -> T:
    """`compute()`, or the copy kept from the last call with the same `parts` (what the value
    depends on besides the data: scope, year, day, page...) while `topics` are unchanged."""
    seconds = getattr(settings, "DATA_CACHE_SECONDS", 3600)
    if not seconds:
        return compute()
    topics = list(topics)
    digest = hashlib.sha256(repr(tuple(parts)).encode()).hexdigest()[:32]
    key = f"datacache:{'.'.join(topics)}:{version(*topics)}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def remember_html(
    parts: Iterable, topics: Iterable[str], template_name: str, context: Callable[[], dict], request=None
) -> SafeString:
    """`template_name` rendered with `context()`, kept like `remember`: the context is only
    worked out when the cache has no current copy."""
    html = remember(parts, topics, lambda: render_to_string(template_name, context(), request=request))
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped when rendered
