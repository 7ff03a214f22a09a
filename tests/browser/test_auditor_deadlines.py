"""The auditor signs in, filters the violations, downloads the xlsx, and the file holds the expected rows."""

import pytest
from python_calamine import CalamineWorkbook

from deadlines.registry import unregister_kind
from tests.deadlines.builders import students_watched_and_scanned

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def violations(major_a, major_b):
    students_watched_and_scanned(
        key="tests.browser_check", code="browser_check", major_a=major_a, major_b=major_b
    )
    yield
    unregister_kind("tests.browser_check")


def test_the_auditor_filters_and_downloads_the_violations(
    page, live_server, signed_in_as, auditor, violations, screenshot_dir
):
    signed_in_as(auditor)
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
    assert "发现逾期未办" in rows[0][12]  # the evidence event by its Chinese name (issue 10, item 4)
    assert "deadline.violation.open" not in rows[0][12]
