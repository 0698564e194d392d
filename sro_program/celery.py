import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sro_program.settings")

app = Celery("sro_program")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
