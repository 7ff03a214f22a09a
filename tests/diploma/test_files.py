"""The platform's diploma-registration file (xlsx, DBF) and the graduation statistics, scoped (item 6, SEC-2)."""

import io

import pytest
from openpyxl import load_workbook

from registrar.sheets.readers import read_dbf

pytestmark = pytest.mark.django_db
URL = "/diploma/exports/certificates.%s?year=2026"


def sheet_rows(response) -> list[tuple]:
    return list(
        load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True)
    )


@pytest.mark.rule("DIP-3")
def test_the_registrar_gets_every_registered_certificate_with_the_platforms_columns(
    registered_a, registrar, client_for
):
    rows = sheet_rows(client_for(registrar).get(URL % "xlsx"))
    header = rows[0]
    assert header[:3] == ("KSH", "XH", "XM") and "ZSBH" in header and "ZP" in header
    mine = next(r for r in rows[1:] if r[header.index("ZSBH")] == registered_a.certificate_number)
    assert mine[header.index("ZJHM")] == registered_a.id_number  # full for the registrar (SEC-2)
    assert (mine[header.index("BYJL")], mine[header.index("FZRQ")]) == ("毕业", "20260630")
    assert len(rows) == 4


def test_the_dbf_file_has_the_same_columns_in_gbk(registered_a, registrar, client_for):
    response = client_for(registrar).get(URL % "dbf")
    header, *rows = read_dbf(response.content)
    assert header[:3] == ["KSH", "XH", "XM"] and len(rows) == 3


def test_another_colleges_staff_get_none_of_college_as_certificates_and_masked_numbers(
    registered_a, college_a_staff, college_b_staff, client_for
):
    assert len(sheet_rows(client_for(college_b_staff).get(URL % "xlsx"))) == 1
    rows = sheet_rows(client_for(college_a_staff).get(URL % "xlsx"))
    assert registered_a.id_number not in {cell for row in rows for cell in row}


def test_students_get_no_file(registered_a, student_a, client_for):
    assert client_for(student_a).get(URL % "xlsx").status_code == 403


def test_the_statistics_count_graduates_by_college_major_level_and_outcome(
    registered_a, registrar, client_for
):
    rows = sheet_rows(client_for(registrar).get("/diploma/exports/statistics.xlsx?year=2026"))
    assert rows[0][:4] == ("院系", "专业代码", "专业名称", "层次")
    assert rows[1][4:] == (3, 0, 0, 0, 3, 3)


@pytest.mark.rule("DIP-12")
def test_only_registered_certificates_reach_the_platform_file(
    registered_a, registrar, prechecked, major_a, client_for
):
    prechecked(major_a, 2)  # pre-checked, not registered: not recognised, not in the file
    rows = sheet_rows(client_for(registrar).get(URL % "xlsx"))
    assert len(rows) == 1 + 3


@pytest.mark.rule("DIP-9")
def test_the_file_names_each_graduates_photo(registrar, school, major_a, client_for, settings, tmp_path):
    from diploma.services.certificates import certificates_precheck, certificates_register
    from tests.diploma.builders import cohort, graduating

    settings.MEDIA_ROOT = tmp_path
    student = graduating(major_a, 1)[0]
    certificates_precheck(registrar, [g.pk for g in cohort(registrar, [student], ready=True)])
    certificates_register(actor=registrar)
    header, row = sheet_rows(client_for(registrar).get(URL % "xlsx"))
    assert row[header.index("ZP")] == f"{student.id_number}.jpg"
