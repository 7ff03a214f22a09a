"""学历证书: drafted and pre-checked (预审) set-based, then registered with their numbers (DIP-1 to DIP-6, DIP-10).

Every move runs on the core's engine (``registrar.transitions``): the rows are
locked in primary-key order, one conditional UPDATE per group, one audit event
per certificate. The certificate's fields are copied from the student when it
is pre-checked, so that what registration freezes is what the pre-check saw.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diploma.models import (
    CERTIFIED_OUTCOMES,
    Certificate,
    CertificateKind,
    CertificateState,
    ExpectedGraduate,
    GraduationOutcome,
)
from diploma.precheck import graduates_checked
from diploma.services.numbers import NumberOrder, certificate_number, sequence_take
from registrar import codes
from registrar.errors import DomainError
from registrar.models import Major, School, Student, User
from registrar.roles import is_registrar
from registrar.services import STUDENT_STATUS
from registrar.sql import analyze, collector_paused, id_in
from registrar.transitions import Hook, Machine, Move, apply_moves, lock_rows


class CertificateHook(Hook):
    """Registration writes each row's own number, sequence and 发证日期 with its state (DIP-5)."""

    def row_columns(self, source: str, target: str) -> tuple[str, ...]:
        if target == CertificateState.REGISTERED:
            return ("certificate_number", "sequence", "issued_on")
        return ()

    def event_after(self, row: Any, after: dict[str, Any]) -> dict[str, Any]:
        if after.get("state") == CertificateState.REGISTERED:
            return {
                **after,
                "certificate_number": row.certificate_number,
                "issued_on": row.issued_on.isoformat(),
                "kind": row.kind,
            }
        return after


CERTIFICATES = Machine(
    model=Certificate,
    field="state",
    columns=(
        "student_id",
        "college_id",
        "graduate_id",
        "kind",
        "name",
        "student_number",
        "school_id",
        "school_type",
        "graduation_year",
        "graduation_date",
        "level",
        "certificate_number",
        "sequence",
        "issued_on",
    ),
    describe=lambda row: (
        _("%(name)s（%(number)s）的学历证书") % {"name": row.name, "number": row.student_number}
    ),
    action_prefix="diploma.certificate",
    quiet=("prechecked_at", "registered_at", "registered_by_id", "superseded_at"),
    conflict=gettext_lazy("部分学历证书已被他人处理，请刷新后重试"),
    hook=CertificateHook(),
)

# The kind of certificate each outcome gets (DIP-1).
KIND_OF_OUTCOME = {
    GraduationOutcome.GRADUATED: CertificateKind.GRADUATION,
    GraduationOutcome.COMPLETED: CertificateKind.COMPLETION,
}
OPEN_STATES = (CertificateState.DRAFT, CertificateState.PRECHECKED)


def among(queryset: QuerySet, ids: Sequence[int], column: str = "id") -> QuerySet:
    """``queryset`` limited to rows whose ``column`` is one of ``ids``: one array parameter on PostgreSQL.

    ``pk__in`` of a Python list costs Django a resolve per element (0.2 s for 10,000 ids).
    """
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    where, params = id_in(list(ids))
    return queryset.extra(where=[f"{table}.{connection.ops.quote_name(column)} {where}"], params=params)


def registrar_only(actor: User, what: str) -> None:
    """Diploma registration is the registrar office's (SEC-1)."""
    if not is_registrar(actor):
        raise PermissionDenied(_("只有教务处可以%(what)s") % {"what": what})


def current_school() -> School:
    school = School.current()
    if school is None:
        raise DomainError(_("请先登记学校信息（学校代码）"))
    return school


# ---------------------------------------------------------------- the certificate's fields, from the student

