"""学籍信息变更 (ANN-8): requests with proof, the school's approval chain, the old value kept."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from annual_registration.models import IdentityChangeRequest, IdentityChangeSettings, IdentityProof
from annual_registration.models.identity import IdentityState
from annual_registration.services.identity import (
    identity_change_decide,
    identity_change_file,
    identity_settings_save,
    shown_changes,
)
from audit.models import AuditEvent
from enrollment.models import AdmissionRecord
from registrar.errors import DomainError
from registrar.idcard import make_id_number
from registrar.models import Student, User
from registrar.services import student_change_status
from tests.annual_registration.record_builders import PDF, PNG, big_proof, proof

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_apart(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def account(student: Student) -> User:
    return User.objects.get(student=student)


def filed(actor, student, requested=None, **extra) -> IdentityChangeRequest:
    return identity_change_file(
        actor=actor,
        student_id=student.pk,
        requested=requested or {"name": "张新名"},
        reason="户籍登记姓名变更",
        proofs=extra.pop("proofs", [proof()]),
        **extra,
    )


def confirmed_by_the_admissions_office(registrar, request: IdentityChangeRequest) -> None:
    """The 生源地 admissions office's confirmation, recorded by the registrar with its 文号 (SH)."""
    identity_change_decide(
        actor=registrar,
        request_id=request.pk,
        transition="confirm_admissions",
        document_number="沪招〔2026〕3号",
    )


@pytest.mark.rule("ANN-8")
def test_an_approved_change_keeps_the_old_value_readable(students_a, registrar):
    student = students_a[0]
    request = filed(account(student), student)
    identity_change_decide(
        actor=registrar, request_id=request.pk, transition="approve", document_number="教学〔2026〕9号"
    )
    student.refresh_from_db()
    assert student.name == "张新名"
    assert list(student.history.order_by("history_date", "history_id").values_list("name", flat=True))[
        -2:
    ] == [
        "新生1",
        "张新名",
    ]
    event = AuditEvent.objects.get(action="annual_registration.student.identity_change")
    assert (event.before, event.after) == ({"name": "新生1"}, {"name": "张新名"})


@pytest.mark.rule("ANN-8")
def test_proof_files_are_stored_under_media_root_with_a_name_of_their_own(students_a, settings):
    student = students_a[0]
    request = filed(account(student), student, proofs=[proof("../../户籍 证明.PDF"), proof("照片.png", PNG)])
    stored = list(IdentityProof.objects.filter(request=request).order_by("pk"))
    assert [p.original_name for p in stored] == ["户籍 证明.PDF", "照片.png"]
    assert [p.content_type for p in stored] == ["application/pdf", "image/png"]
    assert all(p.file.path.startswith(str(settings.MEDIA_ROOT)) and "证明" not in p.file.name for p in stored)


@pytest.mark.rule("ANN-8")
@pytest.mark.rule("ANN-14")
def test_where_the_province_approves_the_school_alone_cannot_apply_the_change(students_a, registrar):
    identity_settings_save(actor=registrar, chain="school_province", field_groups=[])
    student = students_a[0]
    request = filed(account(student), student)
    with pytest.raises(DomainError, match="不能学校审核通过，予以变更"):
        identity_change_decide(actor=registrar, request_id=request.pk, transition="approve")
    identity_change_decide(actor=registrar, request_id=request.pk, transition="approve_for_province")
    assert Student.objects.get(pk=student.pk).name == "新生1"
    with pytest.raises(DomainError, match="请填写文号"):
        identity_change_decide(actor=registrar, request_id=request.pk, transition="approve_province")
    identity_change_decide(
        actor=registrar,
        request_id=request.pk,
        transition="approve_province",
        document_number="吉教〔2026〕7号",
    )
    assert Student.objects.get(pk=student.pk).name == "张新名"


@pytest.mark.rule("ANN-8")
def test_where_only_gaokao_errors_are_corrected_the_admissions_office_changes_it_first(students_a, registrar):
    identity_settings_save(actor=registrar, chain="admissions_office", field_groups=[])
    student = students_a[0]
    with pytest.raises(DomainError, match="只受理高考信息采集错误"):
        filed(account(student), student)
    request = filed(account(student), student, gaokao_data_error=True)
    with pytest.raises(DomainError, match="不能学校审核通过"):
        identity_change_decide(actor=registrar, request_id=request.pk, transition="approve")
    confirmed_by_the_admissions_office(registrar, request)
    identity_change_decide(actor=registrar, request_id=request.pk, transition="approve")
    assert IdentityChangeRequest.objects.get(pk=request.pk).state == IdentityState.APPLIED


