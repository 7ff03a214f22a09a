import datetime

import pytest

from audit.models import AuditEvent
from enrollment.imports import parse_admissions
from enrollment.models import AdmissionRecord
from enrollment.services import admission_import
from tests.enrollment.builders import HEADER, admission_row, admission_sheet, xlsx_bytes
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def test_admission_data_is_imported_from_the_platform_columns(import_rows, major_a):
    # rule ENR-1
    result = import_rows([admission_row(n, major_a) for n in range(1, 4)])
    assert result.ok and result.created == 3
    record = AdmissionRecord.objects.get(exam_number="26110101000001")
    assert (record.state, record.college, record.term.academic_year.start_year) == (
        "imported",
        major_a.college,
        2026,
    )


def test_chinese_headers_are_accepted_like_platform_names(registrar, term, major_a):
    chinese = [
        "考生号",
        "姓名",
        "性别",
        "出生日期",
        "证件类型",
        "身份证号",
        "民族",
        "政治面貌",
        "专业代码",
        "专业名称",
        "层次",
        "学制",
        "学习形式",
        "入学日期",
        "院系",
        "备注",
    ]
    row = admission_row(1, major_a, XB="男", MZ="汉族", CC="本科")
    content = admission_sheet([row]).replace(b"", b"")
    content = xlsx_bytes([chinese, [row[h] for h in HEADER]])
    result = admission_import(
        actor=registrar, year=2026, sheet=parse_admissions(content, "a.xlsx"), file_name="a.xlsx"
    )
    assert result.ok, result.errors
    assert AdmissionRecord.objects.get().gender == "1"


def test_every_row_error_is_reported_at_once_and_nothing_is_written(import_rows, major_a):
    # rule ENR-7
    rows = [
        admission_row(1, major_a, XM=""),
        admission_row(2, major_a, ZJHM="110101200705010010"),
        admission_row(3, major_a, CSRQ="20070502"),
        admission_row(4, major_a, MZ="99"),
        admission_row(5, major_a, ZYDM="999999"),
        admission_row(6, major_a, RXRQ="2026-13-01"),
        admission_row(7, major_a, XB="2"),
    ]
    result = import_rows(rows)
    texts = [str(e) for e in result.errors]
    assert "第2行 姓名：不能为空" in texts
    assert any(t.startswith("第3行 证件号码：身份证号校验位错误") for t in texts)
    assert any(t.startswith("第4行 出生日期：出生日期与身份证号不一致") for t in texts)
    assert any(t.startswith("第5行 民族") for t in texts)
    assert any(t.startswith("第6行 专业代码") for t in texts)
    assert any(t.startswith("第7行 入学日期") for t in texts)
    assert "第8行 性别：性别与身份证号不一致" in texts
    assert AdmissionRecord.objects.count() == 0


def test_duplicate_exam_or_id_numbers_inside_the_file_are_errors(import_rows, major_a):
    first = admission_row(1, major_a)
    twin = admission_row(2, major_a, ZJHM=first["ZJHM"], CSRQ=first["CSRQ"])
    same_exam = admission_row(3, major_a, KSH=first["KSH"])
    result = import_rows([first, twin, same_exam])
    texts = [str(e) for e in result.errors]
    assert "第3行 证件号码：与第2行重复" in texts and "第4行 考生号：与第2行重复" in texts
    assert not AdmissionRecord.objects.exists()


def test_an_id_number_holding_an_active_status_here_is_refused(import_rows, major_a):
    # rule ENR-6
    row = admission_row(1, major_a)
    StudentFactory(id_number=row["ZJHM"], major=major_a)
    result = import_rows([row])
    assert [e.column for e in result.errors] == ["证件号码"]
    assert "ENR-6" in result.errors[0].reason


