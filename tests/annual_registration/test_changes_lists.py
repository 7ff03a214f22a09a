"""学籍异动名单 (issue 11, item 3): a class's 转专业 on one list, approved set-based with one event per student."""

from __future__ import annotations

import datetime

import pytest

from annual_registration.models import ChangeState, StatusChange
from annual_registration.services.change_lists import KIND, parse_change_list
from audit.models import AuditEvent
from registrar import batches, codes
from registrar.errors import DomainError
from registrar.models import Student
from tests.annual_registration.change_builders import filed
from tests.enrollment.builders import xlsx_bytes
from tests.factories import StudentFactory

HEADER = ["学号", "姓名", "异动类别", "转入专业代码", "异动原因"]


@pytest.fixture
def class_a(school, major_a, term, kind_settings) -> list[Student]:
    """A class of 50 in-school students of college A."""
    return StudentFactory.create_batch(
        50, major=major_a, entry_date=datetime.date(2025, 9, 8), class_name="计科2501班"
    )


def change_list(staff, college, term, rows: list[list]) -> int:
    batch = batches.batch_create(actor=staff, kind=KIND, college=college, term=term, title="2025级转专业")
    errors = batches.batch_items_upload(
        actor=staff,
        batch_id=batch.pk,
        kind=KIND,
        parsed=parse_change_list(xlsx_bytes([HEADER, *rows]), "zy.xlsx"),
    )
    assert errors == []
    return batch.pk


def major_change_rows(students: list[Student], code: str) -> list[list]:
    return [[s.student_number, s.name, "转专业", code, "专业调整"] for s in students]


@pytest.mark.rule("ANN-4")
def test_a_class_of_fifty_changes_major_on_one_list_with_one_event_each(
    college_a_staff, registrar, college_a, term, class_a, other_major_a, clock
):
    batch_id = change_list(college_a_staff, college_a, term, major_change_rows(class_a, other_major_a.code))
    batches.batch_submit(actor=college_a_staff, batch_id=batch_id, kind=KIND)
    before = AuditEvent.objects.count()
    batches.batch_approve(actor=registrar, batch_id=batch_id, kind=KIND, document_number="校教〔2026〕30号")
    assert Student.objects.filter(pk__in=[s.pk for s in class_a], major=other_major_a).count() == 50
    assert AuditEvent.objects.filter(action="annual_registration.change.approve").count() == 50
    # 50 cases and the list itself: nothing else was written per student.
    assert AuditEvent.objects.count() - before == 51


def test_approving_a_list_of_fifty_takes_a_bounded_number_of_queries(
    college_a_staff, registrar, college_a, term, class_a, other_major_a, clock, django_assert_max_num_queries
):
    batch_id = change_list(college_a_staff, college_a, term, major_change_rows(class_a, other_major_a.code))
    batches.batch_submit(actor=college_a_staff, batch_id=batch_id, kind=KIND)
    with django_assert_max_num_queries(40):
        batches.batch_approve(
            actor=registrar, batch_id=batch_id, kind=KIND, document_number="校教〔2026〕30号"
        )


def test_every_listed_change_is_approved_with_the_lists_document_number_and_day(
    college_a_staff, registrar, college_a, term, class_a, other_major_a, clock
):
    batch_id = change_list(
        college_a_staff, college_a, term, major_change_rows(class_a[:3], other_major_a.code)
    )
    batches.batch_submit(actor=college_a_staff, batch_id=batch_id, kind=KIND)
    batches.batch_approve(actor=registrar, batch_id=batch_id, kind=KIND, document_number="校教〔2026〕30号")
    assert set(
        StatusChange.objects.filter(batch_id=batch_id).values_list(
            "state", "document_number", "decision_date"
        )
    ) == {(ChangeState.APPROVED, "校教〔2026〕30号", datetime.date(2026, 10, 12))}


def test_a_list_is_approved_only_with_a_document_number(
    college_a_staff, registrar, college_a, term, class_a, other_major_a, clock
):
    batch_id = change_list(
        college_a_staff, college_a, term, major_change_rows(class_a[:2], other_major_a.code)
    )
    batches.batch_submit(actor=college_a_staff, batch_id=batch_id, kind=KIND)
    with pytest.raises(DomainError, match="请填写文号"):
        batches.batch_approve(actor=registrar, batch_id=batch_id, kind=KIND)
    assert not Student.objects.filter(major=other_major_a).exists()


def test_a_list_reports_every_row_problem_at_once(
    college_a_staff, college_a, term, class_a, other_major_a, clock
):
    filed(college_a_staff, class_a[1], codes.StatusChangeKind.WITHDRAWAL)
    batch = batches.batch_create(actor=college_a_staff, kind=KIND, college=college_a, term=term)
    rows = [
        [class_a[0].student_number, "", "转专业", "999999", "专业调整"],
        [class_a[1].student_number, "", "转专业", other_major_a.code, "专业调整"],
        ["20259999", "", "转专业", other_major_a.code, "专业调整"],
    ]
    errors = batches.batch_items_upload(
        actor=college_a_staff,
        batch_id=batch.pk,
        kind=KIND,
        parsed=parse_change_list(xlsx_bytes([HEADER, *rows]), "zy.xlsx"),
    )
    assert [(e.row, e.column) for e in errors] == [(2, "转入专业代码"), (3, "异动类别"), (4, "学号")]
    assert "已有一项未办结的学籍异动" in errors[1].reason
    assert not StatusChange.objects.filter(batch=batch).exists()


def test_a_major_change_without_the_new_major_is_refused_on_the_list(
    college_a_staff, college_a, term, class_a, clock
):
    batch = batches.batch_create(actor=college_a_staff, kind=KIND, college=college_a, term=term)
    rows = [[class_a[0].student_number, "", "转专业", "", "专业调整"]]
    errors = batches.batch_items_upload(
        actor=college_a_staff,
        batch_id=batch.pk,
        kind=KIND,
        parsed=parse_change_list(xlsx_bytes([HEADER, *rows]), "zy.xlsx"),
    )
    assert [e.reason for e in errors] == ["请填写转专业后的院系、专业、年级、预计毕业日期、学制"]
