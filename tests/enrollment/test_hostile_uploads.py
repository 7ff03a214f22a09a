"""Uploads that used to crash a worker or slip broken data in (issue 8, items 1 and 2).

Each file here comes from the probe: today it is refused with a Chinese reason, nothing is
written, and the test process (which does the parsing, as a web worker would) survives.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from enrollment.imports import parse_admissions
from enrollment.models import AdmissionRecord
from enrollment.services import admission_import
from tests.enrollment.builders import HEADER, admission_row, admission_sheet
from tests.registrar.sheet_files import (
    bomb_xlsx,
    date_serial_xlsx,
    dbf_bytes,
    far_cell_xlsx,
    raw_xlsx,
    rows_xml,
)

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def imported(registrar, content: bytes, name: str = "lq.xlsx"):
    return admission_import(actor=registrar, year=2026, sheet=parse_admissions(content, name), file_name=name)


def post_import(client, content: bytes, name: str = "lq.xlsx"):
    return client.post("/api/enrollment/imports/", {"file": SimpleUploadedFile(name, content), "year": 2026})


def dbf_of(rows: list[dict], **options) -> bytes:
    return dbf_bytes(HEADER, [[r[h] for h in HEADER] for r in rows], **options)


@pytest.mark.rule("SEC-1")
@pytest.mark.parametrize("declared", [True, False], ids=["with-dimension", "without-dimension"])
def test_a_cell_at_XFD1048576_is_refused_with_a_chinese_reason_and_the_process_survives(
    declared, registrar, term
):
    result = imported(registrar, far_cell_xlsx(dimension=declared))
    assert [e.row for e in result.errors] == [0]
    assert "1048576" in result.errors[0].reason  # the position itself, not just "could not read"


@pytest.mark.rule("SEC-1")
def test_a_student_posting_to_the_import_is_refused_before_the_file_is_read(
    client_for, student_a, term, monkeypatch
):
    parsed = []
    monkeypatch.setattr("enrollment.api.imports.parse_admissions", lambda *args: parsed.append(args))
    response = post_import(client_for(student_a), far_cell_xlsx())
    assert response.status_code == 403
    assert parsed == []


@pytest.mark.rule("SEC-1")
def test_college_staff_posting_to_the_import_are_refused_before_the_file_is_read(
    client_for, college_a_staff, term, monkeypatch
):
    parsed = []
    monkeypatch.setattr("enrollment.api.imports.parse_admissions", lambda *args: parsed.append(args))
    assert post_import(client_for(college_a_staff), far_cell_xlsx()).status_code == 403
    assert parsed == []


@pytest.mark.rule("SEC-1")
def test_an_upload_over_the_size_limit_is_refused_with_a_chinese_reason(
    client_for, registrar, term, major_a, settings
):
    settings.UPLOAD_MAX_BYTES = 2000
    response = post_import(client_for(registrar), admission_sheet([admission_row(1, major_a)]))
    assert response.status_code == 400
    assert "超过上限" in response.json()["errors"][0]["reason"]
    assert not AdmissionRecord.objects.exists()


@pytest.mark.rule("SEC-1")
def test_a_two_gigabyte_text_bomb_is_refused_before_it_is_inflated(registrar, term):
    result = imported(registrar, bomb_xlsx(2 << 30))
    assert "解压后" in result.errors[0].reason


@pytest.mark.rule("SEC-1")
def test_a_text_bomb_that_lies_about_its_size_is_refused(registrar, term):
    result = imported(registrar, bomb_xlsx(300 << 20, declared=1000))
    assert result.errors and CHINESE.search(result.errors[0].reason)
    assert not AdmissionRecord.objects.exists()


@pytest.mark.rule("SEC-1")
def test_a_date_serial_of_minus_1e308_is_a_file_error_not_a_panic(registrar, term):
    result = imported(registrar, date_serial_xlsx("-1e308", header=["KSH", "CSRQ"]))
    assert [e.row for e in result.errors] == [0]
    assert "无法解析" in result.errors[0].reason


@pytest.mark.rule("SEC-1")
@pytest.mark.parametrize("ref", ["ZZZZZZ1", "A99999999999999999999", "1A", "A0"])
def test_a_nonsense_cell_reference_is_a_file_error(ref, registrar, term):
    content = raw_xlsx(
        rows_xml([HEADER]) + f'<row r="2"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    result = imported(registrar, content)
    assert [e.row for e in result.errors] == [0] and CHINESE.search(result.errors[0].reason)


@pytest.mark.rule("SEC-3")
def test_a_nul_inside_an_xlsx_cell_is_a_row_error_and_nothing_is_written(registrar, term, major_a):
    rows = [admission_row(1, major_a), admission_row(2, major_a, XM="王\x00明")]
    content = raw_xlsx(rows_xml([HEADER, *[[r[h] for h in HEADER] for r in rows]]))
    result = imported(registrar, content)
    assert [(e.row, e.column) for e in result.errors] == [(3, "姓名")]
    assert "NUL" in result.errors[0].reason
    assert not AdmissionRecord.objects.exists()


@pytest.mark.rule("SEC-3")
def test_a_nul_inside_a_dbf_cell_is_a_row_error_and_nothing_is_written(registrar, term, major_a):
    content = dbf_of([admission_row(1, major_a), admission_row(2, major_a, XM="王\x00明")])
    result = imported(registrar, content, "lq.dbf")
    assert [(e.row, e.column) for e in result.errors] == [(3, "姓名")]
    assert not AdmissionRecord.objects.exists()


@pytest.mark.rule("SEC-3")
def test_a_truncated_dbf_is_refused_not_imported_as_if_complete(registrar, term, major_a):
    content = dbf_of([admission_row(n, major_a) for n in range(1, 4)], cut=40)
    result = imported(registrar, content, "lq.dbf")
    assert "不完整" in result.errors[0].reason
    assert not AdmissionRecord.objects.exists()


@pytest.mark.rule("SEC-3")
def test_a_utf8_dbf_read_as_gbk_is_refused_not_imported_garbled(registrar, term, major_a):
    # One name typed in UTF-8 into a GBK file: read as GBK it is 鐜嬪皬鏄庢槑, and was imported.
    content = dbf_of([admission_row(1, major_a, XM="王小明明".encode())])
    result = imported(registrar, content, "lq.dbf")
    assert "UTF-8" in result.errors[0].reason and "GBK" in result.errors[0].reason
    assert not AdmissionRecord.objects.exists()


@pytest.mark.rule("ENR-1")
def test_a_reimport_with_garbled_names_leaves_the_good_names_alone(registrar, term, major_a):
    good = [admission_row(1, major_a, XM="王小明明"), admission_row(2, major_a, XM="阿依古丽·买买提")]
    assert imported(registrar, admission_sheet(good)).ok
    garbled = [{**row, "XM": row["XM"].encode("utf-8").decode("gbk", "replace")} for row in good]
    result = imported(registrar, admission_sheet(garbled))
    assert {(e.row, e.column) for e in result.errors} == {(2, "姓名"), (3, "姓名")}
    assert sorted(AdmissionRecord.objects.values_list("name", flat=True)) == sorted(
        ["王小明明", "阿依古丽·买买提"]
    )


@pytest.mark.rule("SEC-3")
@pytest.mark.parametrize(
    "name",
    ["王\u202e明", "王\u2066明", "王\u200b明", "王\u2060明", "\ufeff王明", "王\x07明", "王\x1b明"],
    ids=["RLO", "LRI", "zero-width-space", "word-joiner", "BOM", "bell", "escape"],
)
def test_names_with_control_or_invisible_characters_are_refused_with_row_and_column(
    name, registrar, term, major_a
):
    row = admission_row(1, major_a, XM=name)
    result = imported(registrar, raw_xlsx(rows_xml([HEADER, [row[h] for h in HEADER]])))
    assert [(e.row, e.column) for e in result.errors] == [(2, "姓名")]
    assert "U+" in result.errors[0].reason
    assert not AdmissionRecord.objects.exists()


@pytest.mark.rule("ENR-7")
@pytest.mark.parametrize("name", ["阿依古丽·买买提", "欧阳　娜娜", "王小明"])
def test_legitimate_names_with_a_middle_dot_or_a_full_width_space_are_accepted(
    name, registrar, term, major_a
):
    result = imported(registrar, admission_sheet([admission_row(1, major_a, XM=name)]))
    assert result.ok, result.errors
    assert AdmissionRecord.objects.get().name == name


@pytest.mark.rule("SEC-1")
def test_the_import_page_refuses_an_oversized_upload_with_a_chinese_message(
    client_for, registrar, term, major_a, settings
):
    settings.UPLOAD_MAX_BYTES = 2000
    page = client_for(registrar).post(
        "/admin/enrollment/admissionrecord/import/",
        {"year": 2026, "file": SimpleUploadedFile("a.xlsx", admission_sheet([admission_row(1, major_a)]))},
    )
    assert "超过上限" in page.content.decode()
    assert not AdmissionRecord.objects.exists()


@pytest.mark.rule("SEC-1")
def test_the_import_page_shows_the_far_cell_refusal_as_a_file_error(client_for, registrar, term):
    page = client_for(registrar).post(
        "/admin/enrollment/admissionrecord/import/",
        {"year": 2026, "file": SimpleUploadedFile("a.xlsx", far_cell_xlsx())},
    )
    assert page.status_code == 200 and "1048576" in page.content.decode()


@pytest.mark.rule("SEC-1")
def test_the_command_refuses_an_oversized_file_with_a_chinese_reason(tmp_path, term, major_a, settings):
    settings.UPLOAD_MAX_BYTES = 2000
    path = tmp_path / "lq.xlsx"
    path.write_bytes(admission_sheet([admission_row(1, major_a)]))
    with pytest.raises(CommandError, match="超过上限"):
        call_command("import_admissions", str(path), "--year", "2026")
    assert not AdmissionRecord.objects.exists()
