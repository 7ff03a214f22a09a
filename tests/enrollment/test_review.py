import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from audit.models import AuditEvent
from enrollment.imports import parse_review_results
from enrollment.models import AdmissionRecord, CorrectionRequest
from enrollment.services import (
    ItemInput,
    admission_open_lapsed_deferrals,
    admission_rereview,
    admission_transition,
    correction_answer,
    correction_apply,
    correction_create,
    correction_send,
    review_batch_approve,
    review_batch_create,
    review_batch_return,
    review_batch_submit,
    review_items_from_sheet,
    review_items_save,
    student_passwords_issue,
)
from enrollment.services.review import REVIEW_ITEMS
from registrar.batches import BatchConflict, BatchInvalid, batch_actions
from registrar.models import Batch, Student, User
from registrar.services import DomainError
from tests.enrollment.builders import imported_flagged, xlsx_bytes

pytestmark = pytest.mark.django_db


# A deferral needs its end and a reason, a forfeit or cancellation its reason (ENR-3, ENR-4; issue 10).
REASONS = {"forfeited": "未报到", "deferred": "应征入伍", "cancelled": "材料与本人不符"}
DEFERRAL_END = datetime.date.today() + datetime.timedelta(days=365)


def items_for(records, outcomes):
    return [
        ItemInput(
            key=r.exam_number,
            outcome=o,
            reason=REASONS.get(o, ""),
            end_date=DEFERRAL_END if o == "deferred" else None,
        )
        for r, o in zip(records, outcomes, strict=False)
    ]


@pytest.fixture
def batch_a(college_a_staff, college_a, term, freshmen_a):
    return review_batch_create(actor=college_a_staff, college=college_a, term=term)


def submitted(batch, staff, records, outcomes):
    assert review_items_save(actor=staff, batch_id=batch.pk, items=items_for(records, outcomes)) == []
    return review_batch_submit(actor=staff, batch_id=batch.pk)


def test_approval_registers_those_who_passed_and_marks_the_others(
    batch_a, college_a_staff, registrar, freshmen_a
):
    # rule ENR-2  rule ENR-3
    outcomes = ["passed", "forfeited", "deferred", "cancelled", "passed"]
    submitted(batch_a, college_a_staff, freshmen_a, outcomes)
    review_batch_approve(actor=registrar, batch_id=batch_a.pk, document_number="教学〔2026〕1号")
    states = list(AdmissionRecord.objects.order_by("exam_number").values_list("state", flat=True))
    assert states == ["registered", "forfeited", "deferred", "cancelled", "registered"]
    assert Student.objects.filter(student_status="in_school", admission_record__isnull=False).count() == 2


def test_approval_writes_one_audit_event_per_item_with_the_document_number(
    batch_a, college_a_staff, registrar, freshmen_a
):
    submitted(batch_a, college_a_staff, freshmen_a, ["passed"] * 5)
    review_batch_approve(actor=registrar, batch_id=batch_a.pk, document_number="教学〔2026〕1号")
    events = AuditEvent.objects.filter(action="enrollment.review.register")
    assert events.count() == 5
    assert set(events.values_list("document_number", flat=True)) == {"教学〔2026〕1号"}


def test_registered_student_gets_an_account_without_a_password_from_the_id_number(
    batch_a, college_a_staff, registrar, freshmen_a
):
    submitted(batch_a, college_a_staff, freshmen_a[:1], ["passed"])
    review_batch_approve(actor=registrar, batch_id=batch_a.pk)
    account = User.objects.get(student__admission_record=freshmen_a[0])
    assert not account.has_usable_password()
    [(_username, _name, password)] = student_passwords_issue(actor=college_a_staff, batch_id=batch_a.pk)
    account.refresh_from_db()
    assert account.check_password(password)
    assert password not in freshmen_a[0].id_number and freshmen_a[0].id_number[-6:] not in password


def test_submission_lists_every_problem(batch_a, college_a_staff, registrar, freshmen_a, major_a):
    # rule ENR-9
    flagged = imported_flagged(major_a, [6], actor=registrar)
    admission_transition(actor=registrar, record_id=freshmen_a[1].pk, transition="forfeit", reason="未报到")
    review_items_save(actor=college_a_staff, batch_id=batch_a.pk, items=items_for(flagged, ["passed"]))
    with pytest.raises(BatchInvalid) as refused:
        review_batch_submit(actor=college_a_staff, batch_id=batch_a.pk)
    assert any("重名重号" in p for p in refused.value.problems)
    assert Batch.objects.get(pk=batch_a.pk).state == "draft"