# Certificate column → the SQL that gives it, from the graduate (g), student (s) and major (m).
SNAPSHOT = {
    "student_id": "s.id",
    "college_id": "s.college_id",
    "major_id": "s.major_id",
    "name": "s.name",
    "gender": "s.gender",
    "birth_date": "s.birth_date",
    "ethnicity": "s.ethnicity",
    "political_status": "s.political_status",
    "id_type": "s.id_type",
    "id_number": "s.id_number",
    "exam_number": "s.exam_number",
    "student_number": "COALESCE(s.student_number, '')",
    "major_code": "m.code",
    "major_name": "m.name",
    "level": "s.level",
    "program_years": "s.program_years",
    "study_mode": "s.study_mode",
    "entry_date": "s.entry_date",
    "graduation_date": "g.graduation_date",
    "graduation_year": "g.graduation_year",
    "kind": "CASE g.outcome WHEN 'graduated' THEN 'graduation' ELSE 'completion' END",
}
# … and from the school, the same for every row.
SCHOOL_COLUMNS = ("school_id", "school_name", "president_name", "school_type")


def _school_values(school: School) -> list[Any]:
    return [school.pk, school.name, school.president_name, school.school_type]


def _tables() -> dict[str, str]:
    return {
        "c": Certificate._meta.db_table,
        "g": ExpectedGraduate._meta.db_table,
        "s": Student._meta.db_table,
        "m": Major._meta.db_table,
    }


def _draft_missing(graduate_ids: Sequence[int], school: School) -> int:
    """INSERT … SELECT a draft for each graduate with 毕业 or 结业 and no certificate yet (open or registered)."""
    t = _tables()
    where, params = id_in(graduate_ids)
    columns = [*SNAPSHOT, *SCHOOL_COLUMNS, "graduate_id", "state", "version", "certificate_number"]
    columns += ["revocation_reason", "revocation_document_number", "created_at"]
    selects = [*SNAPSHOT.values(), "%s", "%s", "%s", "%s", "g.id", "'draft'", "1", "''", "''", "''", "%s"]
    sql = (
        f"INSERT INTO {t['c']} ({', '.join(columns)}) SELECT {', '.join(selects)} "
        f"FROM {t['g']} g JOIN {t['s']} s ON s.id = g.student_id JOIN {t['m']} m ON m.id = s.major_id "
        f"WHERE g.id {where} AND g.outcome IN ('graduated', 'completed') AND NOT EXISTS ("
        f"SELECT 1 FROM {t['c']} c WHERE c.graduate_id = g.id AND c.state IN ('draft', 'prechecked', 'registered'))"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_school_values(school), timezone.now(), *params])
        return cursor.rowcount


