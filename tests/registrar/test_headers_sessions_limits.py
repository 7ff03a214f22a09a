"""Safe headers, session lifetimes by role and per-user rate limits (issue 8, item 11)."""

import re
import secrets
import time
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from registrar.ratelimit import rate_limit_hit
from tests.enrollment.builders import admission_row, admission_sheet
from tests.users import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.rule("SEC-2")]

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


@pytest.fixture
def own_cache(settings):
    """A cache of this test's own, so that counters left in the shared Redis by other runs do not count."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": secrets.token_hex(8),
        }
    }


@pytest.fixture
def tight_limits(settings, own_cache):
    settings.RATE_LIMITS = {"upload": "2/10m", "export": "1/10m"}


def upload(client, major):
    content = admission_sheet([admission_row(1, major)])
    return client.post(
        "/admin/enrollment/admissionrecord/import/",
        {"year": 2026, "token": secrets.token_urlsafe(12), "file": SimpleUploadedFile("a.xlsx", content)},
    )


def test_pages_carry_a_content_security_policy_that_forbids_inline_scripts(client):
    policy = client.get("/accounts/login/").headers["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'"]
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize(
    "url",
    ["/admin/", "/admin/enrollment/admissionrecord/import/", "/admin/registrar/signinlockout/", "/api/docs/"],
)
def test_staff_pages_have_no_inline_script_the_policy_would_block(client_for, registrar, url):
    html = client_for(registrar).get(url).content.decode()
    assert INLINE_SCRIPT.findall(html) == []


def sign_in(client, username: str) -> None:
    assert client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302


def test_a_staff_session_cookie_ends_with_the_browser(client, registrar):
    sign_in(client, "registrar")
    assert client.session.get_expire_at_browser_close()


def test_a_staff_session_idle_longer_than_the_staff_lifetime_is_signed_out(client, registrar, settings):
    settings.STAFF_SESSION_SECONDS = 1800
    start = time.time()
    with mock.patch("registrar.session_lifetime.clock", return_value=start):
        sign_in(client, "registrar")
    with mock.patch("registrar.session_lifetime.clock", return_value=start + 1801):
        response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_an_active_staff_session_stays_signed_in(client, registrar, settings):
    settings.STAFF_SESSION_SECONDS = 1800
    start = time.time()
    with mock.patch("registrar.session_lifetime.clock", return_value=start):
        sign_in(client, "registrar")
    for minutes in (20, 40, 60):
        with mock.patch("registrar.session_lifetime.clock", return_value=start + 60 * minutes):
            assert client.get("/admin/").status_code == 200


def test_a_student_session_lasts_the_student_idle_lifetime(client, student_a, settings):
    settings.STUDENT_SESSION_SECONDS = 5400
    sign_in(client, "student_a")
    assert client.session.get_expiry_age() == 5400


def test_an_upload_over_the_users_budget_is_refused_in_chinese(
    client_for, registrar, term, major_a, tight_limits
):
    client = client_for(registrar)
    assert [upload(client, major_a).status_code for _ in range(2)] == [200, 200]
    refused = upload(client, major_a)
    assert refused.status_code == 429
    assert "上传过于频繁" in refused.content.decode()


def test_one_users_uploads_do_not_use_up_anothers_budget(
    client_for, client, registrar, admin_user, term, major_a, tight_limits
):
    first = client_for(registrar)
    for _ in range(3):
        upload(first, major_a)
    client.force_login(admin_user)
    assert upload(client, major_a).status_code == 200


def test_an_api_upload_over_the_budget_is_refused_in_chinese(
    client_for, registrar, term, major_a, tight_limits
):
    client = client_for(registrar)
    content = admission_sheet([admission_row(1, major_a)])
    codes = [
        client.post("/api/enrollment/imports/", {"file": SimpleUploadedFile("a.xlsx", content), "year": 2026})
        for _ in range(3)
    ]
    assert codes[-1].status_code == 429
    assert "上传过于频繁" in str(codes[-1].json())


def test_an_export_over_the_budget_is_refused(client_for, registrar, school, tight_limits):
    client = client_for(registrar)
    assert client.get("/enrollment/exports/statistics.xlsx").status_code == 200
    assert client.get("/enrollment/exports/statistics.xlsx").status_code == 429


def test_the_limit_lets_requests_through_when_the_cache_cannot_count(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6390/0",
        }
    }
    settings.RATE_LIMITS = {"upload": "1/10m", "export": "1/10m"}
    assert [rate_limit_hit(scope="upload", user_id=1) for _ in range(3)] == [False, False, False]
