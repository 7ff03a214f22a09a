"""The set-based transition engine (registrar.transitions) on two models, and the declarations as its only table."""

from __future__ import annotations

import datetime
import inspect
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_fsm.signals import post_transition

from audit.models import AuditEvent
from enrollment.models import AdmissionRecord, AdmissionState, CorrectionRequest
from enrollment.services.transitions import Step, admission_apply_steps, lock_records
from registrar import codes
from registrar.batches import batch_actions, batch_create
from registrar.models import Batch, Student
from registrar.services import (
    STUDENT_STATUS,
    DomainError,
    student_change_status,
    student_change_status_many,
)
from registrar.transitions import Hook, Machine, Move, apply_moves, declared, lock_rows, user_actions
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

S = codes.StudentStatus


@pytest.fixture
def three_students(major_a):
    return [StudentFactory(major=major_a) for _ in range(3)]


def updates_of(queries, model) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith(f"UPDATE {model._meta.db_table}")]


@pytest.mark.rule("ANN-4")
def test_the_engine_suspends_three_students_in_bulk_with_one_update(registrar, three_students):
    with CaptureQueriesContext(connection) as queries:
        moved = student_change_status_many(
            actor=registrar,
            student_ids=[s.pk for s in three_students],
            transition="suspend",
            reason="病休",
            document_number="校学籍〔2026〕7号",
        )
    assert moved == 3 and len(updates_of(queries, Student)) == 1
    assert set(Student.objects.values_list("student_status", flat=True)) == {S.SUSPENDED}


@pytest.mark.rule("SEC-3")
def test_each_moved_row_gets_one_audit_event_with_its_college_and_student(registrar, three_students):
    student_change_status_many(
        actor=registrar, student_ids=[s.pk for s in three_students], transition="suspend", reason="病休"
    )
    events = AuditEvent.objects.filter(action="registrar.student.suspend").order_by("student_id")
    assert [(e.student_id, e.college_id, e.reason) for e in events] == [
        (s.pk, s.college_id, "病休") for s in three_students
    ]
    assert events[0].before == {"student_status": "in_school"} and events[0].after == {
        "student_status": "suspended"
    }


@pytest.mark.rule("ENR-4")
def test_rows_are_grouped_by_source_transition_and_arguments_and_probed_once_per_group(registrar, freshmen_a):
    fired = []

    def count(sender, name, **kwargs):
        fired.append(name)

    later, latest = datetime.date(2027, 9, 1), datetime.date(2028, 9, 1)
    post_transition.connect(count, sender=AdmissionRecord)
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            rows = lock_records([r.pk for r in freshmen_a])
            a, b, c, d, e = (rows[r.pk] for r in freshmen_a)
            admission_apply_steps(
                actor=registrar,
                steps=[
                    Step(a, "forfeit", reason="放弃"),
                    Step(b, "forfeit", reason="放弃"),
                    Step(c, "defer", reason="参军", deferral_end=later),
                    Step(d, "defer", reason="参军", deferral_end=later),
                    Step(e, "defer", reason="参军", deferral_end=latest),
                ],
            )
    finally:
        post_transition.disconnect(count, sender=AdmissionRecord)
    assert sorted(fired) == ["defer", "defer", "forfeit"] and len(updates_of(queries, AdmissionRecord)) == 3
    assert list(AdmissionRecord.objects.order_by("exam_number").values_list("deferral_end", flat=True)) == [
        None,
        None,
        later,
        later,
        latest,
    ]


@pytest.mark.rule("ANN-4")
def test_a_row_that_moved_meanwhile_fails_the_whole_call_and_nothing_is_written(registrar, three_students):
    ids = [s.pk for s in three_students]
    with transaction.atomic():
        rows = lock_rows(STUDENT_STATUS, ids)
        # Another decision moves one of them after they were read (the same transaction stands in for it).
        student_change_status(actor=registrar, student_id=ids[0], transition="suspend", reason="病休")
        with pytest.raises(DomainError, match="已被他人变更"), transaction.atomic():
            apply_moves(
                STUDENT_STATUS, [Move(rows[pk], "retain", reason="参军") for pk in ids], actor=registrar
            )
    assert list(Student.objects.order_by("pk").values_list("student_status", flat=True)) == [
        S.SUSPENDED,
        S.IN_SCHOOL,
        S.IN_SCHOOL,
    ]
    assert not AuditEvent.objects.filter(action="registrar.student.retain").exists()


@pytest.mark.rule("ANN-4")
def test_a_transition_the_declaration_refuses_names_the_row_in_chinese_and_writes_nothing(
    registrar, three_students
):
    first = three_students[0]
    with pytest.raises(DomainError) as refused:
        student_change_status_many(
            actor=registrar, student_ids=[s.pk for s in three_students], transition="resume", reason="复学"
        )
    assert str(refused.value) == f"{first.name}（{first.student_number}）当前为“在籍”，不能复学"
    assert not AuditEvent.objects.filter(action="registrar.student.resume").exists()


