"""Journeys 2, 3 and 4 of freshman registration, in Debian's Chromium."""

import datetime

import pytest

from enrollment.models import AdmissionRecord
from enrollment.services import (
    ItemInput,
    data_report_resolve,
    review_batch_approve,
    review_batch_create,
    review_batch_submit,
    review_items_save,
    student_passwords_issue,
)
from registrar.models import Batch
from tests.browser.page_text import VISIBLE_TEXT, english_words
from tests.enrollment.builders import admission_row, admission_sheet, xlsx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A deferral needs its end and a reason, a forfeit or cancellation its reason (ENR-3, ENR-4; issue 10).
REASONS = {"forfeited": "未报到", "deferred": "应征入伍", "cancelled": "材料与本人不符"}
END = datetime.date.today() + datetime.timedelta(days=365)

# The enrollment fixtures, shared with the browser tests.


def test_registrar_uploads_admission_data_with_errors_and_sees_them_all(
    page, signed_in_as, live_server, registrar, term, major_a, tmp_path, screenshot_dir
):
    path = tmp_path / "luqu.xlsx"
    path.write_bytes(
        admission_sheet([admission_row(1, major_a, XM=""), admission_row(2, major_a, CSRQ="20070230")])
    )
    signed_in_as(registrar)
    page.goto(f"{live_server.url}/admin/enrollment/admissionrecord/import/")
    page.set_input_files("#file", str(path))
    page.click("#import-submit")
    page.wait_for_selector("#row-errors")
    assert page.locator("tr.row-error").count() >= 2
    assert "第2行" in page.inner_text("#row-errors") and "第3行" in page.inner_text("#row-errors")
    page.screenshot(path=str(screenshot_dir / "enrollment_import_errors.png"), full_page=True)
    path.write_bytes(admission_sheet([admission_row(1, major_a), admission_row(2, major_a)]))
    page.set_input_files("#file", str(path))
    page.click("#import-submit")
    page.wait_for_selector("#import-result")
    assert AdmissionRecord.objects.count() == 2


def test_college_staff_uploads_review_results_fixes_errors_and_submits(
    page, signed_in_as, live_server, college_a_staff, college_a, freshmen_a, tmp_path, screenshot_dir
):
    signed_in_as(college_a_staff)
    page.goto(f"{live_server.url}/admin/enrollment/reviewbatch/add/")
    page.click("#batch-new-submit")
    page.wait_for_selector("#batch-upload")
    bad = tmp_path / "shencha.xlsx"
    rows = [["考生号", "姓名", "审查结论", "保留截止日期", "原因"]]
    rows += [[r.exam_number, r.name, "报到入学", "", ""] for r in freshmen_a[:3]]
    rows += [[freshmen_a[3].exam_number, "", "请假", "", ""], ["00000000000000", "", "报到入学", "", ""]]
    bad.write_bytes(xlsx_bytes(rows))
    page.set_input_files("#batch-file", str(bad))
    page.click("#batch-upload-submit")
    page.wait_for_selector("#row-errors")
    errors = page.inner_text("#row-errors")
    assert "第5行" in errors and "第6行" in errors
    page.screenshot(path=str(screenshot_dir / "enrollment_review_errors.png"), full_page=True)
    rows[4][2], rows[4][4] = "放弃入学资格", "未按期报到"
    rows[5] = [freshmen_a[4].exam_number, "", "保留入学资格", "2027-09-01", "参军"]
    bad.write_bytes(xlsx_bytes(rows))
    page.set_input_files("#batch-file", str(bad))
    page.click("#batch-upload-submit")
    # The summary after an upload: rows read, then the list by outcome, the exceptions first (issue 10).
    page.wait_for_selector("text=已上传5行，名单现有：放弃入学资格 1名，保留入学资格 1名，报到入学 3名")
    assert page.locator("tr.item").count() == 5
    page.click("#action-submit")
    page.wait_for_selector("text=名单已提交")
    assert page.inner_text("#batch-state") == "已提交"
    page.screenshot(path=str(screenshot_dir / "enrollment_review_submitted.png"), full_page=True)


