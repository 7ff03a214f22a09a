"""Annual registration in the browser: a college fills and submits its list, the registrar approves it (journey 2)."""

import pytest

from annual_registration.models import AnnualRegistration
from tests.annual_registration.builders import fees_imported, registered, roll_opened, second_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.rule("ANN-2")
def test_a_college_fills_and_submits_its_list_and_the_registrar_approves_it(
    page, signed_in_as, live_server, freshmen_a, registrar, college_a_staff, college_a, term, screenshot_dir
):
    students_a = registered(
        freshmen_a, staff=college_a_staff, registrar=registrar, college=college_a, term=term
    )
    year_2027 = second_year(registrar)
    term_2027 = year_2027.terms.get(number=1)
    roll_opened(registrar, year_2027)
    numbers = [s.student_number for s in students_a]
    fees_imported(registrar, year_2027, [(n, "已缴费") for n in numbers[:4]] + [(numbers[4], "未缴费")])
    signed_in_as(college_a_staff)
    page.goto(f"{live_server.url}/admin/annual_registration/annuallist/add/")
    page.select_option("#term", str(term_2027.pk))
    page.click("#batch-new-submit")
    page.click("#fill")
    page.wait_for_selector("text=已加入")
    rows = page.locator("tr.item")
    assert (
        rows.count() == AnnualRegistration.objects.filter(college__in=college_a_staff.colleges.all()).count()
    )
    unpaid = page.locator("tr.item", has_text=numbers[4])
    assert unpaid.locator("select").input_value() == "defer"
    page.click("#action-submit")
    page.wait_for_selector("text=名单已提交")
    page.screenshot(path=str(screenshot_dir / "annual_list_submitted.png"), full_page=True)
    list_url = page.url

    page.context.clear_cookies()
    signed_in_as(registrar)
    page.goto(list_url)
    page.click("#action-approve")
    page.fill("#confirm-document-number", "教学〔2027〕12号")
    page.click("#action-approve-confirm")
    page.wait_for_selector("text=名单已审批通过，学年注册已完成")
    assert page.inner_text("#batch-state") == "已审批"
    page.screenshot(path=str(screenshot_dir / "annual_list_approved.png"), full_page=True)
    states = dict(AnnualRegistration.objects.values_list("student__student_number", "state"))
    assert states[numbers[0]] == "registered" and states[numbers[4]] == "deferred"
