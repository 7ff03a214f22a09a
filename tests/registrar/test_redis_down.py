"""Pages and uploads keep working while Redis is down (issue 8, item 9).

The shared Redis keeps running for colleagues: "down" is a cache pointed at a
port where nothing listens. The cache falls back to files on this host.
"""

import secrets
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.core.files.uploadedfile import SimpleUploadedFile
from redis.exceptions import ConnectionError as RedisConnectionError

from enrollment.models import AdmissionRecord
from registrar.cache import _skip_until
from tests.enrollment.builders import admission_row, admission_sheet

pytestmark = [pytest.mark.django_db, pytest.mark.rule("ENR-1")]

DEAD_REDIS = "redis://127.0.0.1:6390/0"


@pytest.fixture
def redis_down(settings, tmp_path):
    _skip_until.clear()
    settings.CACHES = {
        "default": {
            "BACKEND": "registrar.cache.FailoverRedisCache",
            "LOCATION": DEAD_REDIS,
            "FALLBACK": tmp_path,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }


def import_page(client, content: bytes, token: str):
    return client.post(
        "/admin/enrollment/admissionrecord/import/",
        {"year": 2026, "token": token, "file": SimpleUploadedFile("a.xlsx", content)},
    )


def test_the_import_and_its_progress_work_while_redis_is_down(
    client_for, registrar, term, major_a, redis_down
):
    client = client_for(registrar)
    token = secrets.token_urlsafe(12)
    page = import_page(client, admission_sheet([admission_row(1, major_a)]), token)
    assert page.status_code == 200 and 'id="import-result"' in page.content.decode()
    assert AdmissionRecord.objects.count() == 1
    assert client.get(f"/uploads/progress/{token}/").json() == {"phase": "完成", "percent": 100}


def test_the_error_sheet_of_an_upload_downloads_while_redis_is_down(
    client_for, registrar, term, major_a, redis_down
):
    client = client_for(registrar)
    page = import_page(client, admission_sheet([admission_row(1, major_a, XM="")]), secrets.token_urlsafe(12))
    html = page.content.decode()
    assert "第2行" in html
    token = html.split("/uploads/errors/")[1].split(".xlsx")[0]
    assert client.get(f"/uploads/errors/{token}.xlsx").status_code == 200


def test_progress_of_an_unknown_upload_answers_nothing_while_redis_is_down(client_for, registrar, redis_down):
    response = client_for(registrar).get(f"/uploads/progress/{secrets.token_urlsafe(12)}/")
    assert response.json() == {"phase": "", "percent": 0}


def test_after_a_redis_failure_the_cache_leaves_redis_alone_for_a_while(redis_down):
    with mock.patch.object(RedisCache, "get", side_effect=RedisConnectionError("down")) as redis_get:
        cache.set("k", "v")
        assert [cache.get("k") for _ in range(3)] == ["v", "v", "v"]
    assert redis_get.call_count == 0  # the failed set already moved this process to the file cache
