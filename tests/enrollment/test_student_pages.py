"""The student's own pages (issue 10, item 7): one navigation, confirming refused while a report is open."""

import pytest

from enrollment.models import AdmissionRecord
from enrollment.services import data_report_resolve
from tests.enrollment.builders import account_of, registered_through_a_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def freshman(freshmen_a, college_a_staff, registrar, college_a, term):
    """A registered freshman of college A and their account."""
    registered_through_a_list(
        freshmen_a[0], staff=college_a_staff, registrar=registrar, college=college_a, term=term
    )
    return account_of(freshmen_a[0])


def _nav(html: str) -> str:
    start = html.index('<nav class="student-nav"')
    return html[start : html.index("</nav>", start)]


@pytest.mark.rule("QRY-1")
def test_every_student_page_carries_one_navigation_with_the_current_page_marked(client_for, freshman):
    client = client_for(freshman)
    for url, current in [
        ("/me/", "我的学籍"),
        ("/enrollment/me/", "我的学籍注册"),
        ("/annual/me/", "我的学籍档案"),
    ]:
        html = client.get(url).content.decode()
        nav = _nav(html)
        assert 'href="/me/"' in nav and 'href="/enrollment/me/"' in nav and 'href="/annual/me/"' in nav
        assert f'aria-current="page">{current}</a>' in nav
        assert nav.count('aria-current="page"') == 1
        assert "退出" in html


@pytest.mark.rule("QRY-1")
def test_a_student_without_admission_data_is_not_offered_the_registration_page(client_for, student_a):
    nav = _nav(client_for(student_a).get("/me/").content.decode())
    assert 'href="/enrollment/me/"' not in nav and 'href="/annual/me/"' in nav


def test_staff_pages_carry_no_student_navigation(client_for, college_a_staff):
    assert 'class="student-nav"' not in client_for(college_a_staff).get("/admin/").content.decode()


@pytest.mark.rule("ENR-11")
def test_confirming_is_refused_while_the_students_own_report_is_open(
    client_for, freshman, freshmen_a, college_a_staff
):
    client = client_for(freshman)
    client.post("/enrollment/me/report/", {"description": "民族应为回族"})
    page = client.get("/enrollment/me/").content.decode()
    assert 'id="confirm"' not in page and "还在核实处理中" in page
    refused = client.post("/enrollment/me/confirm/", follow=True).content.decode()
    assert "还在核实处理中" in refused
    assert AdmissionRecord.objects.get(pk=freshmen_a[0].pk).confirmed_at is None

    report = AdmissionRecord.objects.get(pk=freshmen_a[0].pk).reports.get()
    data_report_resolve(actor=college_a_staff, report_id=report.pk, note="经核实，民族无误")
    client.post("/enrollment/me/confirm/")
    assert AdmissionRecord.objects.get(pk=freshmen_a[0].pk).confirmed_at is not None


@pytest.mark.rule("ENR-11")
def test_another_students_open_report_neither_blocks_nor_shows(
    client_for, freshmen_a, college_a_staff, registrar, college_a, term
):
    first, second = (
        account_of(
            registered_through_a_list(
                r, staff=college_a_staff, registrar=registrar, college=college_a, term=term
            )
        )
        for r in freshmen_a[:2]
    )
    client_for(first).post("/enrollment/me/report/", {"description": "姓名应为张三丰"})
    other = client_for(second)
    assert "张三丰" not in other.get("/enrollment/me/").content.decode()
    other.post("/enrollment/me/confirm/")
    assert AdmissionRecord.objects.get(pk=freshmen_a[1].pk).confirmed_at is not None
    assert AdmissionRecord.objects.get(pk=freshmen_a[0].pk).confirmed_at is None


@pytest.mark.rule("ENR-11")
@pytest.mark.rule("ENR-8")
def test_the_student_reads_each_reports_outcome_in_words(
    client_for, freshman, freshmen_a, college_a_staff, registrar
):
    from enrollment.services import correction_answer, correction_apply, correction_create, correction_send
    from registrar.errors import DomainError

    client = client_for(freshman)
    record = AdmissionRecord.objects.get(pk=freshmen_a[0].pk)
    client.post("/enrollment/me/report/", {"description": "民族应为回族"})
    first = record.reports.get()
    assert "待处理" in client.get("/enrollment/me/").content.decode()
    with pytest.raises(DomainError, match="请说明原因"):
        data_report_resolve(actor=college_a_staff, report_id=first.pk, note=" ")
    data_report_resolve(actor=college_a_staff, report_id=first.pk, note="经核实录取数据民族为汉族，无误")
    assert "未更正：经核实录取数据民族为汉族，无误" in client.get("/enrollment/me/").content.decode()

    client.post("/enrollment/me/report/", {"description": "姓名错字，应为李四"})
    second = record.reports.get(resolved_at__isnull=True)
    correction = correction_create(
        actor=college_a_staff, record_id=record.pk, requested={"name": "李四"}, reason="错字"
    )
    correction_send(actor=registrar, request_id=correction.pk, document_number="招函〔2026〕3号")
    correction_answer(actor=registrar, request_id=correction.pk, answer={"name": "李四"}, note="同意更正")
    correction_apply(actor=registrar, request_id=correction.pk)
    data_report_resolve(actor=college_a_staff, report_id=second.pk)
    reports = client.get("/enrollment/me/").content.decode().split('id="reports"')[1]
    assert reports.index("已更正") < reports.index("未更正：经核实")  # newest first, each in words


@pytest.mark.rule("ENR-11")
def test_the_college_gives_the_reason_on_the_record_page(client_for, freshman, freshmen_a, college_a_staff):
    client_for(freshman).post("/enrollment/me/report/", {"description": "民族应为回族"})
    report = AdmissionRecord.objects.get(pk=freshmen_a[0].pk).reports.get()
    staff = client_for(college_a_staff)
    url = f"/admin/enrollment/admissionrecord/{freshmen_a[0].pk}/detail/"
    staff.post(url, {"action": "report_resolve", "report": report.pk, "note": ""})
    report.refresh_from_db()
    assert report.resolved_at is None
    staff.post(url, {"action": "report_resolve", "report": report.pk, "note": "录取数据无误"})
    report.refresh_from_db()
    assert report.resolved_at is not None and report.corrected is False and report.answer == "录取数据无误"