@pytest.mark.rule("ANN-8")
def test_a_corrected_gaokao_error_corrects_the_admission_record_too_and_keeps_its_old_value(
    students_a, registrar
):
    """SH: the 高考 data was wrong, so the admission data is; DIP-4 later compares the diploma with it."""
    identity_settings_save(actor=registrar, chain="admissions_office", field_groups=[])
    student = students_a[0]
    request = filed(account(student), student, gaokao_data_error=True)
    confirmed_by_the_admissions_office(registrar, request)
    identity_change_decide(actor=registrar, request_id=request.pk, transition="approve")
    record = AdmissionRecord.objects.get(student=student)
    history = record.history.order_by("history_date", "history_id").values_list("name", flat=True)
    assert (record.name, list(history)[-2:]) == ("张新名", ["新生1", "张新名"])
    event = AuditEvent.objects.get(action="annual_registration.admission.identity_change")
    assert (event.before, event.after, event.student_id) == (
        {"name": "新生1"},
        {"name": "张新名"},
        student.pk,
    )


@pytest.mark.rule("ANN-8")
def test_an_identity_change_that_is_not_a_gaokao_error_leaves_the_admission_record_as_admitted(
    students_a, registrar
):
    student = students_a[0]
    request = filed(account(student), student)
    identity_change_decide(
        actor=registrar, request_id=request.pk, transition="approve", document_number="9号"
    )
    assert (Student.objects.get(pk=student.pk).name, AdmissionRecord.objects.get(student=student).name) == (
        "张新名",
        "新生1",
    )


@pytest.mark.rule("ANN-8")
def test_a_request_with_doubtful_proof_is_refused_with_its_reason_and_nothing_changes(students_a, registrar):
    student = students_a[0]
    request = filed(account(student), student)
    with pytest.raises(DomainError, match="请说明不予变更的原因"):
        identity_change_decide(
            actor=registrar, request_id=request.pk, transition="refuse", ground="doubtful_proof"
        )
    identity_change_decide(
        actor=registrar,
        request_id=request.pk,
        transition="refuse",
        ground="doubtful_proof",
        reason="户籍证明印章与公安机关备案不符",
    )
    request.refresh_from_db()
    assert (request.state, request.refusal_ground) == (IdentityState.REFUSED, "doubtful_proof")
    assert Student.objects.get(pk=student.pk).name == "新生1"


@pytest.mark.rule("ANN-8")
def test_which_fields_change_together_is_the_schools_setting(students_a, registrar):
    student = students_a[0]
    with pytest.raises(DomainError, match="不能在同一申请中一并变更"):
        filed(registrar, student, {"name": "张新名", "ethnicity": "02"})
    birth = datetime.date(2007, 6, 2)
    together = {"birth_date": "2007-06-02", "id_number": make_id_number("110101", birth, 1, "1")}
    assert filed(registrar, student, together).requested == together


@pytest.mark.rule("ANN-8")
def test_a_birth_date_that_disagrees_with_the_id_number_is_refused_with_a_hint(students_a, registrar):
    with pytest.raises(DomainError, match=r"出生日期与身份证号不一致.*一并变更"):
        filed(registrar, students_a[0], {"birth_date": "2007-06-02"})


@pytest.mark.rule("ANN-8")
def test_id_numbers_are_checked_by_gb_11643(students_a, registrar):
    number = make_id_number("110101", datetime.date(2007, 5, 1), 9, "1")
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(DomainError, match="校验位错误"):
        filed(registrar, students_a[0], {"id_number": wrong})


@pytest.mark.rule("ANN-8")
def test_a_second_request_waits_for_the_first(students_a, registrar, college_a_staff):
    filed(college_a_staff, students_a[0])
    with pytest.raises(DomainError, match="已有办理中的信息变更申请"):
        filed(registrar, students_a[0], {"ethnicity": "02"})


