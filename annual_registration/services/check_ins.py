"""学期报到注册 (ANN-13, SH二(二)1): the registrar opens a term's check-in, colleges record who came and who is on leave.

Only a school that asks for it (``term_check_in_required``). Opening is
INSERT … SELECT of every in-school student, a window at a time, idempotent; recording moves many rows
at once through the core's transition engine, one audit event per row. Every
refusal is in Chinese and writes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annual_registration.models import CheckInState, TermCheckIn
from annual_registration.models.check_ins import term_check_in_required
from audit.services import EventSet, audit_record, audit_record_set
from registrar import codes
from registrar.errors import DomainError
from registrar.inputs import clean_text
from registrar.models import School, Student, Term, User
from registrar.roles import can_write, is_registrar
from registrar.sql import advisory_lock, analyze
from registrar.transitions import Machine, Move, apply_moves, lock_rows

# One opening of a term's check-in at a time (with the term's id as the second key).
OPEN_LOCK_KEY = 0xA22A13
# Students per INSERT … SELECT, as the annual roll (services.roll): two windows' rows and events are held at once.
WINDOW = 5000
ANALYZE_AFTER = 1000

CHECK_INS = Machine(
    model=TermCheckIn,
    field="state",
    columns=("student_id", "college_id", "term_id"),
    describe=lambda row: _("学生%(id)s的报到注册") % {"id": row.student_id},
    action_prefix="annual_registration.check_in",
    quiet=("state_changed_at",),
    conflict=gettext_lazy("部分报到记录已被他人处理，请刷新后重试"),
)


def _school_requires_check_in() -> None:
    if not term_check_in_required(School.current()):
        raise DomainError(_("本校未实行学期报到注册（可在学校设置中开启）"))


def _term_under_way(term: Term) -> None:
    if term.end_date is not None and term.end_date < timezone.localdate():
        raise DomainError(_("%(term)s已结束，不能再办理报到注册") % {"term": term})


@transaction.atomic
def term_check_in_open(*, actor: User, term: Term) -> int:
    """开启学期报到注册 (ANN-13): one 待报到 row per in-school student of the term; how many were added.

    The registrar's. Idempotent: a second run adds only students missing (one readmitted since).
    """
    if not is_registrar(actor):
        raise PermissionDenied(_("只有教务处可以开启学期报到注册"))
    _school_requires_check_in()
    _term_under_way(term)
    advisory_lock(OPEN_LOCK_KEY, term.pk)
    after = {"state": CheckInState.PENDING.value, "term": str(term)}
    added = audit_record_set(
        EventSet(
            action="annual_registration.check_in.open",
            subject_type=TermCheckIn._meta.label_lower,
            actor=actor,
        ),
        (
            [(pk, student_id, college_id, after) for pk, student_id, college_id in rows]
            for rows in _insert(term)
        ),
    )
    if added > ANALYZE_AFTER:
        analyze(TermCheckIn)
    audit_record(
        actor=actor, action="annual_registration.check_in_roll.open", subject=term, after={"added": added}
    )
    return added


def _insert(term: Term) -> Iterator[list[tuple[int, int, int]]]:
    """INSERT … SELECT … ON CONFLICT DO NOTHING of the in-school students who entered by the term's start and
    are not expected to have graduated before it, one window of student ids at a time (memory stays flat,
    and each window's events are hashed while the next is inserted); yields (id, student, college) added."""
    table, student = TermCheckIn._meta.db_table, Student._meta.db_table
    eligible = f"""
        FROM {student} s
        WHERE s.student_status = %s
          AND s.entry_date <= %s
          AND (s.expected_graduation_date IS NULL OR s.expected_graduation_date >= %s)
    """
    criteria = [codes.StudentStatus.IN_SCHOOL.value, term.start_date, term.start_date]
    insert = f"""
        INSERT INTO {table} (student_id, term_id, college_id, state, leave_reason, created_at)
        SELECT s.id, %s, s.college_id, %s, '', %s
        {eligible} AND s.id >= %s AND s.id < %s
        ORDER BY s.id
        ON CONFLICT (student_id, term_id) DO NOTHING
        RETURNING id, student_id, college_id
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(s.id), MAX(s.id) {eligible}", criteria)
        low, high = cursor.fetchone()
        if low is None:
            return
        head = [term.pk, CheckInState.PENDING.value, timezone.now()]
        for window in range(low, high + 1, WINDOW):
            cursor.execute(insert, [*head, *criteria, window, window + WINDOW])
            yield cursor.fetchall()


def _rows(actor: User, term_id: int, student_ids: Sequence[int]) -> tuple[Term, list[int]]:
    """The term, and the ids of these students' check-ins that the actor may touch; refused otherwise."""
    if not can_write(actor):
        raise PermissionDenied(_("无权办理报到注册"))
    _school_requires_check_in()
    term = Term.objects.filter(pk=term_id).first()
    if term is None:
        raise DomainError(_("没有这个学期"))
    _term_under_way(term)
    if not TermCheckIn.objects.filter(term=term).exists():
        raise DomainError(_("%(term)s的报到注册尚未开启，请先由教务处开启") % {"term": term})
    wanted = set(student_ids)
    if not wanted:
        raise DomainError(_("请选择学生"))
    found = dict(
        TermCheckIn.objects.for_user(actor)
        .filter(term=term, student_id__in=wanted)
        .values_list("student_id", "pk")
    )
    missing = sorted(wanted - set(found))
    if missing:
        raise DomainError(
            _("以下学生不在%(term)s的报到名册中，或不属于你所在的学院：%(ids)s")
            % {"term": term, "ids": "、".join(str(i) for i in missing)}
        )
    return term, sorted(found.values())


@transaction.atomic
def check_ins_record(
    *, actor: User, term_id: int, student_ids: Sequence[int], on: datetime.date | None = None
) -> int:
    """已报到 (ANN-13): the college records many of its students at once; one audit event each.

    ``on`` is the day they checked in (today by default; not in the future). A student
    already checked in, or another college's, refuses the whole call.
    """
    if on is not None and on > timezone.localdate():
        raise DomainError(_("报到日期不能晚于今天"))
    _term, ids = _rows(actor, term_id, student_ids)
    rows = lock_rows(CHECK_INS, ids)
    apply_moves(CHECK_INS, [Move(rows[pk], "check_in", date=on) for pk in ids], actor=actor)
    return len(ids)


@transaction.atomic
def check_in_leave(
    *, actor: User, term_id: int, student_id: int, reason: str, until: datetime.date | None
) -> TermCheckIn:
    """请假 (ANN-13): a student who cannot check in on time; the reason and the last day of leave are required."""
    reason = clean_text(reason, _("请假事由"), 200)
    if until is None:
        raise DomainError(_("请填写请假截止日期"))
    term, ids = _rows(actor, term_id, [student_id])
    if until < term.start_date:
        raise DomainError(
            _("请假截止日期不能早于开学日期（%(start)s）") % {"start": f"{term.start_date:%Y-%m-%d}"}
        )
    if term.end_date is not None and until > term.end_date:
        raise DomainError(
            _("请假截止日期不能晚于学期结束日期（%(end)s）") % {"end": f"{term.end_date:%Y-%m-%d}"}
        )
    check_in = lock_rows(CHECK_INS, ids, full=True)[ids[0]]
    apply_moves(CHECK_INS, [Move(check_in, "take_leave", reason=reason, date=until)], actor=actor)
    return check_in
