import io

import pytest
from django.core.management import CommandError, call_command
from python_calamine import CalamineWorkbook

from enrollment import exports
from enrollment.imports import parse_admissions, read_dbf
from enrollment.models import AdmissionRecord
from enrollment.selectors import registration_records, registration_statistics
from enrollment.services import (
    ItemInput,
    review_batch_approve,
    review_batch_create,
    review_batch_submit,
    review_items_save,
)
from registrar.sheets.writers import escape
from tests.enrollment.builders import admission_row, admission_sheet

pytestmark = pytest.mark.django_db


def test_command_prints_each_error_and_exits_non_zero(tmp_path, term, major_a):
    path = tmp_path / "lq.xlsx"
    path.write_bytes(
        admission_sheet([admission_row(1, major_a, XM=""), admission_row(2, major_a, MZ="火星族")])
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_admissions", str(path), "--year", "2026", stderr=err)
    lines = err.getvalue().splitlines()
    assert "第2行 姓名：不能为空" in lines
    assert any(line.startswith("第3行 民族：") for line in lines)
    assert not AdmissionRecord.objects.exists()


def test_command_imports_and_dry_run_writes_nothing(tmp_path, term, major_a):
    path = tmp_path / "lq.xlsx"
    path.write_bytes(admission_sheet([admission_row(1, major_a)]))
    call_command("import_admissions", str(path), "--year", "2026", "--dry-run", stdout=io.StringIO())
    assert not AdmissionRecord.objects.exists()
    call_command("import_admissions", str(path), "--year", "2026", stdout=io.StringIO())
    assert AdmissionRecord.objects.count() == 1


def test_dbf_in_gbk_is_imported_like_xlsx(registrar, term, major_a, tmp_path):
    # rule ENR-1
    import dbf

    path = str(tmp_path / "lq.dbf")
    row = admission_row(1, major_a, XB="男", MZ="汉族", CC="本科")
    header = ["KSH", "XM", "XB", "CSRQ", "SFZH", "MZ", "ZYDM", "CC", "RXRQ"]
    table = dbf.Table(path, "; ".join(f"{h} C(30)" for h in header), codepage="cp936", dbf_type="db3")
    table.open(dbf.READ_WRITE)
    table.append(tuple(row["ZJHM" if h == "SFZH" else h] for h in header))
    table.close()
    content = (tmp_path / "lq.dbf").read_bytes()
    assert list(read_dbf(content))[1][1] == row["XM"]
    from enrollment.services import admission_import

    result = admission_import(
        actor=registrar, year=2026, sheet=parse_admissions(content, "lq.dbf"), file_name="lq.dbf"
    )
    assert result.ok, result.errors
    assert AdmissionRecord.objects.get().name == row["XM"]


@pytest.fixture
def registered(freshmen_a, college_a_staff, registrar, college_a, term):
    batch = review_batch_create(actor=college_a_staff, college=college_a, term=term)
    items = [
        ItemInput(key=r.exam_number, outcome=o, reason="未报到" if o == "forfeited" else "")
        for r, o in zip(freshmen_a, ["passed", "passed", "forfeited"], strict=False)
    ]
    review_items_save(actor=college_a_staff, batch_id=batch.pk, items=items)
    review_batch_submit(actor=college_a_staff, batch_id=batch.pk)
    review_batch_approve(actor=registrar, batch_id=batch.pk)
    # Around the services on purpose: a hostile value no import lets in, to prove the export escapes it.
    AdmissionRecord.objects.filter(pk=freshmen_a[0].pk).update(remark='=HYPERLINK("x")')
    return batch


def read_xlsx(content):
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_registration_file_has_the_platform_layout_with_chinese_names_and_escaped_formulas(
    registered, registrar
):
    rows = read_xlsx(exports.registration_xlsx(registration_records(registrar)))
    assert rows[0][:5] == ["KSH", "XH", "XM", "XB", "CSRQ"]
    assert rows[1][3] == "男" and rows[1][8] == "汉族" and rows[1][14] == "本科"
    assert rows[1][-1] == '\'=HYPERLINK("x")'
    assert len(rows) == 3


def test_registration_dbf_is_gbk_with_the_platform_columns(registered, registrar):
    rows = list(read_dbf(exports.registration_dbf(registration_records(registrar))))
    assert rows[0][:3] == ["KSH", "XH", "XM"]
    assert rows[1][3] == "男"


def test_exports_are_scoped_by_role(student_b, college_b_staff, registered):
    assert not registration_records(college_b_staff).exists()
    assert registration_statistics(college_b_staff) == []


def test_statistics_count_by_college_major_and_outcome(registered, registrar, auditor):
    # rule ENR-12
    [row] = registration_statistics(auditor)
    assert row[0] == "计算机学院" and row[-1] == 5
    content = exports.statistics_xlsx([row], [("imported", "已录取")])
    assert read_xlsx(content)[0][0] == "院系"


def test_error_sheet_repeats_rows_with_an_error_column(major_a):
    from registrar.sheets.tables import RowError, error_sheet

    content = error_sheet(
        [["KSH", "XM"], ["1", "=1+1"]], [RowError(2, "姓名", "不能以 = + - @ 开头（疑似公式）")]
    )
    rows = read_xlsx(content)
    assert rows[0][-1] == "错误说明" and rows[1][1] == "'=1+1" and rows[1][2].startswith("姓名：")


def test_escape_covers_every_formula_start():
    assert [escape(v) for v in ["=a", "+a", "-a", "@a", "\ta", "\ra", "a"]] == [
        "'=a",
        "'+a",
        "'-a",
        "'@a",
        "'\ta",
        "'\ra",
        "a",
    ]