def test_items_that_do_not_fit_the_record_state_are_row_errors(
    batch_a, college_a_staff, registrar, freshmen_a
):
    admission_transition(actor=registrar, record_id=freshmen_a[0].pk, transition="forfeit", reason="未报到")
    errors = review_items_save(
        actor=college_a_staff, batch_id=batch_a.pk, items=items_for(freshmen_a[:2], ["passed", "passed"])
    )
    assert [e.column for e in errors] == ["审查结论"]
    assert not batch_a.review_items.exists()


def test_a_review_sheet_with_errors_changes_nothing_and_reports_rows(batch_a, college_a_staff, freshmen_a):
    content = xlsx_bytes(
        [
            ["考生号", "姓名", "审查结论"],
            [freshmen_a[0].exam_number, "", "报到入学"],
            ["99999999999999", "", "报到入学"],
            [freshmen_a[1].exam_number, "", "请假"],
        ]
    )
    sheet = parse_review_results(content, "r.xlsx")
    errors = review_items_from_sheet(actor=college_a_staff, batch_id=batch_a.pk, sheet=sheet)
    assert [(e.row, e.column) for e in errors] == [(3, "考生号"), (4, "审查结论")]
    fixed = xlsx_bytes(
        [["考生号", "审查结论"], [freshmen_a[0].exam_number, "报到入学"], ["99999999999999", "报到入学"]]
    )
    errors = review_items_from_sheet(
        actor=college_a_staff, batch_id=batch_a.pk, sheet=parse_review_results(fixed, "r.xlsx")
    )
    assert [str(e) for e in errors] == ["第3行 考生号：本学院没有考生号为99999999999999的录取数据"]
    assert not batch_a.review_items.exists()


def test_second_approval_of_a_batch_is_refused(batch_a, college_a_staff, registrar, freshmen_a):
    submitted(batch_a, college_a_staff, freshmen_a, ["passed"] * 5)
    review_batch_approve(actor=registrar, batch_id=batch_a.pk)
    with pytest.raises(BatchConflict):
        review_batch_approve(actor=registrar, batch_id=batch_a.pk)


def test_returned_batch_can_be_fixed_and_submitted_again(batch_a, college_a_staff, registrar, freshmen_a):
    submitted(batch_a, college_a_staff, freshmen_a, ["passed"] * 5)
    review_batch_return(actor=registrar, batch_id=batch_a.pk, comment="请核对第3名")
    assert [
        name for name, _ in batch_actions(user=college_a_staff, batch=Batch.objects.get(pk=batch_a.pk))
    ] == ["submit"]
    review_batch_submit(actor=college_a_staff, batch_id=batch_a.pk)
    assert Batch.objects.get(pk=batch_a.pk).state == "submitted"


def test_college_b_staff_can_neither_see_nor_act_on_college_a_batch(batch_a, college_b_staff, freshmen_a):
    assert not Batch.objects.for_user(college_b_staff).filter(pk=batch_a.pk).exists()
    with pytest.raises(Batch.DoesNotExist):
        review_items_save(actor=college_b_staff, batch_id=batch_a.pk, items=items_for(freshmen_a, ["passed"]))
    with pytest.raises(Batch.DoesNotExist):
        review_batch_submit(actor=college_b_staff, batch_id=batch_a.pk)


def test_college_staff_cannot_approve(batch_a, college_a_staff, freshmen_a):
    submitted(batch_a, college_a_staff, freshmen_a, ["passed"] * 5)
    with pytest.raises(PermissionDenied):
        review_batch_approve(actor=college_a_staff, batch_id=batch_a.pk)


