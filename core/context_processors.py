from django.urls import NoReverseMatch, reverse

from .nav import NAVIGATION


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    role = "coordinator" if user.is_coordinator else user.role
    items = []
    for label, url_name, roles in NAVIGATION:
        if role not in roles:
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "active": False})
    # The entry with the longest URL prefix of this page is the current one
    # (/schools/coverage/ is "Coverage", not "Schools").
    matches = [item for item in items if item["url"] != "/" and request.path.startswith(item["url"])]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return {
        "nav_items": items,
        "unread_notifications": user.notifications.unread().count(),
    }