def test_registrar_approves_a_list_and_a_second_approval_gets_a_message(
    page, signed_in_as, live_server, registrar, college_a_staff, college_a, term, freshmen_a, screenshot_dir
):
    batch = review_batch_create(actor=college_a_staff, college=college_a, term=term)
    outcomes = ["passed", "passed", "forfeited", "deferred", "cancelled"]
    review_items_save(
        actor=college_a_staff,
        batch_id=batch.pk,
        items=[
            ItemInput(
                key=r.exam_number,
                outcome=o,
                reason=REASONS.get(o, ""),
                end_date=END if o == "deferred" else None,
            )
            for r, o in zip(freshmen_a, outcomes, strict=True)
        ],
    )
    review_batch_submit(actor=college_a_staff, batch_id=batch.pk)
    signed_in_as(registrar)
    url = f"{live_server.url}/admin/enrollment/reviewbatch/{batch.pk}/review/"
    page.goto(url)
    other = page.context.new_page()
    other.goto(url)
    other.click("#action-approve")
    other.wait_for_selector("#confirm-approve")
    page.click("#action-approve")
    page.fill("#confirm-document-number", "教学〔2026〕12号")
    page.click("#action-approve-confirm")
    page.wait_for_selector("text=名单已审批通过")
    assert page.inner_text("#batch-state") == "已审批"
    other.fill("#confirm-document-number", "教学〔2026〕12号")
    other.click("#action-approve-confirm")
    other.wait_for_selector(".messagelist .error")
    assert "不能审批通过" in other.inner_text(".messagelist")
    other.screenshot(path=str(screenshot_dir / "enrollment_second_approval.png"), full_page=True)
    states = list(AdmissionRecord.objects.order_by("exam_number").values_list("state", flat=True))
    assert states == ["registered", "registered", "forfeited", "deferred", "cancelled"]


def test_registrar_returns_a_list_with_a_comment(
    page, signed_in_as, live_server, registrar, college_a_staff, college_a, term, freshmen_a
):
    batch = review_batch_create(actor=college_a_staff, college=college_a, term=term)
    review_items_save(
        actor=college_a_staff,
        batch_id=batch.pk,
        items=[ItemInput(key=freshmen_a[0].exam_number, outcome="passed")],
    )
    review_batch_submit(actor=college_a_staff, batch_id=batch.pk)
    signed_in_as(registrar)
    page.goto(f"{live_server.url}/admin/enrollment/reviewbatch/{batch.pk}/review/")
    page.fill("#comment", "请补充保留入学资格的证明")
    page.click("#action-send_back")
    page.wait_for_selector("text=名单已退回学院")
    assert Batch.objects.get(pk=batch.pk).state == "returned"


def test_student_signs_in_sees_their_registration_and_confirms_it(
    page, sign_in, live_server, registrar, college_a_staff, college_a, term, freshmen_a, screenshot_dir
):
    batch = review_batch_create(actor=college_a_staff, college=college_a, term=term)
    review_items_save(
        actor=college_a_staff,
        batch_id=batch.pk,
        items=[ItemInput(key=freshmen_a[0].exam_number, outcome="passed")],
    )
    review_batch_submit(actor=college_a_staff, batch_id=batch.pk)
    review_batch_approve(actor=registrar, batch_id=batch.pk, document_number="教学〔2026〕12号")
    [(username, _name, password)] = student_passwords_issue(actor=college_a_staff, batch_id=batch.pk)
    sign_in(username, password, admin=False)
    page.goto(f"{live_server.url}/enrollment/me/")
    record = AdmissionRecord.objects.get(pk=freshmen_a[0].pk)
    assert page.inner_text("#state") == "已注册学籍"
    assert record.id_number not in page.content() and page.inner_text("#id-number").endswith(
        record.id_number[-4:]
    )
    assert "已注册学籍" in page.inner_text("#history")
    page.fill("#description", "民族应为回族")
    page.click("#report")
    page.wait_for_selector("#reports")
    assert "待处理" in page.inner_text("#reports")
    assert page.locator("#confirm").count() == 0 and "还在核实处理中" in page.inner_text("#confirm-refused")
    data_report_resolve(actor=college_a_staff, report_id=record.reports.get().pk, note="经核实录取数据无误")
    page.reload()
    assert "未更正：经核实录取数据无误" in page.inner_text("#reports")
    page.click("#confirm")
    page.wait_for_selector("#confirmed")
    page.screenshot(path=str(screenshot_dir / "enrollment_student_page.png"), full_page=True)
    record.refresh_from_db()
    assert record.confirmed_at is not None

    # One navigation between the student's pages, each fitting a 390 px phone (issue 10, item 7).
    page.set_viewport_size({"width": 390, "height": 844})
    visited = []
    for label in ["我的学籍", "我的学籍注册", "我的学籍档案"]:
        page.locator("nav.student-nav").get_by_role("link", name=label, exact=True).click()
        page.wait_for_load_state()
        assert page.inner_text('nav.student-nav a[aria-current="page"]') == label
        assert page.locator("button", has_text="退出").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), (
            f"{label} scrolls sideways"
        )
        # All in Chinese, but for the accounts named in the history (the student's and the staff's).
        text = page.evaluate(VISIBLE_TEXT)
        for account in (username, college_a_staff.username, registrar.username):
            text = text.replace(account, "")
        assert english_words(text) == [], f"{label} shows English: {english_words(text)}"
        page.screenshot(path=str(screenshot_dir / f"student_phone_{len(visited)}.png"), full_page=True)
        visited.append(page.url)
    assert [u.removeprefix(live_server.url) for u in visited] == ["/me/", "/enrollment/me/", "/annual/me/"]


