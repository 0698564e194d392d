import logging

from django.conf import settings

log = logging.getLogger("sro.security")


class ClientAddressMiddleware:
    """Puts the real client address in REMOTE_ADDR and removes X-Forwarded-For, so that the
    audit trail (auditlog reads X-Forwarded-For when present), the lockout records and our
    security logs all agree and a client cannot forge its address.

    With TRUSTED_PROXY_COUNT = 0 (no proxy) the header is simply dropped. Behind N proxies,
    each appends the address it received from, so the client is the N-th entry from the
    right; anything further left was supplied by the client and is ignored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        forwarded = request.META.pop("HTTP_X_FORWARDED_FOR", "")
        proxies = settings.TRUSTED_PROXY_COUNT
        if proxies and forwarded:
            hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
            if hops:
                request.META["REMOTE_ADDR"] = hops[-min(proxies, len(hops))]
        return self.get_response(request)


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
