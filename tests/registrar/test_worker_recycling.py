"""Workers recycle (issue 8, item 1): memory a worker took for one large upload is given back."""

import re
from pathlib import Path

import pytest

from registrar.celery import app

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.rule("SEC-1")
def test_celery_children_are_replaced_after_a_number_of_tasks_and_a_memory_ceiling():
    assert 0 < app.conf.worker_max_tasks_per_child <= 1000
    assert 0 < app.conf.worker_max_memory_per_child <= 2 * 1024 * 1024  # KB


@pytest.mark.rule("SEC-1")
@pytest.mark.parametrize("path", ["Dockerfile", "docker-compose.yml"])
def test_gunicorn_workers_are_restarted_after_a_number_of_requests_with_jitter(path):
    command = next(line for line in (ROOT / path).read_text().splitlines() if '"gunicorn"' in line)
    assert re.search(r'"--max-requests", "\d+"', command)
    assert re.search(r'"--max-requests-jitter", "\d+"', command)
