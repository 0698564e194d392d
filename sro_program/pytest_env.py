"""Test-only environment, loaded as a pytest plugin (`-p sro_program.pytest_env` in pytest.ini)
so it is in place before pytest-django reads the settings."""

import os
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghijklmnop")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
# Browser tests drive a live server from the (sync) test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# SQLite's test database is a file under var/ (see DATABASES in settings).
(Path(__file__).resolve().parent.parent / "var").mkdir(exist_ok=True)
