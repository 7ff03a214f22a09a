"""Sign-in lockouts that hold, and lock nobody else out (issue 8, item 7; SEC-3)."""

import base64
import datetime
import re

import pytest
from django.test import override_settings
from django.utils import timezone

from audit.models import AuditEvent
from registrar.client_ip import client_ip
from registrar.lockouts import lockouts_forget_old
from registrar.models import SignInLockout
from tests.users import PASSWORD

pytestmark = pytest.mark.rule("SEC-3")

LOGIN = "/accounts/login/"


def sign_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def signed_in_as(client) -> str | None:
    return client.get("/api/students/").wsgi_request.user.username or None


def test_a_students_success_from_the_same_address_does_not_reset_the_registrars_failures(
    client, registrar, student_a
):
    for _ in range(2):
        for _ in range(9):
            sign_in(client, "registrar", "wrong")
        assert sign_in(client, "student_a").status_code == 302
        client.logout()
    response = sign_in(client, "registrar")
    assert response.status_code == 429
    assert signed_in_as(client) is None


def test_ten_failures_at_made_up_names_lock_no_real_account(client, registrar):
    for n in range(12):
        sign_in(client, f"ghost{n}", "wrong")
    assert sign_in(client, "registrar").status_code == 302


def test_users_behind_one_proxy_do_not_lock_each_other_out(client, registrar, student_a):
    for _ in range(10):
        sign_in(client, "student_a", "wrong")
    assert sign_in(client, "student_a").status_code == 429
    assert sign_in(client, "registrar").status_code == 302


def test_the_lockout_page_answers_in_chinese(client, registrar):
    for _ in range(10):
        sign_in(client, "registrar", "wrong")
    response = sign_in(client, "registrar")
    assert response.status_code == 429
    assert "账号已锁定" in response.content.decode()


def test_the_forwarded_address_is_ignored_without_a_trusted_proxy(rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.5"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_trusted_proxy_the_address_it_appended_is_the_client(rf):
    spoofed = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="9.9.9.9, 1.2.3.4")
    assert client_ip(spoofed) == "1.2.3.4"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.5")) == "10.0.0.5"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_the_lockout_records_the_client_behind_the_proxy(client, registrar):
    sign_in(client, "registrar", "wrong", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert SignInLockout.objects.get().ip_address == "1.2.3.4"


def test_the_registrar_lifts_a_lockout_and_the_lift_is_audited(client, client_for, registrar, student_a):
    for _ in range(10):
        sign_in(client, "student_a", "wrong")
    locks = list(SignInLockout.objects.values_list("pk", flat=True))
    page = client_for(registrar)
    assert "student_a" in page.get("/admin/registrar/signinlockout/?locked=yes").content.decode()
    response = page.post(
        "/admin/registrar/signinlockout/", {"action": "lift", "_selected_action": locks}, follow=True
    )
    assert "已解除" in response.content.decode()
    assert AuditEvent.objects.filter(action="account.lockout_lift").count() == len(locks)
    page.logout()
    assert sign_in(client, "student_a").status_code == 302


def test_failures_from_two_browsers_lock_the_account_and_the_registrar_sees_and_lifts_the_lock(
    client, client_for, registrar, student_a
):
    """django-axes keeps a record per address and browser but locks the account on their sum: the
    登录锁定 page shows such an account as locked, and lifting one of its records lifts them all."""
    for agent in ("Mobile Safari", "Firefox"):
        for _ in range(5):
            sign_in(client, "student_a", "wrong", HTTP_USER_AGENT=agent)
    assert sign_in(client, "student_a", HTTP_USER_AGENT="Firefox").status_code == 429
    assert SignInLockout.objects.filter(username="student_a").count() == 2
    page = client_for(registrar)
    listed = page.get("/admin/registrar/signinlockout/?locked=yes").content.decode()
    assert listed.count("field-account ") == 2 and "student_a" in listed
    # On each of its records, the account's total: 5 + 5 failures and the sign-in refused while locked.
    assert len(re.findall(r"field-account_total[^>]*>\s*11\s*<", listed)) == 2
    one = SignInLockout.objects.filter(username="student_a").values_list("pk", flat=True)[0]
    response = page.post(
        "/admin/registrar/signinlockout/", {"action": "lift", "_selected_action": [one]}, follow=True
    )
    assert "已解除2条登录锁定" in response.content.decode()
    assert not SignInLockout.objects.filter(username="student_a").exists()
    page.logout()
    assert sign_in(client, "student_a").status_code == 302


def test_college_staff_cannot_see_or_lift_lockouts(client_for, college_a_staff):
    page = client_for(college_a_staff)
    assert page.get("/admin/registrar/signinlockout/").status_code == 403


def basic(username: str, password: str) -> dict:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def test_the_api_basic_authentication_is_locked_out_by_the_same_rule(client, registrar):
    for _ in range(10):
        assert client.get("/api/colleges/", **basic("registrar", "wrong")).status_code in (401, 403)
    response = client.get("/api/colleges/", **basic("registrar", PASSWORD))
    assert response.status_code in (401, 403)
    assert "锁定" in response.json()["detail"]


def test_the_staff_sign_in_page_locks_by_the_same_rule(client, registrar):
    for _ in range(10):
        client.post("/admin/login/", {"username": "registrar", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "registrar", "password": PASSWORD})
    assert response.status_code == 429 and "账号已锁定" in response.content.decode()


def test_failure_records_older_than_the_keeping_time_are_forgotten_and_the_count_audited(
    db, client, settings
):
    settings.SIGN_IN_FAILURES_KEEP_DAYS = 30
    sign_in(client, "ghost-old", "wrong")
    sign_in(client, "ghost-new", "wrong")
    # Around the services on purpose: a month passes (attempt_time is the sign-in's own clock).
    SignInLockout.objects.filter(username="ghost-old").update(
        attempt_time=timezone.now() - datetime.timedelta(days=31)
    )
    assert lockouts_forget_old() == 1
    assert list(SignInLockout.objects.values_list("username", flat=True)) == ["ghost-new"]
    assert AuditEvent.objects.get(action="account.lockouts_forget_old").after["deleted"] == 1
