"""Writes to the core domain. Each runs in one transaction and records its audit event."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from audit.services import audit_record
from registrar.errors import DomainError
from registrar.models import College, Student, User
from registrar.roles import STAFF_ROLES, Role, is_registrar
from registrar.transitions import (
    Machine,
    Move,
    apply_moves,
    declared_names,
    lock_rows,
    may_fire,
    transition_label,
)


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The instance's field values, as an audit event's before/after."""
    data = model_to_dict(instance, fields=list(fields) if fields is not None else None)
    return {key: (str(value) if isinstance(value, models.Model) else value) for key, value in data.items()}


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    role: str,
    colleges: Iterable[College] = (),
    student: Student | None = None,
    full_name: str = "",
    email: str = "",
) -> User:
    """Create an account with one role; staff roles may sign in to the staff pages (SEC-1).

    ``password`` None: no usable password yet (a new student's account, until one is issued).
    """
    if role == Role.STUDENT and student is None:
        raise DomainError(_("学生账号必须关联学生"))
    if role == Role.COLLEGE_STAFF and not list(colleges):
        raise DomainError(_("二级学院学籍员账号必须关联至少一个院系"))
    user = User(
        username=username,
        role=role,
        student=student,
        first_name=full_name,
        email=email,
        is_staff=role in STAFF_ROLES,
        is_superuser=role == Role.ADMIN,
    )
    user.set_password(password)
    user.save()
    if role == Role.COLLEGE_STAFF:
        user.colleges.set(colleges)
    audit_record(
        actor=actor,
        action="registrar.user.create",
        subject=user,
        after={"username": username, "role": role, "colleges": [c.pk for c in user.colleges.all()]},
        student_id=student.pk if student else None,
    )
    return user


@transaction.atomic
def user_set_credentials(
    *, actor: User | None, user_id: int, password: str, username: str | None = None
) -> User:
    """Set an account's password (and, for the demo or a renamed login, its username); never logs the password."""
    user = User.objects.select_for_update().get(pk=user_id)
    before = {"username": user.username}
    if username:
        user.username = username
    user.set_password(password)
    user.save(update_fields=["username", "password"])
    audit_record(
        actor=actor,
        action="registrar.user.set_credentials",
        subject=user,
        before=before,
        after={"username": user.username, "password": "（已重设）"},
        student_id=user.student_id,
    )
    return user


@transaction.atomic
def reference_save(*, actor: User, instance: models.Model, changed: Iterable[str] = ()) -> models.Model:
    """Save reference data (school, colleges, majors, terms, calendar) entered by the registrar."""
    if not is_registrar(actor):
        raise PermissionDenied(_("只有教务处可以维护基础数据"))
    creating = instance.pk is None
    before = {}
    if not creating:
        before = snapshot(type(instance).objects.get(pk=instance.pk), changed or None)
    instance.save()
    audit_record(
        actor=actor,
        action=f"{instance._meta.label_lower}.{'create' if creating else 'update'}",
        subject=instance,
        before=before,
        after=snapshot(instance, None if creating else (changed or None)),
    )
    return instance


@transaction.atomic
def reference_delete(*, actor: User, instance: models.Model) -> None:
    """Delete reference data that nothing refers to; the database refuses otherwise."""
    if not is_registrar(actor):
        raise PermissionDenied(_("只有教务处可以维护基础数据"))
    audit_record(
        actor=actor,
        action=f"{instance._meta.label_lower}.delete",
        subject=instance,
        before=snapshot(instance),
    )
    instance.delete()


# 学籍状态 as the set-based engine moves it; the declarations on ``Student`` are its only table.
STUDENT_STATUS = Machine(
    model=Student,
    field="student_status",
    columns=("name", "student_number", "exam_number", "college_id"),
    describe=lambda s: f"{s.name}（{s.student_number or s.exam_number}）",
    college="college_id",
    student="pk",
    action_prefix="registrar.student",
    conflict=gettext_lazy("部分学生的学籍状态已被他人变更，请刷新后重试"),
)


def _status_transition(actor: User | None, transition: str) -> str:
    """The declared 学籍状态 transition ``transition`` that ``actor`` may fire; its label."""
    if transition not in declared_names(Student, "student_status"):
        raise DomainError(_("未知的学籍状态变更：%(transition)s") % {"transition": transition})
    if actor is not None and not may_fire(actor, Student(), transition, "student_status"):
        raise PermissionDenied(_("只有教务处可以变更学籍状态"))
    return transition_label(Student, transition, "student_status")


@transaction.atomic
def student_change_status(
    *,
    actor: User | None,
    student_id: int,
    transition: str,
    reason: str,
    document_number: str = "",
    action: str | None = None,
) -> Student:
    """学籍状态变更: move a student's status by one declared transition, with reason and 文号."""
    label = _status_transition(actor, transition)
    student = lock_rows(STUDENT_STATUS, [student_id], full=True).get(student_id)
    if student is None:
        raise Student.DoesNotExist
    if not can_proceed(getattr(student, transition)):
        raise DomainError(
            _("%(name)s当前学籍状态为“%(status)s”，不能办理%(action)s")
            % {"name": student.name, "status": student.get_student_status_display(), "action": label}
        )
    apply_moves(
        STUDENT_STATUS,
        [Move(student, transition, reason=reason)],
        actor=actor,
        document_number=document_number,
        action=action,
    )
    return student


