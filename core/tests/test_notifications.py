"""A notification is marked read only by a POST (its Open button), never by a GET."""

from django.urls import reverse

from core.models import Notification


def test_opening_a_notification_by_get_is_refused_and_changes_nothing(admin_a_client, admin_a):
    note = Notification.objects.create(user=admin_a, title="Drill tomorrow", url="/drills/")
    response = admin_a_client.get(reverse("core:notification_open", args=[note.pk]))
    assert response.status_code == 405
    note.refresh_from_db()
    assert note.read_at is None


def test_the_open_button_posts_marks_read_and_follows_the_link(admin_a_client, admin_a):
    note = Notification.objects.create(user=admin_a, title="Drill tomorrow", url="/drills/")
    page = admin_a_client.get(reverse("core:notifications")).text
    assert f'<form method="post" action="{reverse("core:notification_open", args=[note.pk])}">' in page
    response = admin_a_client.post(reverse("core:notification_open", args=[note.pk]))
    assert response.status_code == 302 and response.url == "/drills/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_notification_never_redirects_off_site(admin_a_client, admin_a):
    note = Notification.objects.create(user=admin_a, title="Odd", url="https://evil.example/phish")
    response = admin_a_client.post(reverse("core:notification_open", args=[note.pk]))
    assert response.url == reverse("core:notifications")


def test_someone_elses_notification_is_not_found(admin_b_client, admin_a):
    note = Notification.objects.create(user=admin_a, title="Private")
    assert admin_b_client.post(reverse("core:notification_open", args=[note.pk])).status_code == 404