@pytest.mark.rule("ENR-2")
@pytest.mark.rule("ENR-3")
def test_a_large_list_is_filled_set_at_once_submitted_and_approved_from_its_summary_with_a_document_number(
    page,
    signed_in_as,
    live_server,
    registrar,
    college_a_staff,
    college_a,
    term,
    import_rows,
    major_a,
    screenshot_dir,
):
    """Issue 10, item 3: sixty freshmen, a default name, two pages, outcomes set for many at once,
    then the registrar reads the summary (exceptions first) and approves under a 文号."""
    assert import_rows([admission_row(n, major_a) for n in range(1, 61)]).ok
    signed_in_as(college_a_staff)
    page.goto(f"{live_server.url}/admin/enrollment/reviewbatch/add/")
    page.click("#batch-new-submit")
    page.wait_for_selector("#batch-upload")
    assert "新生入学资格审查名单（计算机学院）" in page.title()
    page.click("#fill")
    page.wait_for_selector("text=已加入60名学生")
    assert page.locator("tr.item").count() == 50 and "共 60 名" in page.inner_text("#matching")

    # Three who never came: searched by the start of their 考生号, every match set at once.
    page.fill("#q", "2611010100000")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("text=筛选出 9 名")
    page.check("#select-all")
    page.uncheck("tr.item >> nth=3 >> input.row-select")
    page.select_option("#bulk-outcome", "forfeited")
    page.click("#bulk-apply")
    page.wait_for_selector("#row-errors")  # a forfeit needs its reason: nothing written
    assert "须填写原因" in page.inner_text("#row-errors")
    page.check("#select-all")
    page.select_option("#bulk-outcome", "forfeited")
    page.fill("#bulk-reason", "未按期报到")
    page.click("#bulk-apply")
    page.wait_for_selector("text=已为9名学生设置结论")
    # One cancelled, from the second page of the whole list.
    page.goto(page.url.split("?")[0] + "?page=2")
    page.locator("tr.item >> nth=0 >> input.row-select").check()
    page.select_option("#bulk-outcome", "cancelled")
    page.fill("#bulk-reason", "报到材料与本人不符")
    page.click("#bulk-apply")
    page.wait_for_selector("text=名单现有：取消入学资格 1名，放弃入学资格 9名，报到入学 50名")
    page.screenshot(path=str(screenshot_dir / "review_list_bulk_outcomes.png"), full_page=True)
    page.click("#action-submit")
    page.wait_for_selector("text=名单已提交")
    list_url = page.url.split("?")[0]

    page.context.clear_cookies()
    signed_in_as(registrar)
    page.goto(list_url)
    page.click("#action-approve")
    page.wait_for_selector("#confirm-approve")
    assert page.inner_text("#approve-summary tbody tr >> nth=0").startswith("取消入学资格")
    assert page.locator("#exception-rows tbody tr").count() == 10
    page.screenshot(path=str(screenshot_dir / "review_list_approval_summary.png"), full_page=True)
    page.fill("#confirm-document-number", "教学〔2026〕30号")
    page.click("#action-approve-confirm")
    page.wait_for_selector("text=名单已审批通过")
    states = list(AdmissionRecord.objects.values_list("state", flat=True))
    assert (states.count("registered"), states.count("forfeited"), states.count("cancelled")) == (50, 9, 1)
    assert Batch.objects.get().document_number == "教学〔2026〕30号"