def test_a_deferral_needs_its_end_the_school_setting_is_the_end_offered_and_a_returning_student_is_reviewed_again(
    batch_a, college_a_staff, registrar, freshmen_a, term, college_a, school
):
    # rule ENR-4
    school.deferral_months = 6
    school.save()
    key = freshmen_a[0].exam_number
    no_end = [ItemInput(key=key, outcome="deferred", reason="应征入伍")]
    errors = review_items_save(actor=college_a_staff, batch_id=batch_a.pk, items=no_end)
    assert [(e.column, e.reason) for e in errors] == [
        ("保留截止日期", f"{key}：“保留入学资格”须填写截止日期")
    ]
    offered = REVIEW_ITEMS.default_end_date()
    assert (offered - datetime.date.today()).days in range(180, 186)
    with_end = [ItemInput(key=key, outcome="deferred", reason="应征入伍", end_date=offered)]
    assert review_items_save(actor=college_a_staff, batch_id=batch_a.pk, items=with_end) == []
    review_batch_submit(actor=college_a_staff, batch_id=batch_a.pk)
    review_batch_approve(actor=registrar, batch_id=batch_a.pk)
    record = AdmissionRecord.objects.get(pk=freshmen_a[0].pk)
    assert record.state == "deferred" and record.student_id is None
    assert record.deferral_end == offered
    again = review_batch_create(actor=college_a_staff, college=college_a, term=term)
    submitted(again, college_a_staff, [record], ["passed"])
    review_batch_approve(actor=registrar, batch_id=again.pk)
    assert AdmissionRecord.objects.get(pk=record.pk).state == "registered"


LATER = datetime.date.today() + datetime.timedelta(days=800)


@pytest.mark.rule("ENR-4")
def test_an_expired_deferral_opens_a_case_instead_of_forfeiting_silently(registrar, freshmen_a):
    admission_transition(actor=registrar, record_id=freshmen_a[0].pk, transition="defer", reason="病休")
    assert admission_open_lapsed_deferrals(today=LATER) == 1
    record = AdmissionRecord.objects.get(pk=freshmen_a[0].pk)
    assert (record.state, record.deferral_lapsed_on) == ("deferred", LATER)
    assert (
        AuditEvent.objects.filter(action="enrollment.deferral.lapsed", subject_id=str(record.pk)).count() == 1
    )
    assert admission_open_lapsed_deferrals(today=LATER) == 0  # opened once


@pytest.mark.rule("ENR-4")
def test_the_registrar_decides_a_lapsed_deferral_as_forfeited_without_just_cause(registrar, freshmen_a):
    admission_transition(actor=registrar, record_id=freshmen_a[0].pk, transition="defer", reason="病休")
    admission_open_lapsed_deferrals(today=LATER)
    admission_transition(
        actor=registrar, record_id=freshmen_a[0].pk, transition="forfeit", reason="期满未申请，无正当理由"
    )
    record = AdmissionRecord.objects.get(pk=freshmen_a[0].pk)
    assert (record.state, record.deferral_lapsed_on) == ("forfeited", None)


@pytest.mark.rule("ENR-4")
def test_a_just_cause_extends_the_deferral_to_a_new_end_and_closes_the_case(registrar, freshmen_a):
    admission_transition(actor=registrar, record_id=freshmen_a[0].pk, transition="defer", reason="病休")
    admission_open_lapsed_deferrals(today=LATER)
    with pytest.raises(DomainError, match="新的截止日期"):
        admission_transition(
            actor=registrar, record_id=freshmen_a[0].pk, transition="extend_deferral", reason="地震封路"
        )
    new_end = LATER + datetime.timedelta(days=90)
    admission_transition(
        actor=registrar,
        record_id=freshmen_a[0].pk,
        transition="extend_deferral",
        reason="不可抗力：地震封路，未能按期申请",
        deferral_end=new_end,
        decided_on=LATER,
    )
    record = AdmissionRecord.objects.get(pk=freshmen_a[0].pk)
    assert (record.state, record.deferral_end, record.deferral_lapsed_on) == ("deferred", new_end, None)


def test_fraud_found_at_the_three_month_rereview_cancels_the_status(
    batch_a, college_a_staff, registrar, freshmen_a
):
    # rule ENR-5
    submitted(batch_a, college_a_staff, freshmen_a[:2], ["passed", "passed"])
    review_batch_approve(actor=registrar, batch_id=batch_a.pk)
    admission_rereview(
        actor=registrar,
        record_id=freshmen_a[0].pk,
        passed=False,
        reason="冒名顶替",
        document_number="校发〔2026〕9号",
    )
    admission_rereview(actor=registrar, record_id=freshmen_a[1].pk, passed=True, reason="复查合格")
    fraud, fine = AdmissionRecord.objects.filter(pk__in=[freshmen_a[0].pk, freshmen_a[1].pk]).order_by(
        "exam_number"
    )
    assert (fraud.state, fraud.student.student_status) == ("cancelled", "deregistered")
    assert fine.rereview_passed_on == datetime.date.today()
    assert AuditEvent.objects.filter(
        action="enrollment.rereview.status_cancelled", document_number="校发〔2026〕9号"
    ).exists()


