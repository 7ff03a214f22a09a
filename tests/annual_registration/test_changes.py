"""学籍异动 as cases (issue 11, item 3): filing, refusals with reasons, approval moving status and placement."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from annual_registration.blockers import blockers_of, with_blockers
from annual_registration.change_kinds import DEFAULT_KIND_SETTINGS
from annual_registration.models import (
    AnnualRegistration,
    AnnualState,
    ChangeKindSetting,
    ChangeState,
    StatusChange,
)
from annual_registration.services.change_approval import status_change_approve
from annual_registration.services.change_rules import kinds_available
from annual_registration.services.changes import (
    kind_settings_seed,
    status_change_return,
    status_change_submit,
    status_change_withdraw,
)
from audit.models import AuditEvent
from registrar import codes
from registrar.errors import DomainError
from registrar.models import Student
from tests.annual_registration.change_builders import DOCUMENT, approved, filed, registration_of, submitted

Kind = codes.StatusChangeKind
Status = codes.StudentStatus


@pytest.mark.rule("ANN-4")
def test_an_approved_suspension_moves_the_student_and_this_years_registration(
    college_a_staff, registrar, second_years, roll_2026
):
    student = second_years[0]
    change = approved(
        college_a_staff,
        registrar,
        student,
        Kind.SUSPENSION,
        reason="病休",
        period_start=datetime.date(2026, 10, 12),
        period_end=datetime.date(2027, 7, 15),
    )
    student.refresh_from_db()
    assert student.student_status == Status.SUSPENDED
    assert registration_of(student, roll_2026).state == AnnualState.SUSPENDED
    assert (change.state, change.document_number, change.decision_date) == (
        ChangeState.APPROVED,
        "校学〔2026〕12号",
        datetime.date(2026, 10, 12),
    )


@pytest.mark.rule("ANN-4")
def test_a_stopped_student_code_13_is_suspended_for_the_period_and_resumes_by_resumption(
    college_a_staff, registrar, second_years, roll_2026
):
    """停学 (13): the student stops for a period, keeping the 学籍, as a 休学; 复学 ends it."""
    student = second_years[0]
    period = {"period_start": datetime.date(2026, 10, 12), "period_end": datetime.date(2027, 1, 20)}
    change = approved(college_a_staff, registrar, student, Kind.STOPPED, reason="停学一学期", **period)
    student.refresh_from_db()
    assert (change.kind, student.student_status) == ("13", Status.SUSPENDED)
    assert registration_of(student, roll_2026).state == AnnualState.SUSPENDED
    approved(college_a_staff, registrar, student, Kind.RESUMPTION, number="校学〔2026〕13号")
    student.refresh_from_db()
    assert student.student_status == Status.IN_SCHOOL


@pytest.mark.rule("ANN-4")
def test_a_stop_without_its_period_is_refused(college_a_staff, second_years, clock):
    with pytest.raises(DomainError, match="停学须填写起止日期"):
        filed(college_a_staff, second_years[0], Kind.STOPPED, reason="停学")


@pytest.mark.rule("ANN-4")
def test_resumption_is_refused_for_a_student_who_is_not_suspended(college_a_staff, second_years, clock):
    with pytest.raises(DomainError, match="当前学籍状态为“在籍”，不能办理复学"):
        filed(college_a_staff, second_years[0], Kind.RESUMPTION)


@pytest.mark.rule("ANN-4")
def test_resumption_after_suspension_reopens_this_years_registration(
    college_a_staff, registrar, second_years, roll_2026
):
    student = second_years[0]
    period = {"period_start": datetime.date(2026, 10, 12), "period_end": datetime.date(2027, 3, 1)}
    approved(college_a_staff, registrar, student, Kind.SUSPENSION, **period)
    approved(college_a_staff, registrar, student, Kind.RESUMPTION, number="校学〔2026〕13号")
    student.refresh_from_db()
    assert student.student_status == Status.IN_SCHOOL
    assert registration_of(student, roll_2026).state == AnnualState.PENDING


def test_a_second_open_change_for_the_same_student_is_refused(
    college_a_staff, other_major_a, second_years, clock
):
    student = second_years[0]
    filed(college_a_staff, student, Kind.MAJOR_CHANGE, values={"major": other_major_a.pk})
    with pytest.raises(DomainError, match="已有一项未办结的学籍异动（转专业，草稿）"):
        filed(
            college_a_staff,
            student,
            Kind.RETENTION,
            period_start=datetime.date(2026, 11, 1),
            period_end=datetime.date(2028, 9, 1),
        )


def test_a_withdrawn_change_leaves_room_for_another(college_a_staff, other_major_a, second_years, clock):
    student = second_years[0]
    change = filed(college_a_staff, student, Kind.MAJOR_CHANGE, values={"major": other_major_a.pk})
    status_change_withdraw(actor=college_a_staff, change_id=change.pk)
    assert filed(college_a_staff, student, Kind.WITHDRAWAL, reason="本人申请退学").state == ChangeState.DRAFT


@pytest.mark.rule("ANN-4")
def test_a_period_kind_needs_its_dates(college_a_staff, second_years, clock):
    with pytest.raises(DomainError, match="保留学籍须填写起止日期"):
        filed(college_a_staff, second_years[0], Kind.RETENTION, reason="应征入伍")


@pytest.mark.rule("ANN-4")
def test_a_credit_system_school_does_not_see_repeat_demotion_and_skip_unless_switched_on(
    school, kind_settings
):
    school.credit_system = True
    school.save()
    hidden = {Kind.REPEAT_YEAR, Kind.DEMOTION, Kind.GRADE_SKIP}
    assert hidden.isdisjoint(s.kind for s in kinds_available(school))
    ChangeKindSetting.objects.filter(kind=Kind.REPEAT_YEAR).update(hidden_under_credit_system=False)
    assert Kind.REPEAT_YEAR in {s.kind for s in kinds_available(school)}


@pytest.mark.rule("ANN-4")
def test_a_credit_system_school_cannot_file_a_repeat_year(school, college_a_staff, second_years, clock):
    school.credit_system = True
    school.save()
    with pytest.raises(DomainError, match="实行学分制的学校无需标注留级"):
        filed(college_a_staff, second_years[0], Kind.REPEAT_YEAR, values={"grade": 2026})


def test_a_change_of_major_stores_each_value_before_and_after_and_keeps_the_old_one_in_history(
    college_a_staff, registrar, major_a, other_major_a, second_years, clock
):
    student = second_years[0]
    change = approved(
        college_a_staff,
        registrar,
        student,
        Kind.MAJOR_CHANGE,
        values={"major": other_major_a.pk, "program_years": "5"},
    )
    assert change.values_before == {"major": major_a.pk, "program_years": "4.0"}
    assert change.values_after == {"major": other_major_a.pk, "program_years": "5.0"}
    assert list(
        Student.history.filter(id=student.pk).order_by("history_id").values_list("major_id", flat=True)
    ) == [
        major_a.pk,
        other_major_a.pk,
    ]


def test_a_change_of_major_fills_in_the_college_of_the_new_major(
    college_a_staff, registrar, major_b, second_years, clock
):
    student = second_years[0]
    approved(college_a_staff, registrar, student, Kind.MAJOR_CHANGE, values={"major": major_b.pk})
    student.refresh_from_db()
    assert (student.major_id, student.college_id) == (major_b.pk, major_b.college_id)


def test_a_repeat_year_moves_the_grade_and_the_expected_graduation(
    college_a_staff, registrar, second_years, clock
):
    student = second_years[0]
    approved(
        college_a_staff,
        registrar,
        student,
        Kind.REPEAT_YEAR,
        values={"grade": 2026, "expected_graduation_date": datetime.date(2030, 6, 30)},
    )
    student.refresh_from_db()
    assert (student.grade, student.expected_graduation_date) == (2026, datetime.date(2030, 6, 30))


def test_approval_records_one_event_for_the_case_with_its_values(
    college_a_staff, registrar, other_major_a, second_years, clock
):
    change = approved(
        college_a_staff, registrar, second_years[0], Kind.MAJOR_CHANGE, values={"major": other_major_a.pk}
    )
    event = AuditEvent.objects.get(action="annual_registration.change.approve", subject_id=str(change.pk))
    assert (event.after["values_after"], event.document_number) == (
        {"major": other_major_a.pk},
        "校学〔2026〕12号",
    )


def test_approval_needs_a_document_number_a_decision_date_and_the_document(
    college_a_staff, registrar, second_years, clock
):
    change = submitted(college_a_staff, second_years[0], Kind.WITHDRAWAL, reason="本人申请退学")
    with pytest.raises(DomainError, match="请填写文号"):
        status_change_approve(
            actor=registrar,
            change_id=change.pk,
            decision_date=datetime.date(2026, 10, 12),
            document_number="",
            document=DOCUMENT,
        )
    with pytest.raises(DomainError, match="请上传处理决定文件"):
        status_change_approve(
            actor=registrar,
            change_id=change.pk,
            decision_date=datetime.date(2026, 10, 12),
            document_number="1号",
            document=None,
        )


def test_the_college_cannot_approve_its_own_change(college_a_staff, second_years, clock):
    change = submitted(college_a_staff, second_years[0], Kind.WITHDRAWAL, reason="本人申请退学")
    with pytest.raises(PermissionDenied):
        status_change_approve(
            actor=college_a_staff,
            change_id=change.pk,
            decision_date=datetime.date(2026, 10, 12),
            document_number="1号",
            document=DOCUMENT,
        )


def test_another_colleges_staff_cannot_file_for_a_student_of_college_a(college_b_staff, second_years, clock):
    with pytest.raises(Student.DoesNotExist):
        filed(college_b_staff, second_years[0], Kind.WITHDRAWAL)


def test_another_colleges_staff_cannot_submit_college_as_change(
    college_a_staff, college_b_staff, second_years, clock
):
    change = filed(college_a_staff, second_years[0], Kind.WITHDRAWAL)
    with pytest.raises(StatusChange.DoesNotExist):
        status_change_submit(actor=college_b_staff, change_id=change.pk)


def test_a_returned_change_is_fixed_and_submitted_again(college_a_staff, registrar, second_years, clock):
    change = submitted(college_a_staff, second_years[0], Kind.WITHDRAWAL, reason="本人申请")
    status_change_return(actor=registrar, change_id=change.pk, comment="请附本人申请书")
    assert StatusChange.objects.get(pk=change.pk).comment == "请附本人申请书"
    assert status_change_submit(actor=college_a_staff, change_id=change.pk).state == ChangeState.SUBMITTED


def test_a_second_approval_of_the_same_change_is_refused(college_a_staff, registrar, second_years, clock):
    change = approved(college_a_staff, registrar, second_years[0], Kind.WITHDRAWAL, reason="本人申请退学")
    with pytest.raises(DomainError, match="不能批准"):
        status_change_approve(
            actor=registrar,
            change_id=change.pk,
            decision_date=datetime.date(2026, 10, 12),
            document_number="1号",
            document=DOCUMENT,
        )


@pytest.mark.rule("ANN-9")
def test_an_open_change_blocks_this_years_registration_until_it_is_decided(
    college_a_staff, second_years, roll_2026
):
    change = filed(college_a_staff, second_years[0], Kind.WITHDRAWAL, reason="本人申请退学")
    registration = with_blockers(AnnualRegistration.objects.filter(student=second_years[0])).get()
    assert "open_change" in {b.code for b in blockers_of(registration)}
    status_change_withdraw(actor=college_a_staff, change_id=change.pk)
    registration = with_blockers(AnnualRegistration.objects.filter(student=second_years[0])).get()
    assert "open_change" not in {b.code for b in blockers_of(registration)}


@pytest.mark.rule("ANN-4")
def test_seeding_the_kinds_puts_back_what_is_missing_and_leaves_edited_rows(kind_settings):
    ChangeKindSetting.objects.filter(kind=Kind.OTHER).delete()
    ChangeKindSetting.objects.filter(kind=Kind.REPEAT_YEAR).update(hidden_under_credit_system=False)
    assert [s.kind for s in kind_settings_seed()] == [Kind.OTHER]
    assert not ChangeKindSetting.objects.get(kind=Kind.REPEAT_YEAR).hidden_under_credit_system


@pytest.mark.rule("ANN-4")
@pytest.mark.django_db(transaction=True)
def test_a_flush_puts_the_seeded_kinds_back():
    """A flush (manage.py flush, a transactional test's teardown) empties every table; the kinds come back."""
    call_command("flush", interactive=False, verbosity=0)
    kinds = ChangeKindSetting.objects.order_by("kind").values_list("kind", flat=True)
    assert list(kinds) == sorted(values["kind"] for values in DEFAULT_KIND_SETTINGS)
