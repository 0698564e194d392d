import functools
from typing import Any

from django.urls import get_script_prefix, reverse

from .nav import NAVIGATION


@functools.lru_cache(maxsize=16)
def _entries(role: str, script_prefix: str) -> tuple[tuple[str, str], ...]:
    """(label, URL) of the role's entries: the same on every page, so worked out once."""
    return tuple((label, reverse(url_name)) for label, url_name, roles in NAVIGATION if role in roles)


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    role = "coordinator" if user.is_program_coordinator else user.role
    entries = _entries(role, get_script_prefix())
    items: list[dict[str, Any]] = [{"label": label, "url": url, "active": False} for label, url in entries]
    # The entry with the longest URL prefix of this page is the current one
    # (/schools/coverage/ is "Coverage", not "Schools").
    matches = [item for item in items if item["url"] != "/" and request.path.startswith(item["url"])]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return {
        "nav_items": items,
        "unread_notifications": user.notifications.unread().count(),
    }
