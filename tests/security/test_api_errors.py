"""One error policy for the API: bad input is a 4xx with a Chinese reason in one body shape, never a 500."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from enrollment.services import review_batch_create

pytestmark = [pytest.mark.django_db, pytest.mark.rule("SEC-1")]

CJK = re.compile(r"[\u4e00-\u9fff]")
ROLES = ["registrar", "admin_user", "college_a_staff", "auditor", "student_a"]


def assert_refused_in_chinese(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert isinstance(body, dict) and CJK.search(body["detail"]), body
    return body


@pytest.fixture
def batch_a(college_a_staff, college_a, term):
    return review_batch_create(actor=college_a_staff, college=college_a, term=term)


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("suffix", ["items.json", "submit.json", ".json", "items.api"])
def test_a_format_suffix_on_a_batch_url_is_not_a_server_error(request, client_for, who, batch_a, suffix):
    client = client_for(request.getfixturevalue(who))
    separator = "" if suffix.startswith(".") else "/"
    url = f"/api/enrollment/batches/{batch_a.pk}{separator}{suffix}"
    # "/batches/1.json" gains its slash (301) and is then an unknown id: JSON 404.
    assert client.get(url, follow=True).status_code == 404
    assert client.post(url, follow=True).status_code == 404


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "42", "null", "[]"])
def test_a_json_body_that_is_not_an_object_is_a_400_in_chinese(client_for, registrar, batch_a, body):
    client = client_for(registrar)
    for url in ("/api/enrollment/batches/", f"/api/enrollment/batches/{batch_a.pk}/items/"):
        body_ = assert_refused_in_chinese(client.post(url, body, content_type="application/json"), 400)
        assert "JSON 对象" in body_["detail"]


def test_malformed_json_gets_a_chinese_reason_not_the_parsers_english(client_for, registrar):
    response = client_for(registrar).post(
        "/api/enrollment/batches/", "{oops", content_type="application/json"
    )
    body = assert_refused_in_chinese(response, 400)
    assert "Expecting" not in body["detail"] and "JSON parse error" not in body["detail"]


@pytest.mark.parametrize("college", ["abc", "1.5", "9" * 40, "-1", ""])
def test_a_non_integer_id_in_a_multipart_form_is_a_400(client_for, college_a_staff, term, college):
    response = client_for(college_a_staff).post(
        "/api/enrollment/batches/", {"college": college, "term": term.pk}
    )
    body = assert_refused_in_chinese(response, 400)
    assert "college" in body["errors"]


def test_a_domain_refusal_is_a_409_with_the_declared_body(client_for, registrar, college_a_staff, batch_a):
    """ENR-2: a second approval of a list is a conflict, in the one error body shape."""
    response = client_for(registrar).post(f"/api/enrollment/batches/{batch_a.pk}/approve/")
    assert set(assert_refused_in_chinese(response, 409)) == {"detail"}


@pytest.mark.parametrize("url", ["/api/students/?college=", "/api/enrollment/records/?year="])
def test_a_forty_digit_filter_is_not_a_server_error(client_for, registrar, url):
    response = client_for(registrar).get(url + "1" * 40)
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/"])
def test_the_schema_and_docs_need_a_signed_in_user(client, url):
    assert client.get(url).status_code in (401, 403)


def test_the_docs_page_loads_nothing_from_outside_the_server(client_for, student_a):
    client = client_for(student_a)
    html = client.get("/api/docs/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html) + re.findall(r"url: *['\"]([^'\"]+)", html)
    assert sources and all(s.startswith("/") for s in sources), sources
    assert "<script>" not in html  # every script a file of this server (a strict CSP holds)
    for source in sources:
        if source.startswith(settings.STATIC_URL):
            assert finders.find(source.removeprefix(settings.STATIC_URL).split("?")[0]), source
        else:
            assert client.get(source).status_code == 200, source


@pytest.mark.parametrize("url", ["/api/audit/violations/?rule=a%00b", "/api/enrollment/records/?state=%00"])
def test_a_nul_byte_in_an_api_filter_is_a_400_in_chinese(client_for, registrar, url):
    assert "空字符" in assert_refused_in_chinese(client_for(registrar).get(url), 400)["detail"]


@pytest.mark.parametrize("year", ["9" * 40, "40000", "abc", "", "２０２６"])
def test_an_import_with_a_year_out_of_range_is_a_400_naming_the_year(client_for, registrar, year):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("lq.xlsx", b"PK\x03\x04 not really a workbook")
    response = client_for(registrar).post("/api/enrollment/imports/", {"file": upload, "year": year})
    assert "year" in assert_refused_in_chinese(response, 400)["errors"]


def test_an_import_without_a_file_is_a_400_naming_the_file(client_for, registrar):
    response = client_for(registrar).post("/api/enrollment/imports/", {"year": "2026"})
    assert "file" in assert_refused_in_chinese(response, 400)["errors"]
