"""What users upload, what goes to the national platform and what the audit log keeps stay Chinese.

Choice labels are translated on pages; the names in uploaded files, the
platform's registration file and audit reasons are Chinese whatever the
active language.
"""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from python_calamine import CalamineWorkbook

from audit.models import AuditEvent
from enrollment import exports
from enrollment.imports import parse_admissions
from enrollment.models import AdmissionRecord, CorrectionRequest
from enrollment.selectors import registration_records
from enrollment.services import (
    ItemInput,
    admission_import,
    correction_create,
    review_batch_approve,
    review_batch_create,
    review_batch_submit,
    review_items_save,
)
from registrar import codes
from registrar.sheets.cells import code_table
from tests.enrollment.builders import admission_row, admission_sheet

pytestmark = pytest.mark.django_db

CHINESE_NAMES = {
    "XB": "男",
    "ZJLX": "居民身份证",
    "MZ": "汉族",
    "ZZMM": "共青团员",
    "CC": "本科",
    "XXXS": "普通全日制",
}


def test_an_upload_with_chinese_names_is_accepted_while_english_is_active(registrar, term, major_a):
    row = admission_row(1, major_a, **CHINESE_NAMES)
    with translation.override("en"):
        sheet = parse_admissions(admission_sheet([row]), "lq.xlsx")
        assert sheet.errors == []
        result = admission_import(actor=registrar, year=2026, sheet=sheet, file_name="lq.xlsx")
    assert result.ok, result.errors
    record = AdmissionRecord.objects.get()
    assert (record.gender, record.id_type, record.ethnicity, record.political_status) == (
        "1",
        "1",
        "01",
        "03",
    )
    assert (record.level, record.study_mode) == ("05", "1")


def test_english_names_are_not_codes_of_an_upload(major_a):
    # The files are Chinese: an English label is no more a name than any other text.
    row = admission_row(1, major_a, MZ="Han")
    with translation.override("en"):
        errors = parse_admissions(admission_sheet([row]), "lq.xlsx").errors
    assert [(e.column, e.reason) for e in errors] == [("民族", "“Han” is not a valid ethnicity code or name")]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_code_table_built_while_english_is_active_still_reads_chinese_names(language):
    with translation.override(language):
        check = code_table(codes.Ethnicity, "民族", pad=True)
        assert check("汉族", "汉族") == "01"
        assert check("1", "1") == "01"


@pytest.fixture
def approved(freshmen_a, college_a_staff, registrar, college_a, term):
    """A review list approved while English is active: two passed, reasons left blank, one forfeited (a
    forfeit needs its reason, issue 10)."""
    with translation.override("en"):
        batch = review_batch_create(actor=college_a_staff, college=college_a, term=term)
        items = [
            ItemInput(key=r.exam_number, outcome=o, reason="未报到" if o == "forfeited" else "")
            for r, o in zip(freshmen_a, ["passed", "passed", "forfeited"], strict=False)
        ]
        assert review_items_save(actor=college_a_staff, batch_id=batch.pk, items=items) == []
        review_batch_submit(actor=college_a_staff, batch_id=batch.pk)
        review_batch_approve(actor=registrar, batch_id=batch.pk)
    return batch


def test_the_platform_registration_file_keeps_chinese_names_while_english_is_active(approved, registrar):
    with translation.override("en"):
        content = exports.registration_xlsx(registration_records(registrar))
        dbf_content = exports.registration_dbf(registration_records(registrar))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert len(rows) == 3
    # XB, ZJLX, ZZMM, MZ, CC, XXXS, LQLX
    assert [rows[1][i] for i in (3, 5, 7, 8, 14, 15, 19)] == [
        "男",
        "居民身份证",
        "共青团员",
        "汉族",
        "本科",
        "普通全日制",
        "普通",
    ]
    assert "汉族".encode("gbk") in dbf_content and b"Han" not in dbf_content


def test_default_audit_reasons_of_an_approval_stay_chinese_while_english_is_active(approved):
    with translation.override("zh-hans"):
        title = str(approved)
    reasons = set(
        AuditEvent.objects.filter(
            action__in=["enrollment.review.register", "enrollment.review.forfeit"]
        ).values_list("reason", flat=True)
    )
    assert (
        AuditEvent.objects.filter(
            action__in=["enrollment.review.register", "enrollment.review.forfeit"]
        ).count()
        == 3
    )
    assert reasons == {f"{title}：报到入学", "未报到"}
    assert title == "2026-2027学年第一学期新生入学资格审查名单（计算机学院）"


def test_a_correction_names_its_value_in_chinese_while_english_is_active(freshmen_a, college_a_staff):
    with translation.override("en"):
        request = correction_create(
            actor=college_a_staff,
            record_id=freshmen_a[0].pk,
            requested={"ethnicity": "回族"},
            reason="民族有误",
        )
    assert CorrectionRequest.objects.get(pk=request.pk).requested == {"ethnicity": "03"}


def test_the_decision_mail_is_chinese_throughout_while_english_is_active(
    approved, college_a_staff, mailoutbox
):
    from registrar.tasks import batch_decided

    college_a_staff.email = "a@example.edu.cn"
    college_a_staff.save(update_fields=["email"])
    with translation.override("en"):
        assert batch_decided(approved.pk) == 1
    assert mailoutbox[-1].subject == "名单“2026-2027学年第一学期新生入学资格审查名单（计算机学院）”已审批"
