"""A student locked out by failed sign-ins; the registrar lifts the lock on 登录锁定 (issue 8, item 7; SEC-3)."""

import pytest
from django.test import Client

from audit.models import AuditEvent
from tests.users import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.rule("SEC-3")]


def test_the_registrar_lifts_a_students_lockout(
    page, sign_in, live_server, registrar, student_a, screenshot_dir
):
    # Nine failures sent to the sign-in form's address, the tenth typed in the browser: the account locks,
    # and then even the right password meets the lock.
    guesser = Client()
    for _ in range(9):
        guesser.post("/accounts/login/", {"username": "student_a", "password": "wrong"})
    sign_in("student_a", "wrong", admin=False)
    assert "连续登录失败已达 10 次" in page.inner_text("main")
    sign_in("student_a", PASSWORD, admin=False)
    assert "账号已锁定" in page.inner_text("main")
    page.screenshot(path=str(screenshot_dir / "lockout_page.png"), full_page=True)

    page.context.clear_cookies()
    sign_in("registrar", PASSWORD)
    page.goto(f"{live_server.url}/admin/registrar/signinlockout/?locked=yes")
    assert "student_a" in page.inner_text("#result_list")
    assert "连续失败次数" in page.inner_text("#result_list thead")
    page.screenshot(path=str(screenshot_dir / "lockout_list.png"), full_page=True)
    page.check("#action-toggle")
    page.select_option("select[name=action]", "lift")
    page.click("button[name=index]")
    assert "已解除" in page.inner_text(".messagelist")
    page.screenshot(path=str(screenshot_dir / "lockout_lifted.png"), full_page=True)
    assert AuditEvent.objects.filter(action="account.lockout_lift").exists()

    page.context.clear_cookies()
    sign_in("student_a", PASSWORD, admin=False)
    assert "账号已锁定" not in page.content()
