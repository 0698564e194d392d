import logging

log = logging.getLogger("sro.security")


class ForbiddenLogMiddleware:
    """Records every refused request (403) with who asked, from where, for what."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            log.warning(
                "forbidden user=%s ip=%s method=%s path=%s",
                getattr(user, "username", "") or "anonymous",
                request.META.get("REMOTE_ADDR", ""),
                request.method,
                request.path,
            )
        return response
