"""The auditor signs in, filters the violations, downloads the xlsx, and the file holds the expected rows."""

import datetime

import pytest
from python_calamine import CalamineWorkbook

from deadlines.models import Clock, DeadlineRule
from deadlines.registry import register_kind, unregister_kind
from deadlines.scan import deadline_scan
from registrar.models import Student
from tests.factories import StudentFactory
from tests.users import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = datetime.date


@pytest.fixture
def violations(major_a, major_b):
    register_kind(
        "tests.browser_check",
        label="测试：学生核对",
        subjects=Student.objects.all(),
        clocks={Clock.TERM_START: "entry_date"},
        college="college",
        student="pk",
        done_on="expected_graduation_date",
    )
    DeadlineRule.objects.create(
        code="browser_check",
        name="学生核对",
        kind="tests.browser_check",
        clock="term_start",
        unit="months",
        length=3,
    )
    StudentFactory(major=major_a, name="甲同学", entry_date=D(2026, 9, 7))
    StudentFactory(
        major=major_a, name="乙同学", entry_date=D(2026, 9, 7), expected_graduation_date=D(2026, 12, 9)
    )
    StudentFactory(major=major_b, name="丙同学", entry_date=D(2026, 9, 7))
    deadline_scan(as_of=D(2026, 12, 20))
    yield
    unregister_kind("tests.browser_check")


def test_the_auditor_filters_and_downloads_the_violations(
    page, live_server, sign_in, auditor, violations, screenshot_dir
):
    sign_in("auditor", PASSWORD)
    page.goto(f"{live_server.url}/audit/")
    assert page.locator("#college-counts").is_visible()
    page.select_option("#id_state", "open")
    page.select_option("#id_college", label="计算机学院")
    page.locator("#violation-filter input[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#violations tbody tr").count() == 1
    page.screenshot(path=str(screenshot_dir / "auditor_deadlines.png"), full_page=True)
    with page.expect_download() as info:
        page.click("#export-xlsx")
    path = info.value.path()
    header, *rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("逾期记录").to_python()
    assert header[0] == "规则代码"
    assert [(row[0], row[5], row[10], row[11]) for row in rows] == [
        ("browser_check", "计算机学院", 13, "逾期未办")
    ]
    assert "甲同学" in rows[0][4]
    assert "deadline.violation.open" in rows[0][12]