def test_correction_goes_to_the_province_and_its_answer_changes_identity_with_history(
    batch_a, college_a_staff, registrar, freshmen_a
):
    # rule ENR-8
    submitted(batch_a, college_a_staff, freshmen_a[:1], ["passed"])
    review_batch_approve(actor=registrar, batch_id=batch_a.pk)
    record = AdmissionRecord.objects.get(pk=freshmen_a[0].pk)
    request = correction_create(
        actor=college_a_staff, record_id=record.pk, requested={"name": "李四"}, reason="录取时姓名错字"
    )
    correction_send(actor=registrar, request_id=request.pk, document_number="招函〔2026〕3号")
    correction_answer(actor=registrar, request_id=request.pk, answer={"name": "李四"}, note="同意更正")
    correction_apply(actor=registrar, request_id=request.pk)
    student = Student.objects.get(pk=record.student_id)
    assert student.name == "李四" and CorrectionRequest.objects.get().state == "applied"
    assert list(student.history.order_by("history_date").values_list("name", flat=True)) == [
        record.name,
        "李四",
    ]


def test_an_open_correction_blocks_registration(batch_a, college_a_staff, registrar, freshmen_a):
    # rule ENR-8
    correction_create(
        actor=college_a_staff, record_id=freshmen_a[0].pk, requested={"ethnicity": "03"}, reason="民族有误"
    )
    review_items_save(actor=college_a_staff, batch_id=batch_a.pk, items=items_for(freshmen_a[:1], ["passed"]))
    with pytest.raises(BatchInvalid, match="ENR-8"):
        review_batch_submit(actor=college_a_staff, batch_id=batch_a.pk)


def test_the_state_field_is_protected(freshmen_a):
    record = freshmen_a[0]
    with pytest.raises(AttributeError):
        record.state = "registered"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_registrars_approving_at_once_exactly_one_succeeds(
    college_a_staff, registrar, college_a, term, freshmen_a
):
    from registrar.roles import Role
    from registrar.services import user_create

    other = user_create(actor=None, username="registrar2", password="x-Pass-2026!", role=Role.REGISTRAR)
    batch = review_batch_create(actor=college_a_staff, college=college_a, term=term)
    submitted(batch, college_a_staff, freshmen_a, ["passed"] * 5)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(user):
        try:
            barrier.wait()
            review_batch_approve(actor=user, batch_id=batch.pk)
            outcomes.append("ok")
        except BatchConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (registrar, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert AuditEvent.objects.filter(action="enrollment.review.register").count() == 5


@pytest.mark.rule("ENR-4")
@pytest.mark.rule("ENR-5")
def test_a_readmitted_freshman_s_rereview_clock_starts_at_the_term_they_enter(registrar, freshmen_a):
    from deadlines.models import DeadlineViolation
    from deadlines.scan import deadline_scan
    from tests.factories import TermFactory

    entering = TermFactory(academic_year__start_year=2027, start_date=datetime.date(2027, 9, 6))
    record = freshmen_a[0]
    admission_transition(actor=registrar, record_id=record.pk, transition="defer", reason="应征入伍")
    admission_transition(
        actor=registrar,
        record_id=record.pk,
        transition="readmit",
        reason="退役复学，复查合格",
        decided_on=datetime.date(2027, 8, 20),
    )
    assert AdmissionRecord.objects.get(pk=record.pk).entered_term_start == entering.start_date
    # Three months from 2027-09-06, not from the 2026 intake's term: not late on 2027-11-30.
    deadline_scan(as_of=datetime.date(2027, 11, 30))
    assert not DeadlineViolation.objects.filter(subject_id=record.pk, state="open").exists()
    deadline_scan(as_of=datetime.date(2027, 12, 8))
    assert DeadlineViolation.objects.filter(subject_id=record.pk, state="open").exists()


@pytest.mark.rule("ENR-5")
def test_a_freshman_found_unfit_for_health_reasons_after_check_in_may_defer(registrar, freshmen_a):
    record = freshmen_a[0]
    admission_transition(actor=registrar, record_id=record.pk, transition="admit", reason="报到")
    admission_transition(
        actor=registrar,
        record_id=record.pk,
        transition="defer",
        reason="复查：经二级甲等以上医院诊断，不宜在校学习",
        deferral_end=datetime.date.today() + datetime.timedelta(days=365),
    )
    assert AdmissionRecord.objects.get(pk=record.pk).state == "deferred"
