"""Recorded keys that are no plain field read as names (issue 10, items 4 and 7): no codes on a student's page."""

import pytest

from audit.selectors import student_history
from audit.services import audit_record
from deadlines.models import DeadlineRule, DeadlineViolation

pytestmark = pytest.mark.django_db


@pytest.mark.rule("QRY-1")
def test_a_fee_update_reads_as_its_name_on_the_students_history(student_a, student_a_record, registrar):
    audit_record(
        actor=registrar,
        action="annual_registration.fee.update",
        subject=student_a_record,
        before={"fee_status": None, "academic_year": 2026},
        after={"fee_status": "unpaid", "academic_year": 2026},
        student_id=student_a_record.pk,
    )
    [entry] = [e for e in student_history(student_a, student_a_record.pk) if e.action.endswith("fee.update")]
    assert [(c.field, c.before, c.after) for c in entry.changes] == [("缴费情况", "—", "未缴费")]


@pytest.mark.rule("QRY-1")
def test_a_violations_rule_and_subject_read_as_names(student_a, student_a_record):
    rule = DeadlineRule.objects.filter(code="annual_registration").first()
    assert rule is not None, "the seeded national rules"
    audit_record(
        actor=None,
        action="deadline.violation.open",
        subject=(DeadlineViolation._meta.label_lower, 7),
        after={"rule": rule.code, "subject": "registrar.student:42", "days_late": 3},
        student_id=student_a_record.pk,
    )
    [entry] = [
        e for e in student_history(student_a, student_a_record.pk) if e.action == "deadline.violation.open"
    ]
    changes = {c.field: c.after for c in entry.changes}
    assert changes["时限规则"] == rule.name and changes["对象"] == "学生#42"
    assert "annual_registration" not in str(changes) and "registrar.student" not in str(changes)
