"""The Celery app. Without CELERY_BROKER_URL, tasks run in-process (settings.CELERY_TASK_ALWAYS_EAGER)."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registrar.settings")

app = Celery("registrar")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _warm_file_reader(**_kwargs) -> None:
    """Each worker process starts its own file-reading server now, not on its first import."""
    from registrar.sheets.isolation import warm

    warm()