def test_same_name_and_number_as_another_record_is_flagged_not_refused(import_rows, major_a):
    # rule ENR-9
    row = admission_row(1, major_a)
    StudentFactory(name=row["XM"], id_number=row["ZJHM"], major=major_a, student_status="deregistered")
    result = import_rows([row])
    assert result.ok and result.flagged == [row["KSH"]]
    assert AdmissionRecord.objects.get().identity_conflict


def test_importing_the_same_file_twice_changes_nothing(import_rows, major_a):
    rows = [admission_row(n, major_a) for n in range(1, 4)]
    import_rows(rows)
    events = AuditEvent.objects.count()
    again = import_rows(rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert AuditEvent.objects.count() == events


def test_a_changed_file_updates_only_unreviewed_records_and_lists_the_rest(import_rows, major_a, registrar):
    from enrollment.services import admission_transition

    rows = [admission_row(n, major_a) for n in range(1, 3)]
    import_rows(rows)
    reviewed = AdmissionRecord.objects.get(exam_number=rows[1]["KSH"])
    admission_transition(actor=registrar, record_id=reviewed.pk, transition="forfeit", reason="未报到")
    rows[0]["XM"], rows[1]["XM"] = "改名甲", "改名乙"
    result = import_rows(rows)
    assert (result.updated, result.skipped) == (1, [rows[1]["KSH"]])
    assert AdmissionRecord.objects.get(exam_number=rows[0]["KSH"]).history.earliest().name == "新生1"


def test_dry_run_checks_everything_and_writes_nothing(import_rows, major_a):
    result = import_rows([admission_row(1, major_a)], dry_run=True)
    assert result.ok and result.created == 1
    assert not AdmissionRecord.objects.exists()


def test_special_admission_types_are_marked(registrar, term, major_a):
    # rule ENR-10
    header = [*HEADER, "录取类型"]
    row = admission_row(1, major_a)
    content = xlsx_bytes([header, [*[row[h] for h in HEADER], "定向"]])
    admission_import(
        actor=registrar, year=2026, sheet=parse_admissions(content, "a.xlsx"), file_name="a.xlsx"
    )
    assert AdmissionRecord.objects.get().admission_type == "02"


def test_missing_headers_are_reported_with_the_column(import_rows, registrar, term):
    content = xlsx_bytes([["KSH", "XM"], ["1", "张三"]])
    result = admission_import(
        actor=registrar, year=2026, sheet=parse_admissions(content, "a.xlsx"), file_name="a.xlsx"
    )
    assert "第1行 性别：缺少必填列（可用“XB”或“性别”作表头）" in [str(e) for e in result.errors]


def test_college_staff_cannot_import(college_a_staff, term, major_a):
    from django.core.exceptions import PermissionDenied

    content = admission_sheet([admission_row(1, major_a)])
    with pytest.raises(PermissionDenied):
        admission_import(
            actor=college_a_staff, year=2026, sheet=parse_admissions(content, "a.xlsx"), file_name="a.xlsx"
        )


def test_excel_dates_and_year_month_entry_dates_are_read(import_rows, major_a):
    row = admission_row(1, major_a, CSRQ=datetime.datetime(2007, 5, 1), RXRQ="202609")
    result = import_rows([row])
    assert result.ok, result.errors
    assert AdmissionRecord.objects.get().entry_date == datetime.date(2026, 9, 1)


def test_two_records_trading_id_numbers_is_an_error_not_a_crash(import_rows, major_a):
    first, second = admission_row(1, major_a), admission_row(2, major_a)
    import_rows([first, second])
    swapped = [
        {**first, "ZJHM": second["ZJHM"], "CSRQ": second["CSRQ"], "XB": second["XB"]},
        {**second, "ZJHM": first["ZJHM"], "CSRQ": first["CSRQ"], "XB": first["XB"]},
    ]
    result = import_rows(swapped)
    assert not result.ok or result.updated == 2
    assert set(AdmissionRecord.objects.values_list("id_number", flat=True)) == {first["ZJHM"], second["ZJHM"]}
