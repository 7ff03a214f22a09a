"""Annual registration: the roll, the fee sheet, and a college's list approved set-based (ANN-1 to ANN-3, ANN-9, ANN-10)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from annual_registration.models import AnnualItem, AnnualRegistration, AnnualState, FeeRecord
from annual_registration.services import fee_import, parse_fees
from annual_registration.services.change_rules import ChangeInput
from annual_registration.services.changes import status_change_file
from audit.models import AuditEvent
from registrar import batches
from registrar.batch_kinds import ItemInput
from registrar.batches import BatchInvalid
from registrar.models import BatchKind
from registrar.services import student_change_status
from tests.annual_registration.builders import fees_imported, fees_sheet, roll_opened

pytestmark = pytest.mark.django_db
KIND = BatchKind.ANNUAL_REGISTRATION


@pytest.mark.rule("ANN-1")
def test_the_roll_holds_every_second_year_student_once_however_often_it_is_opened(
    students_a, students_b, registrar, year_2027
):
    assert roll_opened(registrar, year_2027) == 8
    assert roll_opened(registrar, year_2027) == 0
    assert AnnualRegistration.objects.filter(academic_year=year_2027).count() == 8
    assert set(AnnualRegistration.objects.values_list("state", flat=True)) == {AnnualState.PENDING}
    assert AuditEvent.objects.filter(action="annual_registration.registration.open").count() == 8


@pytest.mark.rule("ANN-1")
def test_freshmen_are_not_on_the_roll_of_their_first_year(students_a, registrar, term):
    assert roll_opened(registrar, term.academic_year) == 0


@pytest.mark.rule("SEC-1")
def test_only_the_registrar_opens_a_year(students_a, college_a_staff, year_2027):
    with pytest.raises(PermissionDenied):
        roll_opened(college_a_staff, year_2027)


@pytest.mark.rule("ANN-10")
def test_a_fee_sheet_with_an_unknown_student_changes_nothing_and_names_the_row(
    students_a, registrar, year_2027
):
    content = fees_sheet(
        [(students_a[0].student_number, "已缴费"), ("9999999999", "未缴费"), ("x-1", "已缴费")]
    )
    result = fee_import(
        actor=registrar, academic_year=year_2027, sheet=parse_fees(content, "jf.xlsx"), file_name="jf.xlsx"
    )
    assert [(e.row, e.column) for e in result.errors] == [(3, "学号"), (4, "学号")]
    assert "没有学号为9999999999的在籍学生" in result.errors[0].reason
    assert not FeeRecord.objects.exists()


@pytest.mark.rule("ANN-10")
def test_a_loan_counts_as_paid_and_an_unpaid_fee_blocks_registration(
    students_a, registrar, college_a_staff, college_a, year_2027, term_2027
):
    roll_opened(registrar, year_2027)
    numbers = [s.student_number for s in students_a]
    fees_imported(
        registrar, year_2027, [(numbers[0], "已缴费"), (numbers[1], "助学贷款"), (numbers[2], "未缴费")]
    )
    batch = batches.batch_create(actor=college_a_staff, kind=KIND, college=college_a, term=term_2027)
    items = [ItemInput(key=n, outcome="register") for n in numbers[:3]]
    assert batches.batch_items_save(actor=college_a_staff, batch_id=batch.pk, kind=KIND, items=items) == []
    with pytest.raises(BatchInvalid) as refused:
        batches.batch_submit(actor=college_a_staff, batch_id=batch.pk, kind=KIND)
    assert [p.split("：")[0] for p in refused.value.problems] == [f"{numbers[2]} {students_a[2].name}"]
    assert "未缴费" in refused.value.problems[0]


@pytest.mark.rule("ANN-3")
@pytest.mark.rule("ANN-9")
def test_fill_leaves_out_whoever_no_list_may_register_and_names_an_open_change_so_the_list_submits(
    students_a, registrar, college_a_staff, college_a, year_2027, term_2027
):
    roll_opened(registrar, year_2027)
    fees_imported(registrar, year_2027, [(s.student_number, "已缴费") for s in students_a])
    withdrawn, waiting = students_a[0], students_a[1]
    student_change_status(
        actor=registrar,
        student_id=withdrawn.pk,
        transition="deregister",
        reason="退学",
        document_number="1号",
    )
    status_change_file(
        actor=college_a_staff, student_id=waiting.pk, given=ChangeInput(kind="31", reason="本人申请退学")
    )
    batch = batches.batch_create(actor=college_a_staff, kind=KIND, college=college_a, term=term_2027)
    assert batches.batch_items_fill(actor=college_a_staff, batch_id=batch.pk, kind=KIND) == 4
    deferred = AnnualItem.objects.get(batch=batch, outcome="defer")
    assert (deferred.registration.student_id, deferred.reason) == (
        waiting.pk,
        "有未办结的学籍异动（批准或撤回后方可注册）",
    )
    assert batches.batch_submit(actor=college_a_staff, batch_id=batch.pk, kind=KIND).state == "submitted"


@pytest.mark.rule("ANN-3")
def test_fill_proposes_deferral_for_unpaid_fees_and_approval_moves_everyone_set_based(
    students_a, registrar, college_a_staff, college_a, year_2027, term_2027
):
    roll_opened(registrar, year_2027)
    numbers = [s.student_number for s in students_a]
    fees_imported(registrar, year_2027, [(n, "已缴费") for n in numbers[:4]] + [(numbers[4], "未缴费")])
    batch = batches.batch_create(actor=college_a_staff, kind=KIND, college=college_a, term=term_2027)
    assert batches.batch_items_fill(actor=college_a_staff, batch_id=batch.pk, kind=KIND) == 5
    deferred = AnnualItem.objects.get(batch=batch, outcome="defer")
    assert deferred.registration.student.student_number == numbers[4]
    assert deferred.deferral_reason == "fees_unpaid"
    batches.batch_submit(actor=college_a_staff, batch_id=batch.pk, kind=KIND)
    batches.batch_approve(actor=registrar, batch_id=batch.pk, kind=KIND, document_number="教学〔2027〕12号")
    states = dict(AnnualRegistration.objects.values_list("student__student_number", "state"))
    assert states == {**{n: "registered" for n in numbers[:4]}, numbers[4]: "deferred"}
    events = AuditEvent.objects.filter(action__startswith="annual_registration.registration.")
    assert events.filter(action="annual_registration.registration.register").count() == 4
    deferral = events.get(action="annual_registration.registration.defer")
    assert (
        deferral.after["deferral_reason"] == "fees_unpaid" and deferral.document_number == "教学〔2027〕12号"
    )


@pytest.mark.rule("ANN-3")
def test_a_deferred_student_is_registered_later_on_another_list(
    students_a, registrar, college_a_staff, college_a, year_2027, term_2027
):
    roll_opened(registrar, year_2027)
    number = students_a[0].student_number
    first = batches.batch_create(actor=college_a_staff, kind=KIND, college=college_a, term=term_2027)
    defer = [ItemInput(key=number, outcome="defer", extra={"deferral_reason": "fees_unpaid"})]
    batches.batch_items_save(actor=college_a_staff, batch_id=first.pk, kind=KIND, items=defer)
    batches.batch_submit(actor=college_a_staff, batch_id=first.pk, kind=KIND)
    batches.batch_approve(actor=registrar, batch_id=first.pk, kind=KIND)
    fees_imported(registrar, year_2027, [(number, "已缴费")])
    later = batches.batch_create(actor=college_a_staff, kind=KIND, college=college_a, term=term_2027)
    register = [ItemInput(key=number, outcome="register")]
    batches.batch_items_save(actor=college_a_staff, batch_id=later.pk, kind=KIND, items=register)
    batches.batch_submit(actor=college_a_staff, batch_id=later.pk, kind=KIND)
    batches.batch_approve(actor=registrar, batch_id=later.pk, kind=KIND)
    registration = AnnualRegistration.objects.get(student__student_number=number)
    assert registration.state == "registered" and registration.registered_on is not None


@pytest.mark.rule("ANN-3")
def test_a_deferral_needs_a_reason(students_a, registrar, college_a_staff, college_a, year_2027, term_2027):
    roll_opened(registrar, year_2027)
    batch = batches.batch_create(actor=college_a_staff, kind=KIND, college=college_a, term=term_2027)
    items = [ItemInput(key=students_a[0].student_number, outcome="defer", row=2)]
    errors = batches.batch_items_save(actor=college_a_staff, batch_id=batch.pk, kind=KIND, items=items)
    assert [(e.row, e.column, e.reason) for e in errors] == [(2, "暂缓原因", "暂缓注册须填写暂缓原因或说明")]


@pytest.mark.rule("SEC-2")
def test_another_college_s_students_are_not_found_for_a_list(
    students_a, students_b, registrar, college_a_staff, college_a, year_2027, term_2027
):
    roll_opened(registrar, year_2027)
    batch = batches.batch_create(actor=college_a_staff, kind=KIND, college=college_a, term=term_2027)
    items = [ItemInput(key=students_b[0].student_number, outcome="register", row=2)]
    errors = batches.batch_items_save(actor=college_a_staff, batch_id=batch.pk, kind=KIND, items=items)
    assert [(e.row, e.column) for e in errors] == [(2, "学号")]
