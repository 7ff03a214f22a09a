"""One record's decisions refuse what no page offers: every caller (pages, API, demo) goes through these checks."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from enrollment.models import AdmissionRecord
from enrollment.services import (
    admission_rereview,
    admission_rereview_pass_many,
    admission_transition,
    correction_answer,
    correction_apply,
    correction_create,
    correction_send,
)
from registrar.services import DomainError
from tests.enrollment.builders import registered_through_a_list

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def refused(call, match: str, record: AdmissionRecord) -> None:
    """``call`` raises a DomainError matching ``match``, and neither the record nor the audit trail moved."""
    events = AuditEvent.objects.count()
    before = AdmissionRecord.objects.filter(pk=record.pk).values().get()
    with pytest.raises(DomainError, match=match):
        call()
    assert AdmissionRecord.objects.filter(pk=record.pk).values().get() == before
    assert AuditEvent.objects.count() == events


def test_a_single_decision_cannot_register_a_student(registrar, freshmen_a):
    # rule ENR-2: a 学籍 is registered only by an approved review list.
    record = freshmen_a[0]
    admission_transition(actor=registrar, record_id=record.pk, transition="admit", reason="报到")
    refused(
        lambda: admission_transition(actor=registrar, record_id=record.pk, transition="register", reason="x"),
        "未知的录取状态变更",
        record,
    )


def test_a_single_decision_takes_no_hidden_intermediate_step(registrar, freshmen_a):
    # rule ENR-4: 复查通过入学 is for a deferred freshman; an imported one is not silently deferred first.
    record = freshmen_a[0]
    refused(
        lambda: admission_transition(
            actor=registrar, record_id=record.pk, transition="readmit", reason="返校"
        ),
        "不能复查通过入学",
        record,
    )


@pytest.mark.parametrize(
    ("transition", "end", "match"),
    [
        ("defer", TODAY, "应晚于今天"),
        ("defer", TODAY - datetime.timedelta(days=30), "应晚于今天"),
        ("forfeit", TODAY + datetime.timedelta(days=30), "只有保留入学资格"),
    ],
)
def test_a_deferral_end_must_lie_ahead_and_belong_to_a_deferral(
    registrar, freshmen_a, transition, end, match
):
    # rule ENR-4
    record = freshmen_a[0]
    refused(
        lambda: admission_transition(
            actor=registrar, record_id=record.pk, transition=transition, reason="入伍", deferral_end=end
        ),
        match,
        record,
    )


def test_a_failed_rereview_needs_its_reason(registrar, college_a_staff, college_a, term, freshmen_a):
    # rule ENR-5: cancelling a 学籍 for fraud names why, besides the decision's 文号.
    record = registered_through_a_list(
        freshmen_a[0], staff=college_a_staff, registrar=registrar, college=college_a, term=term
    )
    refused(
        lambda: admission_rereview(
            actor=registrar, record_id=record.pk, passed=False, reason=" ", document_number="校发〔2026〕9号"
        ),
        "复查不合格须填写原因",
        record,
    )


def test_the_rereview_failure_on_the_page_needs_a_reason(
    client_for, registrar, college_a_staff, college_a, term, freshmen_a
):
    # rule ENR-5: the page no longer files a failure under the reason "入学资格复查合格".
    record = registered_through_a_list(
        freshmen_a[0], staff=college_a_staff, registrar=registrar, college=college_a, term=term
    )
    page = client_for(registrar).post(
        f"/admin/enrollment/admissionrecord/{record.pk}/detail/",
        {"action": "rereview_fail", "reason": "", "document_number": "校发〔2026〕9号"},
        follow=True,
    )
    assert "复查不合格须填写原因" in page.content.decode()
    assert AdmissionRecord.objects.get(pk=record.pk).state == "registered"


def test_a_correction_longer_than_the_field_is_refused(registrar, freshmen_a):
    # rule ENR-8
    record = freshmen_a[0]
    with pytest.raises(DomainError, match="姓名不能超过50个字符"):
        correction_create(actor=registrar, record_id=record.pk, requested={"name": "张" * 51}, reason="错字")


def test_a_correction_to_another_records_id_number_is_refused_and_changes_nothing(registrar, freshmen_a):
    # rule ENR-8, ENR-6: the answer clashes with another record of the year; nothing is written.
    first, second = freshmen_a[0], freshmen_a[1]
    correction = correction_create(
        actor=registrar, record_id=first.pk, requested={"id_number": second.id_number}, reason="号码错"
    )
    correction_send(actor=registrar, request_id=correction.pk)
    correction_answer(actor=registrar, request_id=correction.pk, answer=correction.requested)
    refused(lambda: correction_apply(actor=registrar, request_id=correction.pk), "未更正", first)


def test_a_rereview_is_recorded_once(registrar, college_a_staff, college_a, term, freshmen_a):
    # rule ENR-5: the first 复查 date stands; recording it again is refused (one record) or skipped (many).
    record = registered_through_a_list(
        freshmen_a[0], staff=college_a_staff, registrar=registrar, college=college_a, term=term
    )
    admission_rereview(actor=registrar, record_id=record.pk, passed=True, reason="复查合格")
    record = AdmissionRecord.objects.get(pk=record.pk)
    refused(
        lambda: admission_rereview(actor=registrar, record_id=record.pk, passed=True, reason="复查合格"),
        "已于.*登记复查合格",
        record,
    )
    events = AuditEvent.objects.count()
    assert admission_rereview_pass_many(actor=registrar, record_ids=[record.pk]) == 0
    assert AuditEvent.objects.count() == events


def test_the_record_page_shows_a_requested_id_number_masked(client_for, registrar, freshmen_a):
    # rule ENR-8 (SEC-2): the requested value names its field and hides the middle of the id number.
    record, other = freshmen_a[0], freshmen_a[1]
    correction_create(
        actor=registrar, record_id=record.pk, requested={"id_number": other.id_number}, reason="号码错"
    )
    html = (
        client_for(registrar).get(f"/admin/enrollment/admissionrecord/{record.pk}/detail/").content.decode()
    )
    assert f"证件号码：{other.id_number[:3]}" in html and other.id_number[-4:] in html
    assert other.id_number not in html


@pytest.mark.rule("ENR-4")
def test_the_record_page_forfeits_a_lapsed_deferral_although_its_date_field_is_filled(
    client_for, registrar, freshmen_a
):
    """The page's date field always holds a value; only the decisions that set a deferral's end read it."""
    from enrollment.services import admission_open_lapsed_deferrals, admission_transition

    record = freshmen_a[0]
    admission_transition(actor=registrar, record_id=record.pk, transition="defer", reason="病休")
    admission_open_lapsed_deferrals(today=datetime.date.today() + datetime.timedelta(days=800))
    url = f"/admin/enrollment/admissionrecord/{record.pk}/detail/"
    page = client_for(registrar).get(url).content.decode()
    assert "待认定" in page and 'id="transition-extend_deferral"' in page
    client_for(registrar).post(
        url,
        {
            "action": "transition",
            "transition": "forfeit",
            "reason": "期满未申请，无正当理由",
            "deferral_end": "2030-08-31",
        },
    )
    assert AdmissionRecord.objects.get(pk=record.pk).state == "forfeited"
