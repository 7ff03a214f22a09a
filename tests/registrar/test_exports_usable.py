"""Exports people can use at once (issue 10, item 5): names with year and college, frozen header,
filters, widths, a school total, the year stated, YJBYRQ filled; templates whose explanations are
never read as data."""

import datetime
import io
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from enrollment import exports
from enrollment.imports import parse_admissions
from enrollment.models import AdmissionRecord
from enrollment.services import (
    ItemInput,
    review_batch_approve,
    review_batch_create,
    review_batch_submit,
    review_items_save,
)
from registrar.sheets.platform import expected_graduation
from registrar.sheets.writers import xlsx
from registrar.uploads import content_disposition
from tests.enrollment.builders import admission_row, admission_sheet

pytestmark = pytest.mark.django_db


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def file_name(response) -> str:
    header = response["Content-Disposition"]
    assert "filename*=UTF-8''" in header
    return unquote(header.split("filename*=UTF-8''", 1)[1])


def test_every_sheet_has_a_frozen_bold_header_a_filter_and_widths_that_fit_chinese_text():
    sheet = workbook(
        xlsx(["姓名", "院系"], [["欧阳娜娜", "马克思主义学院与公共管理学院"], ["王一", "理学院"]])
    ).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:B3"
    assert sheet["A1"].font.bold
    # 14 Chinese characters take 28 narrow ones: the column is at least that wide.
    assert sheet.column_dimensions["B"].width >= 28
    assert 6 <= sheet.column_dimensions["A"].width < sheet.column_dimensions["B"].width


def test_a_template_has_a_drop_down_for_its_outcomes_and_its_notes_on_a_sheet_of_their_own():
    book = workbook(
        xlsx(["考生号", "审查结论"], [["1", "报到入学"]], "审查结果", choices={1: ["报到入学", "放弃入学资格"]},
             notes=["填写说明", "每行一名新生"], notes_title="填写说明")
    )  # fmt: skip
    data, notes = book.worksheets
    (validation,) = data.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"报到入学,放弃入学资格"'
    assert str(validation.sqref).startswith("B2:B")
    assert notes.title == "填写说明" and notes["A2"].value == "每行一名新生"


def test_a_chinese_file_name_is_sent_as_rfc_5987_with_an_ascii_stand_in():
    header = content_disposition("2026级新生学籍注册数据-计算机学院.xlsx")
    assert header.startswith("attachment; filename=\"download.xlsx\"; filename*=UTF-8''2026%E7%BA%A7")
    assert content_disposition("a.xlsx") == 'attachment; filename="a.xlsx"'


@pytest.fixture
def registered(freshmen_a, college_a_staff, registrar, college_a, term):
    batch = review_batch_create(actor=college_a_staff, college=college_a, term=term)
    review_items_save(
        actor=college_a_staff,
        batch_id=batch.pk,
        items=[ItemInput(key=r.exam_number, outcome="passed") for r in freshmen_a],
    )
    review_batch_submit(actor=college_a_staff, batch_id=batch.pk)
    review_batch_approve(actor=registrar, batch_id=batch.pk)
    return freshmen_a


@pytest.mark.rule("ENR-12")
def test_the_registration_file_is_named_for_its_year_and_college(registered, college_a_staff, client_for):
    url = reverse("enrollment:registration-file", args=["xlsx"]) + "?year=2026"
    response = client_for(college_a_staff).get(url)
    assert file_name(response) == "2026级新生学籍注册数据-计算机学院.xlsx"


@pytest.mark.rule("ENR-12")
def test_the_registrar_s_file_is_the_school_s(registered, registrar, client_for):
    url = reverse("enrollment:registration-file", args=["dbf"]) + "?year=2026"
    assert file_name(client_for(registrar).get(url)) == "2026级新生学籍注册数据-全校.dbf"


@pytest.mark.rule("ENR-12")
def test_the_statistics_table_ends_with_the_total_in_bold_and_names_its_year(
    registered, registrar, client_for
):
    response = client_for(registrar).get(reverse("enrollment:statistics-file") + "?year=2026")
    assert file_name(response) == "2026级新生注册情况统计表-全校.xlsx"
    sheet = workbook(response.content).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][0] == "合计" and rows[-1][-1] == len(registered)
    assert sheet.cell(row=len(rows), column=1).font.bold
    assert sheet.freeze_panes == "A2"


@pytest.mark.rule("ENR-12")
def test_the_platform_file_fills_the_expected_graduation_date_from_entry_and_programme_length(registered):
    AdmissionRecord.objects.filter(pk=registered[0].pk).update(student=None)
    record = AdmissionRecord.objects.filter(pk=registered[0].pk)
    (row,) = exports.registration_rows(record)
    assert row[17:19] == ["20260907", "20300630"]


def test_expected_graduation_ends_with_the_term_the_programme_ends_in():
    autumn = datetime.date(2026, 9, 7)
    assert expected_graduation(autumn, Decimal("4")) == datetime.date(2030, 6, 30)
    assert expected_graduation(autumn, Decimal("2.5")) == datetime.date(2029, 1, 31)
    assert expected_graduation(None, Decimal("4")) is None


@pytest.mark.rule("ENR-1")
def test_the_admission_template_as_downloaded_has_no_row_read_as_data(registrar, client_for):
    response = client_for(registrar).get(reverse("enrollment:admission-template"))
    assert file_name(response) == "录取数据导入模板.xlsx"
    data, notes = workbook(response.content).worksheets
    assert data.max_row == 1 and notes.title == "填写说明"
    sheet = parse_admissions(response.content, "t.xlsx")
    assert [str(e) for e in sheet.errors] == ["文件中没有数据行"]


@pytest.mark.rule("ENR-1")
def test_an_old_template_s_kept_explanation_row_is_not_read_as_data(term, major_a):
    row = admission_row(1, major_a)
    notes = {key: f"（{key}，必填）" for key in row}
    sheet = parse_admissions(admission_sheet([notes, row]), "old.xlsx")
    assert sheet.errors == []
    assert [r.number for r in sheet.rows] == [3]
