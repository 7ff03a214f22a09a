import pytest

pytestmark = pytest.mark.django_db


def test_the_login_page_is_in_chinese(client):
    response = client.get("/accounts/login/")
    assert "登录" in response.text and 'lang="zh-hans"' in response.text


def test_english_is_available_for_the_admin(client):
    response = client.get("/admin/login/", headers={"Accept-Language": "en"})
    assert "Username" in response.text


def test_home_sends_each_role_to_its_pages(client_for, registrar, student_a, client):
    assert client.get("/")["Location"] == "/accounts/login/"
    assert client_for(registrar).get("/")["Location"] == "/admin/"
    assert client_for(student_a).get("/")["Location"] == "/me/"


def test_health_check_answers_when_the_database_does(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_the_openapi_schema_lists_the_scoped_endpoints(client_for, registrar):
    schema = client_for(registrar).get("/api/schema/", headers={"Accept": "application/json"})
    assert schema.status_code == 200
    assert "/api/students/" in schema.text


def test_the_student_page_is_available_in_english(client_for, student_a):
    response = client_for(student_a).get("/me/", headers={"Accept-Language": "en"})
    assert "My student status" in response.text and "Student number" in response.text


def test_the_workbench_links_each_role_to_its_daily_work(client_for, registrar, college_a_staff, auditor):
    registrar_page = client_for(registrar).get("/admin/").text
    overdue = '<a href="/audit/"'  # 逾期情况 in the sidebar (issue 10: the sidebar replaced the shortcuts)
    assert "导入录取数据" in registrar_page and overdue in registrar_page
    staff_page = client_for(college_a_staff).get("/admin/").text
    assert "入学资格审查名单" in staff_page and "导入录取数据" not in staff_page
    auditor_page = client_for(auditor).get("/admin/").text
    assert overdue in auditor_page and "导入录取数据" not in auditor_page
