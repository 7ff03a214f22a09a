"""The photo check in the browser (journey 2, DIP-9, JL28): the student finds it from their own page, sees the
photo beside their data, reports what is wrong; their college sees the conclusion."""

import pytest

from diploma.models import CheckState, PhotoCapture
from registrar.roles import Role
from registrar.services import user_create
from tests.browser.page_text import VISIBLE_TEXT, english_words
from tests.diploma.builders import cohort, graduating
from tests.diploma.photo_builders import captured
from tests.users import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.rule("DIP-9")
def test_a_student_checks_the_photo_and_reports_a_problem_the_college_sees(
    page, signed_in_as, live_server, registrar, college_a_staff, school, major_a, screenshot_dir
):
    student = graduating(major_a, 1)[0]
    cohort(registrar, [student])
    captured(registrar, [student])
    graduate = user_create(
        actor=None, username="grad_a", password=PASSWORD, role=Role.STUDENT, student=student
    )

    signed_in_as(graduate)
    page.goto(f"{live_server.url}/me/")
    # One navigation between the graduate's pages, each fitting a 390 px phone (issue 10, item 7).
    page.set_viewport_size({"width": 390, "height": 844})
    labels = page.locator("nav.student-nav a").all_inner_texts()
    assert labels == ["我的学籍", "我的学籍档案", "学历证书", "照片校对"]
    for label in labels:
        page.locator("nav.student-nav").get_by_role("link", name=label, exact=True).click()
        page.wait_for_load_state()
        assert page.inner_text('nav.student-nav a[aria-current="page"]') == label
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), (
            f"{label} scrolls sideways"
        )
        # All in Chinese, but for the accounts named in the history.
        text = page.evaluate(VISIBLE_TEXT)
        for account in ("grad_a", registrar.username):
            text = text.replace(account, "")
        assert english_words(text) == [], f"{label} shows English: {english_words(text)}"
    page.wait_for_selector("#photo")
    assert page.evaluate("document.querySelector('#photo').naturalWidth") == 480
    assert student.name in page.inner_text("#photo-data")
    assert "待校对" in page.inner_text("#photo-state")
    page.screenshot(path=str(screenshot_dir / "photo_check_open.png"), full_page=True)
    page.fill("#problem", "民族应为回族")
    page.click("#report")
    page.wait_for_selector("text=学院将与你联系")
    assert "报告有误" in page.inner_text("#photo-state")
    assert PhotoCapture.objects.get(student=student).check_state == CheckState.DISPUTED
    page.goto(f"{live_server.url}/annual/me/")
    assert "毕业生图像校对：报告有误" in page.inner_text("#timeline")

    page.context.clear_cookies()
    signed_in_as(college_a_staff)
    page.goto(f"{live_server.url}/admin/diploma/photocapture/")
    row = page.locator("tr", has_text=student.name)
    assert "报告有误" in row.inner_text() and "民族应为回族" in row.inner_text()
    page.screenshot(path=str(screenshot_dir / "photo_check_conclusions.png"), full_page=True)


@pytest.mark.rule("DIP-9")
def test_a_student_confirms_once_the_check_is_open(
    page, signed_in_as, live_server, registrar, school, major_a
):
    student = graduating(major_a, 1)[0]
    captured(registrar, [student])
    graduate = user_create(
        actor=None, username="grad_b", password=PASSWORD, role=Role.STUDENT, student=student
    )
    signed_in_as(graduate)
    page.goto(f"{live_server.url}/annual/me/")
    page.click("text=去校对照片和信息")
    page.click("#confirm")
    page.wait_for_selector("text=已确认照片和信息无误")
    assert "确认无误" in page.inner_text("#photo-state")
    assert page.locator("#confirm").count() == 0
