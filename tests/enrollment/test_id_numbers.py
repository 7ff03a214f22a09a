"""One person, one 学籍: id numbers have one stored form on every path, held by the database (ENR-6, ENR-9)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from enrollment.models import AdmissionRecord
from enrollment.services import correction_create
from registrar.services import DomainError
from tests.enrollment.builders import admission_row
from tests.factories import StudentFactory

ARABIC_FOUR = "\u0664"  # ٤: int() and \d take it for 4


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) for c in text)


def one_full_width_digit(number: str) -> str:
    """The probe's look-alike: one digit of the birth date in full width, the rest as it was."""
    return number[:10] + full_width(number[10]) + number[11:]


def with_arabic_indic_digit(number: str) -> str:
    """The same number with its first digit in Arabic-Indic (٠-٩): int() reads it, so the check digit agrees."""
    return chr(0x0660 + int(number[0])) + number[1:]


@pytest.mark.rule("ENR-6")
def test_a_look_alike_copy_of_a_number_imported_this_year_is_refused(import_rows, major_a):
    first = admission_row(1, major_a)
    assert import_rows([first]).ok
    copy = admission_row(2, major_a, ZJHM=one_full_width_digit(first["ZJHM"]), XM=first["XM"])
    result = import_rows([copy])
    assert [(e.row, e.column) for e in result.errors] == [(2, "证件号码")]
    assert AdmissionRecord.objects.count() == 1


@pytest.mark.rule("ENR-6")
def test_a_look_alike_copy_of_an_active_students_number_cannot_make_a_second_status(import_rows, major_a):
    row = admission_row(1, major_a)
    StudentFactory(id_number=row["ZJHM"], major=major_a)
    result = import_rows([{**row, "ZJHM": one_full_width_digit(row["ZJHM"])}])
    assert [e.column for e in result.errors] == ["证件号码"] and "ENR-6" in result.errors[0].reason


@pytest.mark.rule("ENR-9")
def test_a_look_alike_copy_of_a_former_students_number_is_flagged_as_same_name_and_number(
    import_rows, major_a
):
    row = admission_row(1, major_a)
    StudentFactory(name=row["XM"], id_number=row["ZJHM"], major=major_a, student_status="deregistered")
    result = import_rows([{**row, "ZJHM": one_full_width_digit(row["ZJHM"])}])
    assert result.ok and result.flagged == [row["KSH"]]
    assert AdmissionRecord.objects.get().id_number == row["ZJHM"]


@pytest.mark.rule("ENR-7")
def test_a_passport_number_with_an_arabic_indic_digit_is_refused_with_its_row(import_rows, major_a):
    result = import_rows([admission_row(1, major_a, ZJLX="3", ZJHM="E123" + ARABIC_FOUR + "5678")])
    assert [(e.row, e.column) for e in result.errors] == [(2, "证件号码")]
    assert "第5位" in result.errors[0].reason and not AdmissionRecord.objects.exists()


@pytest.mark.rule("ENR-6")
def test_the_database_refuses_a_look_alike_number_written_around_the_services(freshmen_a):
    record = freshmen_a[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        AdmissionRecord.objects.filter(pk=record.pk).update(id_number=full_width(record.id_number))


@pytest.mark.rule("ENR-6")
def test_the_database_refuses_a_lower_case_check_character_on_a_student(major_a):
    student = StudentFactory(
        major=major_a, id_number="11010519491231002X", birth_date="1949-12-31", gender="2"
    )
    # Around the services on purpose: the constraint's own test.
    with pytest.raises(IntegrityError), transaction.atomic():
        type(student).objects.filter(pk=student.pk).update(id_number="11010519491231002x")


@pytest.mark.rule("ENR-8")
def test_a_correction_to_a_number_with_an_arabic_indic_digit_is_refused(freshmen_a, registrar):
    record = freshmen_a[0]
    look_alike = with_arabic_indic_digit(record.id_number)
    assert look_alike != record.id_number
    with pytest.raises(DomainError, match="半角数字"):
        correction_create(
            actor=registrar, record_id=record.pk, requested={"id_number": look_alike}, reason="核对"
        )


@pytest.mark.rule("ENR-8")
def test_a_full_width_correction_is_kept_in_ascii(freshmen_a, registrar):
    record, other = freshmen_a[0], freshmen_a[1]
    request = correction_create(
        actor=registrar,
        record_id=record.pk,
        requested={"id_number": full_width(other.id_number.replace("X", "x"))},
        reason="核对",
    )
    assert request.requested["id_number"] == other.id_number


@pytest.mark.postgres
@pytest.mark.rule("ENR-6")
def test_the_migration_lists_existing_offenders_and_changes_nothing(freshmen_a):
    from registrar.idcard_offenders import IdNumberOffenders, refuse_offenders

    record = freshmen_a[0]
    bad = full_width(record.id_number)
    with connection.cursor() as cursor:  # the test's transaction rolls this back
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE enrollment_admissionrecord DROP CONSTRAINT admission_id_number_ascii")
    AdmissionRecord.objects.filter(pk=record.pk).update(id_number=bad)  # a row from before the constraint
    with pytest.raises(IdNumberOffenders, match=f"#{record.pk}（{record.exam_number}") as caught:
        refuse_offenders(AdmissionRecord, "exam_number")
    assert bad not in str(caught.value) and AdmissionRecord.objects.get(pk=record.pk).id_number == bad
