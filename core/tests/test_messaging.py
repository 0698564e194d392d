import pytest
from celery import shared_task

from core.messaging import send_once
from core.models import Notification, SentMessage


@pytest.fixture
def templates(tmp_path, settings):
    folder = tmp_path / "tpl"
    (folder / "t").mkdir(parents=True)
    (folder / "t" / "hello-subject.txt").write_text("Hello {{ name }}\n")
    (folder / "t" / "hello-body.txt").write_text("Body for {{ name }}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [folder, *settings.TEMPLATES[0]["DIRS"]]}]
    return "t/hello"


def test_send_once_sends_a_message_only_once(admin_a, templates, mailoutbox):
    kwargs = dict(
        key="hello:1",
        template_prefix=templates,
        to="a@example.org",
        context={"name": "Ann"},
        user=admin_a,
        notification_title="Hello",
    )
    assert send_once(**kwargs) is True
    assert send_once(**kwargs) is False
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Hello Ann"
    assert Notification.objects.filter(user=admin_a).count() == 1


def test_failed_send_releases_the_claim_so_a_retry_sends(db, templates, mailoutbox, monkeypatch):
    from core import messaging

    def broken(**kwargs):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(messaging, "send_email", broken)
    with pytest.raises(ConnectionError):
        send_once(key="hello:2", template_prefix=templates, to="a@example.org", context={"name": "B"})
    assert not SentMessage.objects.filter(key="hello:2").exists()
    monkeypatch.undo()
    assert send_once(key="hello:2", template_prefix=templates, to="a@example.org", context={"name": "B"})
    assert len(mailoutbox) == 1


@shared_task
def record_notification(user_id: int, title: str) -> None:
    Notification.objects.create(user_id=user_id, title=title)


@pytest.mark.celery_worker
def test_a_task_travels_through_redis_to_a_real_worker(celery_redis_worker, django_user_model):
    import time

    user = django_user_model.objects.create_user(username="w", password="x" * 12)
    record_notification.delay(user.pk, "through redis")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not Notification.objects.filter(title="through redis").exists():
        time.sleep(0.1)
    assert Notification.objects.filter(user=user, title="through redis").exists()