@transaction.atomic
def student_change_status_many(
    *,
    actor: User | None,
    student_ids: Iterable[int],
    transition: str,
    reason: str,
    document_number: str = "",
    date: datetime.date | None = None,
    action: str | None = None,
) -> int:
    """学籍状态变更（批量）: e.g. an approved status-change list; set-based, one audit event per student.

    Any student the declaration does not let ``transition`` leave its status
    refuses the whole call, named in the message; returns how many moved.
    """
    _status_transition(actor, transition)
    rows = lock_rows(STUDENT_STATUS, student_ids)
    moves = [Move(rows[pk], transition, reason=reason, date=date) for pk in sorted(rows)]
    apply_moves(STUDENT_STATUS, moves, actor=actor, document_number=document_number, action=action)
    return len(moves)


# What a student created outside freshman registration is given: identity and placement (the status starts 在籍).
STUDENT_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_type",
    "id_number",
    "exam_number",
    "student_number",
    "political_status",
    "college_id",
    "major_id",
    "level",
    "program_years",
    "study_mode",
    "admission_type",
    "entry_date",
    "expected_graduation_date",
    "grade_year",
)


@transaction.atomic
def student_create(
    *, actor: User | None, values: dict[str, Any], reason: str, document_number: str = ""
) -> Student:
    """学籍建立 outside freshman registration, e.g. a student transferring in (转学（转入）, ANN-4).

    The student starts 在籍, with the first row of their history (the values every
    later change keeps readable, N19), an account named by the 学号 with no usable
    password yet, and one audit event. Another active 学籍 under the same id number,
    or a 学号 already used, refuses it (ENR-6). Only the registrar office decides it.
    """
    if actor is not None and not is_registrar(actor):
        raise PermissionDenied(_("只有教务处可以建立学籍"))
    unknown = set(values) - set(STUDENT_FIELDS)
    if unknown:
        raise ValueError(f"not fields of a new student: {sorted(unknown)}")
    student = Student(**values)
    student._change_reason = reason[:100]
    student._history_user = actor
    try:
        with transaction.atomic():
            student.save()
            user_create(
                actor=actor,
                username=student.student_number,
                password=None,
                role=Role.STUDENT,
                student=student,
                full_name=student.name,
            )
    except IntegrityError as exc:
        raise DomainError(
            _("证件号码已有在籍学籍，或学号%(number)s已被使用，不能建立学籍（ENR-6）")
            % {"number": student.student_number}
        ) from exc
    audit_record(
        actor=actor,
        action="registrar.student.create",
        subject=student,
        after=snapshot(student, [name.removesuffix("_id") for name in STUDENT_FIELDS]),
        reason=reason,
        document_number=document_number,
    )
    return student


# Placement (院系, 专业, 年级, 学制, 预计毕业日期): what a status change may move, by ``Student`` attribute.
PLACEMENT_ATTRIBUTES = ("college_id", "major_id", "grade_year", "expected_graduation_date", "program_years")


def student_place_many(
    *, actor: User | None, placements: dict[int, dict[str, Any]], reason: str
) -> list[Student]:
    """学籍信息调整（院系、专业、年级、学制、预计毕业日期）: set-based, every previous value kept (N19).

    ``placements`` maps a student id to the attributes it gets (``PLACEMENT_ATTRIBUTES``).
    Runs inside the caller's transaction, which records the audit event of the
    decision it applies (a status change's approval carries before and after).
    A student without a history row gets one of its current values first, so
    that the value before stays readable; then one UPDATE per field and one
    history row per student, ``reason`` as its change reason.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("student_place_many must run inside the decision's transaction")
    unknown = {name for values in placements.values() for name in values} - set(PLACEMENT_ATTRIBUTES)
    if unknown:
        raise ValueError(f"not placement attributes: {sorted(unknown)}")
    students = list(Student.objects.select_for_update().filter(pk__in=list(placements)).order_by("pk"))
    with_history = set(
        Student.history.filter(id__in=[s.pk for s in students]).values_list("id", flat=True).distinct()
    )
    first = [s for s in students if s.pk not in with_history]
    if first:
        Student.history.bulk_history_create(first, default_user=actor, default_change_reason="初始记录")
    fields: set[str] = set()
    for student in students:
        for name, value in placements[student.pk].items():
            setattr(student, name, value)
            fields.add(name)
    if fields:
        Student.objects.bulk_update(students, sorted(fields), batch_size=2000)
        Student.history.bulk_history_create(
            students, update=True, default_user=actor, default_change_reason=reason[:100]
        )
    return students
