"""What the browser is told: Content Security Policy, HSTS, cookies, framing. And the
templates keep to what the policy allows (no inline script, handler or style)."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from conftest import sign_in

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"


def csp_directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def test_pages_carry_a_strict_content_security_policy(client, db):
    directives = csp_directives(client.get(reverse("login")))
    assert directives == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "object-src": "'none'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
    }


def test_signed_in_pages_and_errors_carry_it_too(admin_a_client):
    for url in [reverse("schools:list"), reverse("core:audit_log"), "/no-such-page/"]:
        assert "object-src 'none'" in admin_a_client.get(url)["Content-Security-Policy"], url


def test_no_template_has_inline_script_handlers_or_styles():
    offenders = []
    for path in TEMPLATES_DIR.rglob("*.html"):
        text = path.read_text()
        for pattern, what in [
            # Only external scripts; JSON data blocks (json_script) are not executed.
            (r"<script(?![^>]*\b(src=|type=\"application/json\"))[^>]*>", "inline <script>"),
            (r"\son[a-z]+\s*=", "inline event handler"),
            (r"\sstyle\s*=", "style attribute"),
            (r"<style", "<style> block"),
            (r"javascript:", "javascript: URL"),
        ]:
            if re.search(pattern, text, re.IGNORECASE):
                offenders.append(f"{path.relative_to(TEMPLATES_DIR)}: {what}")
    assert offenders == []


def test_scripts_are_only_loaded_from_our_own_static_files():
    for path in TEMPLATES_DIR.rglob("*.html"):
        for src in re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", path.read_text()):
            assert src.startswith("{% static"), f"{path}: {src}"


def test_production_headers(client, db):
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert int(settings.SECURE_HSTS_SECONDS) >= 365 * 24 * 3600
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_cookies_are_secure_http_only_and_same_site(client, admin_a):
    response = sign_in(client, "admin_a")
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    page = client.get(reverse("password_change"))
    csrf = page.cookies.get(settings.CSRF_COOKIE_NAME) or client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
