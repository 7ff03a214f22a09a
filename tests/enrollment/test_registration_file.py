"""The platform's registration file: never fails on a rare character, full id numbers for the registrar only."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from enrollment import exports
from enrollment.imports import read_dbf
from enrollment.models import AdmissionRecord
from enrollment.selectors import registration_records
from registrar.idcard import mask
from tests.enrollment.builders import admission_row, registered_through_a_list

RARE_NAME = "王𠮷"  # 𠮷 (U+20BB7) is outside GBK


@pytest.fixture
def rare_and_plain(import_rows, major_a, college_a_staff, registrar, college_a, term):
    """Two registered freshmen of college A: 王𠮷 and 新生2."""
    assert import_rows([admission_row(1, major_a, XM=RARE_NAME), admission_row(2, major_a)]).ok
    records = AdmissionRecord.objects.order_by("exam_number")
    for record in records:
        registered_through_a_list(
            record, staff=college_a_staff, registrar=registrar, college=college_a, term=term
        )
    return list(records.order_by("exam_number"))


def dbf_url(**query) -> str:
    url = reverse("enrollment:registration-file", args=["dbf"])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.rule("ENR-12")
def test_a_name_gbk_lacks_is_named_for_the_registrar_instead_of_a_server_error(
    rare_and_plain, client_for, registrar
):
    response = client_for(registrar).get(dbf_url())
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert RARE_NAME in page and "U+20BB7" in page and "rare=hold" in page and "rare=replace" in page


@pytest.mark.rule("ENR-12")
@pytest.mark.parametrize("role", ["registrar", "college_a_staff", "auditor", "admin_user"])
def test_no_staff_role_gets_a_server_error_from_a_rare_name(rare_and_plain, client_for, request, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get(dbf_url()).status_code == 200
    assert client.get(dbf_url(rare="replace"))["Content-Type"] == "application/x-dbf"


@pytest.mark.rule("ENR-12")
def test_the_registrar_may_export_with_a_question_mark_in_place_of_the_character(
    rare_and_plain, client_for, registrar
):
    response = client_for(registrar).get(dbf_url(rare="replace"))
    rows = list(read_dbf(response.content))
    assert [r[2] for r in rows[1:]] == ["王?", "新生2"]


@pytest.mark.rule("ENR-12")
def test_the_registrar_may_hold_those_students_back(rare_and_plain, client_for, registrar):
    response = client_for(registrar).get(dbf_url(rare="hold"))
    assert [r[2] for r in list(read_dbf(response.content))[1:]] == ["新生2"]


def test_a_file_without_rare_characters_downloads_at_once(
    freshmen_a, client_for, registrar, college_a_staff, college_a, term
):
    registered_through_a_list(
        freshmen_a[0], staff=college_a_staff, registrar=registrar, college=college_a, term=term
    )
    response = client_for(registrar).get(dbf_url())
    assert response["Content-Type"] == "application/x-dbf"


def test_gbk_problems_name_the_student_the_column_and_the_character(rare_and_plain, registrar):
    [problem] = exports.gbk_problems(registration_records(registrar))
    assert (problem.exam_number, problem.name, problem.column, problem.characters) == (
        rare_and_plain[0].exam_number,
        RARE_NAME,
        "姓名",
        "𠮷",
    )


@pytest.mark.rule("SEC-2")
def test_college_staff_get_the_registration_file_with_masked_id_numbers(
    rare_and_plain, client_for, college_a_staff
):
    content = client_for(college_a_staff).get(reverse("enrollment:registration-file", args=["xlsx"])).content
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert [r[6] for r in rows[1:]] == [mask(r.id_number) for r in rare_and_plain]


@pytest.mark.rule("SEC-2")
def test_the_registrar_gets_full_id_numbers_to_upload(rare_and_plain, client_for, registrar):
    rows = list(read_dbf(client_for(registrar).get(dbf_url(rare="replace")).content))
    assert [r[6] for r in rows[1:]] == [r.id_number for r in rare_and_plain]