@pytest.mark.rule("SEC-1")
def test_the_engine_checks_the_declared_permission(college_a_staff, three_students):
    with pytest.raises(PermissionDenied), transaction.atomic():
        rows = lock_rows(STUDENT_STATUS, [s.pk for s in three_students])
        apply_moves(STUDENT_STATUS, [Move(row, "suspend") for row in rows.values()], actor=college_a_staff)
    assert set(Student.objects.values_list("student_status", flat=True)) == {S.IN_SCHOOL}


class ClassOnLeave(Hook):
    """A hook of a test app: a column of each row, a note in the audit trail, and a side effect."""

    def __init__(self) -> None:
        self.finished: list[int] = []

    def prepare(self, moves, *, actor) -> None:
        for move in moves:
            move.row.class_name = f"休学班{move.row.pk}"

    def row_columns(self, source: str, target: str) -> tuple[str, ...]:
        return ("class_name",)

    def event_after(self, row, after: dict) -> dict:
        return {**after, "class_name": row.class_name}

    def finish(self, moves, *, actor) -> None:
        self.finished.extend(move.row.pk for move in moves)


@pytest.mark.rule("ANN-4")
def test_a_hook_adds_its_own_columns_to_the_same_update_and_its_side_effects(registrar, three_students):
    hook = ClassOnLeave()
    machine = Machine(
        model=Student,
        field="student_status",
        columns=("college_id", "class_name"),
        student="pk",
        action_prefix="test.leave",
        hook=hook,
    )
    ids = [s.pk for s in three_students]
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        rows = lock_rows(machine, ids)
        apply_moves(machine, [Move(rows[pk], "suspend") for pk in ids], actor=registrar)
    assert len(updates_of(queries, Student)) == 1 and hook.finished == ids
    assert list(Student.objects.order_by("pk").values_list("class_name", flat=True)) == [
        f"休学班{pk}" for pk in ids
    ]
    assert AuditEvent.objects.filter(
        action="test.leave.suspend", after__class_name=f"休学班{ids[0]}"
    ).exists()


@pytest.mark.rule("SEC-1")
def test_batch_buttons_come_from_the_declared_permissions(
    college_a_staff, college_b_staff, registrar, college_a, term
):
    batch = batch_create(actor=college_a_staff, kind="freshman_review", college=college_a, term=term)
    assert [name for name, _ in batch_actions(user=college_a_staff, batch=batch)] == ["submit"]
    assert [name for name, _ in batch_actions(user=registrar, batch=batch)] == ["submit"]
    assert batch_actions(user=college_b_staff, batch=batch) == []


@pytest.mark.rule("SEC-1")
def test_college_staff_are_not_offered_approval_the_registrar_is(registrar, submitted_list):
    batch = Batch.objects.get(pk=submitted_list.pk)
    assert batch_actions(user=batch.created_by, batch=batch) == []
    assert sorted(name for name, _ in batch_actions(user=registrar, batch=batch)) == ["approve", "send_back"]


@pytest.mark.rule("SEC-1")
def test_record_decisions_are_offered_to_the_registrar_only(college_a_staff, registrar, freshmen_a):
    record = freshmen_a[0]
    assert user_actions(college_a_staff, record, decision="record") == []
    offered = [name for name, _ in user_actions(registrar, record, decision="record")]
    assert sorted(offered) == ["admit", "cancel", "defer", "forfeit"]


def test_every_declared_transition_has_a_permission_a_label_and_the_uniform_arguments():
    found = [
        *declared(AdmissionRecord),
        *declared(Student, "student_status"),
        *declared(Batch),
        *declared(CorrectionRequest),
    ]
    assert all(t.permission and t.custom.get("label") for t in found)
    kinds = {tuple(p.kind for p in inspect.signature(t.method).parameters.values()) for t in found}
    assert kinds == {(inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.VAR_KEYWORD)}


def test_the_engine_uses_no_private_part_of_django_fsm():
    for module in ("registrar/transitions.py", "enrollment/services/transitions.py"):
        source = (Path(__file__).parents[2] / module).read_text()
        assert "__wrapped__" not in source and "._django_fsm" not in source


def test_registration_on_the_engine_links_each_student_in_the_same_update(registrar, freshmen_a):
    with transaction.atomic():
        rows = lock_records([r.pk for r in freshmen_a])
        admission_apply_steps(
            actor=registrar, steps=[Step(rows[r.pk], "register", reason="注册") for r in freshmen_a]
        )
    records = AdmissionRecord.objects.filter(pk__in=[r.pk for r in freshmen_a])
    assert {r.state for r in records} == {AdmissionState.REGISTERED}
    assert all(r.student_id for r in records)