@pytest.mark.rule("ENR-6")
def test_an_id_number_another_active_student_holds_is_refused_when_applied(students_a, registrar):
    taken = students_a[1].id_number
    first = students_a[0]
    request = IdentityChangeRequest.objects.create(
        student=first,
        requested={"id_number": taken},
        reason="x",
        chain="school",
        filed_by=registrar,
    )
    with pytest.raises(DomainError):
        identity_change_decide(actor=registrar, request_id=request.pk, transition="approve")
    assert Student.objects.get(pk=first.pk).id_number != taken


@pytest.mark.rule("SEC-2")
def test_another_student_and_another_colleges_staff_cannot_file(students_a, students_b, college_a_staff):
    with pytest.raises(Student.DoesNotExist):
        filed(account(students_a[0]), students_b[0])
    with pytest.raises(Student.DoesNotExist):
        filed(college_a_staff, students_b[0])


@pytest.mark.rule("SEC-1")
def test_only_the_registrar_decides(students_a, college_a_staff, auditor):
    request = filed(college_a_staff, students_a[0])
    with pytest.raises(PermissionDenied):
        identity_change_decide(actor=college_a_staff, request_id=request.pk, transition="approve")
    with pytest.raises(PermissionDenied):
        filed(auditor, students_a[1])


@pytest.mark.rule("ANN-11")
def test_a_student_who_has_left_files_nothing(students_a, registrar):
    student = students_a[0]
    student_change_status(actor=registrar, student_id=student.pk, transition="deregister", reason="退学")
    with pytest.raises(DomainError, match="不再受理学籍信息变更"):
        filed(account(student), student)


@pytest.mark.rule("SEC-2")
def test_id_numbers_of_a_request_are_masked_for_all_but_the_registrar(students_a, registrar):
    number = make_id_number("110101", datetime.date(2007, 5, 1), 77, "1")
    request = filed(registrar, students_a[0], {"id_number": number})
    (_field, _before, after) = shown_changes(request)[0]
    assert after == number[:3] + "*" * 11 + number[-4:]
    assert shown_changes(request, full_id_number=True)[0][2] == number


# ---------------------------------------------------------------- hostile proof files


@pytest.mark.rule("ANN-8")
def test_a_request_without_proof_is_refused(students_a, registrar):
    with pytest.raises(DomainError, match="请上传证明材料"):
        filed(registrar, students_a[0], proofs=[])


@pytest.mark.rule("ANN-8")
def test_an_oversized_proof_is_refused_in_chinese_and_nothing_is_stored(students_a, registrar, settings):
    settings.IDENTITY_PROOF_MAX_BYTES = 1024
    with pytest.raises(DomainError, match=r"证明材料“大文件\.pdf”为.*超过上限"):
        filed(registrar, students_a[0], proofs=[proof(), big_proof(4096)])
    assert not IdentityChangeRequest.objects.exists() and not IdentityProof.objects.exists()


@pytest.mark.rule("ANN-8")
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("证明.pdf", b"<html><script>alert(1)</script></html>"),
        ("证明.pdf", b"MZ\x90\x00 windows program"),
        ("证明.pdf", PNG),  # a PNG named .pdf: the name must say what the content is
        ("证明.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("证明.pdf", b""),
    ],
)
def test_a_proof_of_the_wrong_type_is_refused_in_chinese(students_a, registrar, name, content):
    with pytest.raises(DomainError, match=r"证明材料“证明\.(pdf|svg)”(不是可接受的文件|是空文件)"):
        filed(registrar, students_a[0], proofs=[proof(name, content)])
    assert not IdentityProof.objects.exists()


@pytest.mark.rule("ANN-8")
def test_too_many_proof_files_are_refused(students_a, registrar, settings):
    settings.IDENTITY_PROOF_MAX_FILES = 2
    with pytest.raises(DomainError, match="最多2个文件"):
        filed(registrar, students_a[0], proofs=[proof(), proof(), proof("三.pdf", PDF)])


@pytest.mark.rule("ANN-8")
@pytest.mark.parametrize(
    ("policy", "chain"),
    [("national", "school"), ("dl", "school"), ("jl", "school_province"), ("sh", "admissions_office")],
)
def test_until_the_registrar_sets_it_the_chain_follows_the_schools_text(school, policy, chain):
    school.deadline_policy = policy
    school.save()
    assert IdentityChangeSettings.for_school(school).chain == chain