def _refresh_drafts(certificate_ids: Sequence[int], school: School) -> None:
    """Copy the student's current data into drafts about to be pre-checked (one UPDATE … FROM)."""
    if not certificate_ids:
        return
    t = _tables()
    where, params = id_in(certificate_ids)
    sets = ", ".join(f"{column} = {value}" for column, value in SNAPSHOT.items())
    school_sets = ", ".join(f"{column} = %s" for column in SCHOOL_COLUMNS)
    sql = (
        f"UPDATE {t['c']} SET {sets}, {school_sets} FROM {t['g']} g, {t['s']} s, {t['m']} m "
        f"WHERE g.id = {t['c']}.graduate_id AND s.id = g.student_id AND m.id = s.major_id "
        f"AND {t['c']}.state = 'draft' AND {t['c']}.id {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_school_values(school), *params])


# ---------------------------------------------------------------- pre-check


def _uncertified(graduates: Iterable[ExpectedGraduate]) -> list[str]:
    return [
        _("%(name)s：毕(结)业结论为“%(outcome)s”，不注册学历证书")
        % {"name": g.student.name, "outcome": g.get_outcome_display()}
        for g in graduates
        if g.outcome not in CERTIFIED_OUTCOMES
    ]


def _not_passed(graduate_ids: Sequence[int]) -> list[str]:
    """The graduates the pre-check report would not pass (DIP-10), each named with its problems' labels."""
    return [
        _("%(name)s（%(number)s）未通过预审：%(problems)s")
        % {
            "name": check.name,
            "number": check.student_number,
            "problems": "、".join(dict.fromkeys(problem.label for problem in check.problems)),
        }
        for check in graduates_checked(graduate_ids)
        if not check.passed
    ]


@collector_paused()
@transaction.atomic
def certificates_precheck(actor: User, graduate_ids: Iterable[int]) -> int:
    """预审通过 (DIP-10): draft the missing certificates of these graduates and move every draft to prechecked.

    Only graduates the pre-check report passes: a graduate whose outcome is not
    毕业 or 结业 refuses the whole call (DIP-1), and so does one with any problem
    the report finds (DIP-10: the report's own statement, restricted to these
    graduates), before anything is written. One whose certificate is already
    pre-checked is left as it is. Set-based: one INSERT … SELECT, one UPDATE …
    FROM, then the engine's moves, one audit event per certificate. Returns how
    many certificates were pre-checked.
    """
    registrar_only(actor, _("预审学历证书"))
    ids = sorted(set(graduate_ids))
    if not ids:
        return 0
    graduates = among(ExpectedGraduate.objects.for_user(actor), ids)
    if graduates.count() != len(ids):
        raise ExpectedGraduate.DoesNotExist(_("预计毕业生不存在"))
    refused = _uncertified(graduates.exclude(outcome__in=CERTIFIED_OUTCOMES).select_related("student"))
    if refused:
        raise DomainError("；".join(refused[:20]))
    school = current_school()
    refused = _not_passed(ids)
    if refused:
        raise DomainError("；".join(refused[:20]) + ("……" if len(refused) > 20 else ""))
    waiting = list(
        among(Certificate.objects.filter(state=CertificateState.DRAFT), ids, "graduate_id").values_list(
            "pk", flat=True
        )
    )
    created = _draft_missing(ids, school)
    # Drafts made before now take the student's data again; the new ones were just copied from it.
    _refresh_drafts(waiting, school)
    drafts = among(Certificate.objects.filter(state=CertificateState.DRAFT), ids, "graduate_id")
    rows = lock_rows(CERTIFICATES, drafts.values_list("pk", flat=True))
    moved = apply_moves(CERTIFICATES, [Move(rows[pk], "precheck") for pk in sorted(rows)], actor=actor)
    if created > 1000:
        analyze(Certificate)
    return len(moved)


# ---------------------------------------------------------------- registration


def _order_keys(ids: Sequence[int], order: str) -> dict[int, tuple]:
    """Each certificate's place in the numbering order (college, major, 学号)."""
    fields = {
        NumberOrder.COLLEGE: ("college__code", "major_code", "student_number"),
        NumberOrder.MAJOR: ("major_code", "student_number"),
        NumberOrder.STUDENT_NUMBER: ("student_number",),
    }[NumberOrder(order)]
    found = among(Certificate.objects.all(), ids).values_list("pk", *fields)
    return {pk: (*rest, pk) for pk, *rest in found}


def _not_registrable(rows: Iterable[Any], today) -> list[str]:
    """Rows that registration refuses: not pre-checked (DIP-10), or graduating after today (DIP-5)."""
    labels = dict(CertificateState.choices)
    problems = []
    for row in rows:
        if row.state != CertificateState.PRECHECKED:
            problems.append(
                _("%(who)s当前为“%(state)s”，只有预审通过的证书才能注册")
                % {"who": CERTIFICATES.describe(row), "state": labels[row.state]}
            )
        elif row.graduation_date > today:
            problems.append(
                _("%(who)s的毕业日期为%(date)s，毕业日期前不能注册（发证日期即毕业日期）")
                % {"who": CERTIFICATES.describe(row), "date": f"{row.graduation_date:%Y-%m-%d}"}
            )
    return problems


def _registered_before(rows: Iterable[Any]) -> list[str]:
    """Rows whose student already holds a registered certificate of the level (DIP-2), in one query."""
    rows = list(rows)
    held = set(
        among(
            Certificate.objects.filter(state=CertificateState.REGISTERED),
            [r.student_id for r in rows],
            "student_id",
        ).values_list("student_id", "level")
    )
    return [
        _("%(who)s：该学生在此层次已有注册的学历证书，一人一证") % {"who": CERTIFICATES.describe(row)}
        for row in rows
        if (row.student_id, row.level) in held
    ]


@collector_paused()
@transaction.atomic
def certificates_register(
    *,
    actor: User,
    certificate_ids: Iterable[int] | None = None,
    order: str = NumberOrder.COLLEGE,
) -> int:
    """学历证书电子注册 (DIP-5, DIP-10): number and register pre-checked certificates, set-based.

    ``certificate_ids`` None registers every pre-checked certificate whose
    graduation date has come. Numbers are given in ``order`` within each
    (school, 办学类型, year, 层次) sequence, without gaps or repeats; 发证日期 is
    the graduation date. One audit event per certificate, and one per student
    whose 学籍状态 becomes 毕业 or 结业 (on the graduation date, with the certificate).
    Returns how many were registered.
    """
    registrar_only(actor, _("注册学历证书"))
    today = timezone.localdate()
    if certificate_ids is None:
        ids = list(
            Certificate.objects.filter(
                state=CertificateState.PRECHECKED, graduation_date__lte=today
            ).values_list("pk", flat=True)
        )
    else:
        ids = sorted(set(certificate_ids))
        if among(Certificate.objects.for_user(actor), ids).count() != len(ids):
            raise Certificate.DoesNotExist(_("学历证书不存在"))
    if not ids:
        return 0
    rows = lock_rows(CERTIFICATES, ids)
    problems = _not_registrable(rows.values(), today) + _registered_before(rows.values())
    if problems:
        raise DomainError("；".join(problems[:20]) + ("……" if len(problems) > 20 else ""))
    keys = _order_keys(ids, order)
    groups: dict[tuple, list[Any]] = {}
    for row in rows.values():
        groups.setdefault((row.school_id, row.school_type, row.graduation_year, row.level), []).append(row)
    codes_of = dict(School.objects.values_list("pk", "code"))
    # Counters are taken in key order, so two registrations never wait on each other crosswise.
    for key in sorted(groups):
        school_id, school_type, year, level = key
        members = sorted(groups[key], key=lambda row: keys[row.pk])
        first = sequence_take(
            school_id=school_id, school_type=school_type, year=year, level=level, count=len(members)
        )
        for offset, row in enumerate(members):
            row.sequence = first + offset
            row.certificate_number = certificate_number(
                codes_of[school_id], school_type, year, level, row.sequence
            )
            row.issued_on = row.graduation_date
    registered = apply_moves(CERTIFICATES, [Move(rows[pk], "register") for pk in sorted(rows)], actor=actor)
    _students_leave(actor, registered)
    return len(registered)


# 学籍状态 a registered certificate gives its student (DIP-1).
STATUS_TRANSITION = {CertificateKind.GRADUATION: "graduate", CertificateKind.COMPLETION: "complete"}


def _students_leave(actor: User, rows: Sequence[Any]) -> None:
    """The registered students' 学籍状态 becomes 毕业 or 结业, set-based on the engine (those still 在籍)."""
    kind_of = {row.student_id: row.kind for row in rows}
    students = lock_rows(STUDENT_STATUS, kind_of)
    reason = _("学历证书注册")
    moves = [
        Move(students[pk], STATUS_TRANSITION[kind_of[pk]], reason=reason)
        for pk in sorted(students)
        if students[pk].student_status == codes.StudentStatus.IN_SCHOOL
    ]
    apply_moves(STUDENT_STATUS, moves, actor=actor)
