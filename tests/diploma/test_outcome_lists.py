"""The colleges' graduation-outcome lists on the shared batch workflow (DIP-1, journey 3)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from diploma.models import ExpectedGraduate, GraduationOutcome
from diploma.services.graduates import expected_graduates_build
from diploma.services.outcome_lists import parse_outcome_list
from registrar import batches
from registrar.models import Batch, BatchKind
from registrar.sheets.writers import xlsx
from tests.diploma.builders import graduating
from tests.factories import AcademicYearFactory, TermFactory

pytestmark = pytest.mark.django_db
KIND = BatchKind.GRADUATION_OUTCOME


@pytest.fixture
def spring_term(db):
    """The second term of 2025-2026: its lists decide the graduates of 2026."""
    year = AcademicYearFactory(start_year=2025)
    return TermFactory(academic_year=year, number=2, start_date=datetime.date(2026, 2, 23))


@pytest.fixture
def outcome_list(registrar, college_a_staff, college_a, school, major_a, spring_term):
    students = graduating(major_a, 3)
    expected_graduates_build(actor=registrar, graduation_year=2026)
    batch = batches.batch_create(actor=college_a_staff, kind=KIND, college=college_a, term=spring_term)
    return batch, students


def sheet(rows):
    return xlsx(["学号", "姓名", "毕(结)业结论", "说明"], rows, "毕业结论名单")


def upload(actor, batch, rows):
    parsed = parse_outcome_list(sheet(rows), "byjl.xlsx")
    return batches.batch_items_upload(actor=actor, batch_id=batch.pk, kind=KIND, parsed=parsed)


@pytest.mark.rule("DIP-1")
def test_an_approved_list_decides_each_outcome_and_attended_gets_a_certificate_of_attendance(
    outcome_list, college_a_staff, registrar
):
    batch, (first, second, third) = outcome_list
    rows = [
        [first.student_number, first.name, "毕业", ""],
        [second.student_number, second.name, "结业", "缺2学分"],
        [third.student_number, third.name, "肄业", ""],
    ]
    assert upload(college_a_staff, batch, rows) == []
    batches.batch_submit(actor=college_a_staff, batch_id=batch.pk, kind=KIND)
    batches.batch_approve(actor=registrar, batch_id=batch.pk, kind=KIND, document_number="教务〔2026〕20号")
    outcomes = dict(ExpectedGraduate.objects.values_list("student__student_number", "outcome"))
    assert outcomes == {
        first.student_number: GraduationOutcome.GRADUATED,
        second.student_number: GraduationOutcome.COMPLETED,
        third.student_number: GraduationOutcome.ATTENDED,
    }
    assert third.certificates_issued.get().kind == "attendance"


def test_a_sheet_with_an_unknown_student_or_outcome_writes_nothing_and_names_each_row(
    outcome_list, college_a_staff
):
    batch, (first, *_rest) = outcome_list
    errors = upload(
        college_a_staff, batch, [[first.student_number, "", "毕业", ""], ["99999999", "", "优秀", ""]]
    )
    assert [(e.row, e.column) for e in errors] == [(3, "毕(结)业结论")]
    errors = upload(
        college_a_staff, batch, [[first.student_number, "", "毕业", ""], ["99999999", "", "毕业", ""]]
    )
    assert [(e.row, e.column) for e in errors] == [(3, "学号")]
    assert not batch.outcome_items.exists()


def test_fill_lists_every_pending_graduate_as_graduated(outcome_list, college_a_staff):
    batch, _students = outcome_list
    assert batches.batch_items_fill(actor=college_a_staff, batch_id=batch.pk, kind=KIND) == 3


def test_another_colleges_staff_neither_see_nor_change_the_list(outcome_list, college_b_staff, student_b):
    batch, (first, *_rest) = outcome_list
    with pytest.raises(Batch.DoesNotExist):
        upload(college_b_staff, batch, [[first.student_number, "", "毕业", ""]])
    with pytest.raises((Batch.DoesNotExist, PermissionDenied)):
        batches.batch_submit(actor=student_b, batch_id=batch.pk, kind=KIND)
