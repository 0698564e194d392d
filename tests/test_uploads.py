"""Uploads (certificates, attachments) live outside the web root: no URL serves MEDIA_ROOT;
each app serves its files only through a permission-checked view."""

from pathlib import Path

from django.conf import settings
from django.urls import Resolver404, resolve

from tests.authorization import url_routes


def test_media_root_is_outside_the_static_files_and_templates():
    media = Path(settings.MEDIA_ROOT).resolve()
    web_roots = [
        Path(settings.STATIC_ROOT),
        *map(Path, settings.STATICFILES_DIRS),
        Path(settings.BASE_DIR) / "templates",
    ]
    for root in web_roots:
        root = root.resolve()
        assert not media.is_relative_to(root), f"MEDIA_ROOT {media} is inside {root}"
        assert not root.is_relative_to(media), f"{root} is inside MEDIA_ROOT {media}"


def test_project_default_media_root_is_outside_the_web_root():
    from sro_program import settings as project_settings

    media = Path(project_settings.MEDIA_ROOT).resolve()
    assert not media.is_relative_to(Path(project_settings.STATIC_ROOT).resolve())
    assert not any(media.is_relative_to(Path(d).resolve()) for d in project_settings.STATICFILES_DIRS)


def test_no_url_serves_media_files(client, admin_a_client, db):
    media = Path(settings.MEDIA_ROOT)
    (media / "certificates").mkdir(parents=True)
    (media / "certificates" / "secret.pdf").write_bytes(b"%PDF-1.4 secret")
    for path in [
        "/media/certificates/secret.pdf",
        "/uploads/certificates/secret.pdf",
        "/certificates/secret.pdf",
    ]:
        for c in (client, admin_a_client):
            response = c.get(path)
            assert response.status_code in (302, 404), path
            assert (
                b"secret" not in b"".join(response)
                if response.streaming
                else b"secret" not in response.content
            )


def test_no_url_pattern_is_a_static_file_server():
    from django.views.static import serve

    servers = [route.route for route in url_routes() if route.pattern.callback is serve]
    assert servers == []
    try:
        match = resolve("/media/x")
    except Resolver404:
        match = None
    assert match is None or match.func is not serve
