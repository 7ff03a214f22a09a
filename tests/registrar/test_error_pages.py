"""Refusals and missing pages answer in Chinese with a way back, never a bare English page."""

import pytest
from django.template import loader
from django.test import override_settings


@pytest.mark.rule("SEC-1")
def test_a_college_staff_member_refused_the_admission_import_gets_a_chinese_page_with_a_way_home(
    client_for, college_a_staff
):
    response = client_for(college_a_staff).get("/admin/enrollment/admissionrecord/import/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "无权访问" in text and "返回首页" in text and "Forbidden" not in text


@override_settings(DEBUG=False)
def test_a_missing_page_answers_in_chinese(client_for, registrar):
    response = client_for(registrar).get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@override_settings(DEBUG=False)
def test_the_server_error_page_renders_without_a_request_and_says_nothing_was_written(db):
    """Django's server_error renders 500.html with an empty context; the page must not need more."""
    text = loader.get_template("500.html").render({})
    assert "系统出错" in text and "没有写入" in text
