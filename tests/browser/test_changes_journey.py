"""Journey 3 in the browser: a 休学 from the college's filing to the student's own page (ANN-4)."""

import datetime

import pytest
from django.utils import timezone

from annual_registration.models import ChangeState, StatusChange
from annual_registration.services.changes import kind_settings_seed
from tests.annual_registration.change_builders import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.rule("ANN-4")
def test_a_suspension_from_filing_to_the_students_page(
    page, signed_in_as, live_server, college_a_staff, registrar, student_a, school, tmp_path, screenshot_dir
):
    kind_settings_seed()  # a transactional test before this one may have emptied the seeded kinds
    today = timezone.localdate()
    student = student_a.student
    signed_in_as(college_a_staff)
    page.goto(f"{live_server.url}/admin/annual_registration/statuschange/add/")
    page.fill("#id_student_number", student.student_number)
    page.select_option("#id_kind", "11")
    page.fill("#id_reason", "病休（二级甲等医院诊断证明）")
    page.fill("#id_period_start", today.isoformat())
    page.fill("#id_period_end", (today + datetime.timedelta(days=180)).isoformat())
    page.click("#change-file-submit")
    page.wait_for_selector("text=已保存为草稿")
    page.click("#action-submit")
    page.wait_for_selector("text=已办理：提交教务处")
    assert page.inner_text("#change-state") == "待教务处审批"
    case_url = page.url

    page.context.clear_cookies()
    signed_in_as(registrar)
    page.goto(case_url)
    document = tmp_path / "休学决定.pdf"
    document.write_bytes(PDF)
    page.fill("#id_decision_date", today.isoformat())
    page.fill("#id_document_number", "校学〔2026〕21号")
    page.set_input_files("#id_document", str(document))
    page.click("#action-approve")
    page.wait_for_selector("text=已办理：批准")
    assert page.inner_text("#change-state") == "已批准，待学信网标注"
    page.screenshot(path=str(screenshot_dir / "status_change_approved.png"), full_page=True)
    assert StatusChange.objects.get(student=student).state == ChangeState.APPROVED

    page.context.clear_cookies()
    signed_in_as(student_a)
    page.goto(f"{live_server.url}/annual/me/")
    timeline = page.inner_text("#timeline")
    assert "学籍异动：休学" in timeline and "校学〔2026〕21号" in timeline
    page.screenshot(path=str(screenshot_dir / "status_change_on_students_page.png"), full_page=True)
