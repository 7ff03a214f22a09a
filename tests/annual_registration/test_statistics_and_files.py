"""The 学年电子注册情况统计表 and the platform's annual-registration file (ANN-12, ANN-9, SEC-2)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from annual_registration.models import StatisticsReport
from annual_registration.reports import annual_statistics
from annual_registration.services.reports import statistics_report_send
from audit.models import AuditEvent
from enrollment.imports import read_dbf
from registrar.errors import DomainError
from registrar.idcard import mask
from tests.annual_registration.record_builders import TODAY, year_decided

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(students_a, students_b, registrar, college_a_staff, college_a, year_2027, term_2027):
    """2027: college A's five decided (four registered, one deferred for fees), college B's three pending."""
    year_decided(registrar, college_a_staff, college_a, year_2027, term_2027, students_a)
    return year_2027


def sheet_of(response):
    return load_workbook(io.BytesIO(response.content)).active


@pytest.mark.rule("ANN-12")
@pytest.mark.rule("ANN-9")
def test_the_table_counts_by_college_grade_level_and_state_and_only_the_registered_are_in_school(
    decided, registrar
):
    statistics = annual_statistics(registrar, decided)
    rows = [(r.college, r.grade, r.level, r.on_roll, r.states, r.in_school) for r in statistics.rows]
    assert rows == [
        (
            "计算机学院",
            2026,
            "05",
            5,
            {"registered": 4, "deferred": 1, "pending": 0, "suspended": 0, "retained": 0},
            4,
        ),
        (
            "外国语学院",
            2026,
            "05",
            3,
            {"registered": 0, "deferred": 0, "pending": 3, "suspended": 0, "retained": 0},
            0,
        ),
    ]
    assert (statistics.total.college, statistics.total.on_roll, statistics.total.in_school) == (
        "全校合计",
        8,
        4,
    )


@pytest.mark.rule("ANN-12")
def test_the_statistics_xlsx_has_a_frozen_header_a_filter_widths_and_the_school_total(
    decided, registrar, client_for
):
    url = reverse("annual_records:statistics-file") + "?year=2027"
    sheet = sheet_of(client_for(registrar).get(url))
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:K3"
    assert sheet.column_dimensions["B"].width >= 20
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][:5] == ["院系代码", "院系", "年级", "层次", "应注册人数"]
    assert values[1][:5] == ["A01", "计算机学院", 2026, "本科", 5]
    assert values[3][1] == "全校合计" and values[3][4:] == [8, 4, 1, 3, 0, 0, 4]
    assert sheet.cell(row=4, column=2).font.bold


@pytest.mark.rule("SEC-2")
def test_college_staff_get_the_table_of_their_colleges_only(decided, college_a_staff, client_for):
    url = reverse("annual_records:statistics-file") + "?year=2027"
    values = list(sheet_of(client_for(college_a_staff).get(url)).iter_rows(values_only=True))
    assert [row[1] for row in values[1:]] == ["计算机学院", "合计"]


@pytest.mark.rule("ANN-12")
def test_the_report_goes_to_the_province_once_a_year_with_when_and_by_whom(decided, registrar):
    report = statistics_report_send(
        actor=registrar,
        academic_year=decided,
        sent_on=TODAY,
        recipient="省教育厅",
        document_number="教学〔2027〕20号",
    )
    assert (report.sent_by, report.sent_on, report.figures["total"]["on_roll"]) == (registrar, TODAY, 8)
    with pytest.raises(DomainError, match="每学年只报送一次"):
        statistics_report_send(actor=registrar, academic_year=decided, sent_on=TODAY, recipient="省教育厅")
    assert AuditEvent.objects.filter(action="annual_registration.statistics.send").count() == 1


@pytest.mark.rule("ANN-12")
def test_the_report_as_sent_downloads_unchanged_after_the_roll_changes(
    decided, registrar, college_b_staff, college_b, term_2027, students_b, client_for
):
    report = statistics_report_send(
        actor=registrar, academic_year=decided, sent_on=TODAY, recipient="省教育厅"
    )
    from registrar import batches
    from registrar.models import BatchKind

    kind = BatchKind.ANNUAL_REGISTRATION
    batch = batches.batch_create(actor=college_b_staff, kind=kind, college=college_b, term=term_2027)
    batches.batch_items_fill(actor=college_b_staff, batch_id=batch.pk, kind=kind)
    batches.batch_submit(actor=college_b_staff, batch_id=batch.pk, kind=kind)
    batches.batch_approve(actor=registrar, batch_id=batch.pk, kind=kind)
    assert annual_statistics(registrar, decided).total.states["deferred"] == 4  # B's three deferred since
    url = reverse("admin:annual_registration_statisticsreport_file", args=[report.pk])
    values = list(sheet_of(client_for(registrar).get(url)).iter_rows(values_only=True))
    assert values[-1][4:] == (8, 4, 1, 3, 0, 0, 4)


@pytest.mark.rule("SEC-1")
def test_college_staff_do_not_send_the_report_nor_see_it(decided, college_a_staff, registrar, client_for):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        statistics_report_send(
            actor=college_a_staff, academic_year=decided, sent_on=TODAY, recipient="省教育厅"
        )
    report = statistics_report_send(
        actor=registrar, academic_year=decided, sent_on=TODAY, recipient="省教育厅"
    )
    url = reverse("admin:annual_registration_statisticsreport_file", args=[report.pk])
    assert client_for(college_a_staff).get(url).status_code == 404
    assert StatisticsReport.objects.for_user(college_a_staff).count() == 0


# ---------------------------------------------------------------- the platform's annual-registration file


def annual_url(fmt: str, **query) -> str:
    return (
        reverse("annual_records:annual-file", args=[fmt])
        + "?year=2027"
        + "".join(f"&{k}={v}" for k, v in query.items())
    )


@pytest.mark.rule("ANN-12")
def test_the_annual_file_has_the_platforms_columns_and_the_decided_registrations(
    decided, registrar, client_for, students_a
):
    values = list(sheet_of(client_for(registrar).get(annual_url("xlsx"))).iter_rows(values_only=True))
    assert values[0][:3] == ("KSH", "XH", "XM") and values[0][-5:] == ("XN", "ZCZT", "ZCRQ", "ZHYY", "BZ")
    assert [row[19] for row in values[1:]] == ["已注册"] * 4 + ["暂缓注册"]
    assert values[-1][21] == "未缴费" and values[1][6] == students_a[0].id_number


@pytest.mark.rule("SEC-2")
def test_college_staff_get_their_colleges_rows_with_masked_id_numbers(
    decided, college_b_staff, college_a_staff, client_for, students_a
):
    rows = list(sheet_of(client_for(college_a_staff).get(annual_url("xlsx"))).iter_rows(values_only=True))[1:]
    assert rows[0][6] == mask(students_a[0].id_number) and len(rows) == 5
    assert (
        list(sheet_of(client_for(college_b_staff).get(annual_url("xlsx"))).iter_rows(values_only=True))[1:]
        == []
    )


@pytest.mark.rule("ANN-12")
def test_the_annual_dbf_file_is_gbk_with_the_platforms_column_names(decided, registrar, client_for):
    response = client_for(registrar).get(annual_url("dbf"))
    assert response["Content-Type"] == "application/x-dbf"
    rows = list(read_dbf(response.content))
    assert rows[0][:3] == ["KSH", "XH", "XM"] and rows[1][2] == "新生1"
    assert "新生1".encode("gbk") in response.content


@pytest.mark.rule("ANN-12")
def test_a_name_gbk_lacks_is_named_for_the_registrar_who_chooses(decided, registrar, client_for, students_a):
    from registrar.models import Student

    Student.objects.filter(pk=students_a[0].pk).update(name="王𠮷")
    page = client_for(registrar).get(annual_url("dbf"))
    assert "王𠮷" in page.content.decode() and "U+20BB7" in page.content.decode()
    replaced = list(read_dbf(client_for(registrar).get(annual_url("dbf", rare="replace")).content))
    assert replaced[1][2] == "王?"
    held = list(read_dbf(client_for(registrar).get(annual_url("dbf", rare="hold")).content))
    assert [r[2] for r in held[1:]] == ["新生2", "新生3", "新生4", "新生5"]


@pytest.mark.rule("SEC-2")
@pytest.mark.parametrize("name", ["annual-file", "statistics-file"])
def test_students_and_the_anonymous_get_no_file(decided, students_a, client, name):
    from registrar.models import User

    args = ["xlsx"] if name == "annual-file" else []
    url = reverse(f"annual_records:{name}", args=args) + "?year=2027"
    assert client.get(url).status_code == 302
    client.force_login(User.objects.get(student=students_a[0]))
    assert client.get(url).status_code == 403


def test_exports_are_rate_limited(decided, registrar, client_for, settings):
    settings.RATE_LIMITS = {"upload": "100/10m", "export": "2/10m"}
    client = client_for(registrar)
    codes = [client.get(annual_url("xlsx")).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
