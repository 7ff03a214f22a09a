"""学籍注册 of admitted freshmen: students, their first history rows and accounts, set-based (ENR-2)."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enrollment.models import AdmissionRecord
from registrar.models import Student, User
from registrar.roles import Role
from registrar.services import DomainError
from registrar.sql import advisory_lock, id_in

CHUNK = 5000
STUDENT_NUMBER_LOCK_KEY = 0x3E1A1


def _next_student_number(year: int) -> int:
    prefix = str(year)
    last = (
        Student.objects.filter(student_number__startswith=prefix, student_number__regex=r"^\d{10}$")
        .order_by("-student_number")
        .values_list("student_number", flat=True)
        .first()
    )
    return int(last[4:]) + 1 if last else 1


def create_students(*, actor: User | None, records: list[AdmissionRecord]) -> None:
    """学籍注册: a Student in its initial status (在籍) for each record, its history row, and an account.

    INSERT … SELECT statements copy the admission data over, so that
    registering ten thousand students writes no Python objects. The account
    has no usable password: the first one is set by ``student_passwords_issue``
    and handed out by the college; it is random, never derived from the id number.
    """
    new = sorted((r for r in records if r.student_id is None), key=lambda r: r.pk)
    if not new:
        return
    by_year: dict[int, list[AdmissionRecord]] = defaultdict(list)
    for r in new:
        by_year[r.year].append(r)
    numbers: dict[str, AdmissionRecord] = {}
    for year, group in by_year.items():
        advisory_lock(STUDENT_NUMBER_LOCK_KEY, year)  # one allocator of a year's student numbers at a time
        start = _next_student_number(year)
        for offset, r in enumerate(group):
            numbers[f"{year}{start + offset:06d}"] = r
    try:
        with transaction.atomic():
            student_ids = _insert_students(numbers, actor)
    except IntegrityError as exc:
        raise DomainError(
            _("有学生的证件号码已有在籍学籍或学号冲突，不能注册（ENR-6），请核对后重试")
        ) from exc
    for number, record in numbers.items():
        record.student_id = student_ids[number]


STUDENT_FROM_RECORD = {
    "name": "r.name",
    "gender": "r.gender",
    "ethnicity": "r.ethnicity",
    "birth_date": "r.birth_date",
    "id_type": "r.id_type",
    "id_number": "r.id_number",
    "exam_number": "r.exam_number",
    "political_status": "r.political_status",
    "college_id": "r.college_id",
    "major_id": "r.major_id",
    "level": "r.level",
    "program_years": "r.program_years",
    "study_mode": "r.study_mode",
    "admission_type": "r.admission_type",
    "entry_date": "r.entry_date",
}


def _student_select() -> tuple[list[str], list[str], list]:
    columns, exprs, params = [], [], []
    for f in Student._meta.concrete_fields:
        if f.primary_key:
            continue
        columns.append(f.column)
        if f.column in STUDENT_FROM_RECORD:
            exprs.append(STUDENT_FROM_RECORD[f.column])
        elif f.column == "student_number":
            exprs.append("n.number")
        elif f.has_default():
            exprs.append("%s")
            params.append(f.get_db_prep_save(f.get_default(), connection))
        elif f.null:
            exprs.append("NULL")
        else:
            exprs.append("%s")
            params.append("")
    return columns, exprs, params


def _history_select(actor: User | None) -> tuple[list[str], list[str], list]:
    """The first history row of a new student (alias ``s``), so that every later change keeps the value before."""
    columns, exprs, params = [], [], []
    for f in Student.history.model._meta.concrete_fields:
        if f.column == "history_id":
            continue
        columns.append(f.column)
        if f.column == "history_date":
            exprs.append("%s")
            params.append(timezone.now())
        elif f.column == "history_type":
            exprs.append("'+'")
        elif f.column == "history_change_reason":
            exprs.append("%s")
            params.append("新生学籍注册")
        elif f.column == "history_user_id":
            exprs.append("%s")
            params.append(actor.pk if getattr(actor, "pk", None) else None)
        else:
            exprs.append(f"s.{f.column}")
    return columns, exprs, params


def _account_select() -> tuple[list[str], list[str], list]:
    """A student account for a new student (alias ``s``), named by the student number, no usable password yet."""
    random_tail = (
        "md5(random()::text || s.id::text)" if connection.vendor == "postgresql" else "hex(randomblob(16))"
    )
    values = {
        "password": f"'{UNUSABLE_PASSWORD_PREFIX}' || {random_tail}",
        "username": "s.student_number",
        "first_name": "s.name",
        "student_id": "s.id",
    }
    columns, exprs, params = [], [], []
    for f in User._meta.concrete_fields:
        if f.primary_key:
            continue
        columns.append(f.column)
        if f.column in values:
            exprs.append(values[f.column])
        elif f.column == "role":
            exprs.append("%s")
            params.append(Role.STUDENT.value)
        elif f.has_default():
            exprs.append("%s")
            params.append(f.get_db_prep_save(f.get_default(), connection))
        elif f.null:
            exprs.append("NULL")
        else:
            exprs.append("''")
    return columns, exprs, params


def _insert_students(numbers: dict[str, AdmissionRecord], actor: User | None) -> dict[str, int]:
    """Students, their first history rows and their accounts, from the admission records; number → id.

    PostgreSQL does all three in one statement (data-modifying CTEs); other
    databases run three INSERT … SELECT statements.
    """
    student_table, history_table = Student._meta.db_table, Student.history.model._meta.db_table
    columns, exprs, params = _student_select()
    pg = connection.vendor == "postgresql"
    pairs = list(numbers.items())
    result: dict[str, int] = {}
    records_table = AdmissionRecord._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), CHUNK):
            chunk = pairs[start : start + CHUNK]
            if pg:
                # Arrays, and the ids tested with = ANY, let the planner reach the records by their
                # primary key instead of hashing the whole table once per chunk.
                ids = [rec.pk for _number, rec in chunk]
                source = (
                    f"{records_table} r JOIN unnest(%s::bigint[], %s::text[]) AS n(rid, number) "
                    "ON r.id = n.rid WHERE r.id = ANY(%s::bigint[])"
                )
                source_params = [ids, [number for number, _rec in chunk], ids]
                select = ", ".join(exprs)
            else:
                source = (
                    f"{records_table} r JOIN (VALUES {', '.join(['(%s, %s)'] * len(chunk))}) AS n "
                    "ON r.id = n.column1"
                )
                source_params = [v for number, rec in chunk for v in (rec.pk, number)]
                select = ", ".join(exprs).replace("n.number", "n.column2")
            insert = f"INSERT INTO {student_table} ({', '.join(columns)}) SELECT {select} FROM {source}"
            insert_params = [*params, *source_params]
            if pg:
                h_cols, h_exprs, h_params = _history_select(actor)
                u_cols, u_exprs, u_params = _account_select()
                cursor.execute(
                    f"WITH s AS ({insert} RETURNING *), "
                    f"h AS (INSERT INTO {history_table} ({', '.join(h_cols)}) SELECT {', '.join(h_exprs)} FROM s), "
                    f"u AS (INSERT INTO {User._meta.db_table} ({', '.join(u_cols)}) SELECT {', '.join(u_exprs)} FROM s) "
                    "SELECT id, student_number FROM s",
                    [*insert_params, *h_params, *u_params],
                )
                result.update({number: pk for pk, number in cursor.fetchall()})
                continue
            cursor.execute(f"{insert} RETURNING id, student_number", insert_params)
            created = {number: pk for pk, number in cursor.fetchall()}
            result.update(created)
            where, where_params = id_in(list(created.values()))
            for cols, sel, sel_params, table in (
                (*_history_select(actor), history_table),
                (*_account_select(), User._meta.db_table),
            ):
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(sel)} FROM {student_table} s "
                    f"WHERE s.id {where}",
                    [*sel_params, *where_params],
                )
    return result
