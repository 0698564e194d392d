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
        items.append({"label": label, "url": url, "active": request.path.startswith(url) and url != "/"})
    return {
        "nav_items": items,
        "unread_notifications": user.notifications.unread().count(),
    }
