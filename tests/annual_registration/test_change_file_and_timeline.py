"""Status changes in the student's archive and in the platform's 学籍异动 file (QRY-1, ANN-4, ANN-12, SEC-2)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from annual_registration.timeline import deferral_notice, student_record
from enrollment.imports import read_dbf
from registrar import codes
from registrar.idcard import mask
from tests.annual_registration.change_builders import approved

pytestmark = pytest.mark.django_db
Kind = codes.StatusChangeKind
SUSPENSION = {"period_start": datetime.date(2026, 10, 12), "period_end": datetime.date(2027, 7, 15)}


def change_file(client, fmt: str = "xlsx", **query):
    url = reverse("annual_records:change-file", args=[fmt]) + "?year=2026"
    return client.get(url + "".join(f"&{k}={v}" for k, v in query.items()))


def rows_of(response) -> list[tuple]:
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


@pytest.mark.rule("QRY-1")
@pytest.mark.rule("ANN-4")
def test_a_change_of_major_shows_in_the_archive_with_its_values_before_and_after(
    college_a_staff, registrar, second_years, other_major_a, roll_2026
):
    student = second_years[0]
    approved(college_a_staff, registrar, student, Kind.MAJOR_CHANGE, values={"major": other_major_a.pk})
    entry = next(e for e in student_record(registrar, student.pk).timeline if e.kind == "change")
    assert (entry.day, entry.title, entry.document_number) == (
        datetime.date(2026, 10, 12),
        "学籍异动：转专业",
        "校学〔2026〕12号",
    )
    assert ("专业", f"{student.major.name}（{student.major.code}）", "软件工程（080902）") in entry.changes


@pytest.mark.rule("ANN-3")
@pytest.mark.rule("QRY-1")
def test_a_suspended_student_sees_the_suspension_and_no_deferral_notice(
    college_a_staff, registrar, second_years, roll_2026
):
    student = second_years[0]
    approved(college_a_staff, registrar, student, Kind.SUSPENSION, reason="病休", **SUSPENSION)
    entry = next(e for e in student_record(registrar, student.pk).timeline if e.kind == "change")
    assert ("学籍状态", "在籍", "休学") in entry.changes and entry.detail == "病休"
    assert deferral_notice(student) is None


@pytest.mark.rule("ANN-12")
@pytest.mark.rule("ANN-4")
def test_the_change_file_has_the_platforms_columns_codes_and_values_before_and_after(
    college_a_staff, registrar, second_years, other_major_a, roll_2026, client_for
):
    student = second_years[0]
    approved(college_a_staff, registrar, student, Kind.MAJOR_CHANGE, values={"major": other_major_a.pk})
    approved(college_a_staff, registrar, second_years[1], Kind.SUSPENSION, reason="病休", **SUSPENSION)
    header, major, suspension = rows_of(change_file(client_for(registrar)))
    assert header[:6] == ("KSH", "XH", "XM", "ZJHM", "YDLBDM", "YDLB")
    by_column = dict(zip(header, major, strict=True))
    assert (by_column["YDLBDM"], by_column["YDLB"], by_column["YDRQ"], by_column["WH"]) == (
        "23",
        "转专业",
        "20261012",
        "校学〔2026〕12号",
    )
    assert (by_column["YDQZYDM"], by_column["YDHZYDM"], by_column["ZJHM"]) == (
        student.major.code,
        "080902",
        student.id_number,
    )
    by_column = dict(zip(header, suspension, strict=True))
    assert (by_column["QSRQ"], by_column["JZRQ"], by_column["YDQXJZT"], by_column["YDHXJZT"]) == (
        "20261012",
        "20270715",
        "在籍",
        "休学",
    )


@pytest.mark.rule("SEC-2")
def test_college_staff_get_their_colleges_changes_with_masked_id_numbers(
    college_a_staff, college_b_staff, registrar, second_years, roll_2026, client_for
):
    student = second_years[0]
    approved(college_a_staff, registrar, student, Kind.WITHDRAWAL, reason="本人申请退学")
    (_header, row) = rows_of(change_file(client_for(college_a_staff)))
    assert row[3] == mask(student.id_number)
    assert rows_of(change_file(client_for(college_b_staff)))[1:] == []


@pytest.mark.rule("ANN-12")
def test_the_change_file_in_dbf_is_gbk_with_the_platforms_column_names(
    college_a_staff, registrar, second_years, roll_2026, client_for
):
    approved(college_a_staff, registrar, second_years[0], Kind.WITHDRAWAL, reason="本人申请退学")
    response = change_file(client_for(registrar), "dbf")
    assert response["Content-Type"] == "application/x-dbf"
    header, row = list(read_dbf(response.content))
    assert header[:6] == ["KSH", "XH", "XM", "ZJHM", "YDLBDM", "YDLB"] and row[5] == "退学"
    assert "退学".encode("gbk") in response.content


@pytest.mark.rule("SEC-2")
def test_students_get_no_change_file(second_years, roll_2026, student_a, client_for):
    assert change_file(client_for(student_a)).status_code == 403


@pytest.mark.rule("ANN-12")
@pytest.mark.rule("ANN-4")
def test_a_student_who_repeated_a_year_counts_in_the_grade_the_change_gave(
    college_a_staff, registrar, second_years, roll_2026
):
    from annual_registration.reports import annual_statistics

    approved(college_a_staff, registrar, second_years[0], Kind.REPEAT_YEAR, values={"grade": 2026})
    grades = {(r.college, r.grade): r.on_roll for r in annual_statistics(registrar, roll_2026).rows}
    assert (grades[("计算机学院", 2025)], grades[("计算机学院", 2026)]) == (4, 1)
