"""Opening a year's annual registration: the roll of every in-school student from the second year on (ANN-1, ANN-3).

INSERT … SELECT over the students, a window of ids at a time, each window's audit
events hashed while the next one is inserted; running it again adds only those
missing (a student readmitted since), never a second row.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from annual_registration.models import AnnualRegistration, AnnualState
from audit.services import EventSet, audit_record, audit_record_set
from registrar import codes
from registrar.models import AcademicYear, Student, User
from registrar.roles import is_registrar
from registrar.sql import advisory_lock, analyze

# One opening of a year's roll at a time (with the year's id as the second key).
ROLL_LOCK_KEY = 0xA22A1

# Students per INSERT … SELECT: the rows added and their audit events are held two windows at a time.
WINDOW = 5000
# A roll that adds more rows than this refreshes the table's statistics (registrar.sql.analyze).
ANALYZE_AFTER = 1000

# The registration a student's status gives when the year opens (ANN-3).
STATE_OF_STATUS = {
    codes.StudentStatus.IN_SCHOOL: AnnualState.PENDING,
    codes.StudentStatus.SUSPENDED: AnnualState.SUSPENDED,
    codes.StudentStatus.RETAINED: AnnualState.RETAINED,
}


def year_start(year: AcademicYear) -> datetime.date:
    """The first term's start, or 1 September when the calendar has no first term yet."""
    first = year.terms.filter(number=1).order_by("start_date").first()
    return first.start_date if first else datetime.date(year.start_year, 9, 1)


@transaction.atomic
def annual_roll_open(*, actor: User, academic_year: AcademicYear) -> int:
    """开启学年注册: one pending registration per in-school student who entered before this year (ANN-1).

    Suspended and retained students get those states (ANN-3); those expected to
    have graduated before the year starts are left out. Idempotent: returns how
    many registrations were added, 0 when everyone already has one.
    """
    if not is_registrar(actor):
        raise PermissionDenied(_("只有教务处可以开启学年注册"))
    advisory_lock(ROLL_LOCK_KEY, academic_year.pk)
    start = year_start(academic_year)
    # One shared ``after`` per state: the audit trail encodes a shared object once, not once per row.
    after = {
        state: {"state": state, "academic_year": academic_year.start_year} for state in AnnualState.values
    }
    # One event per registration added, hashed while the next window is inserted (audit_record_set).
    added = audit_record_set(
        EventSet(
            action="annual_registration.registration.open",
            subject_type=AnnualRegistration._meta.label_lower,
            actor=actor,
        ),
        (
            [(pk, student_id, college_id, after[state]) for pk, student_id, college_id, state in rows]
            for rows in _insert_roll(academic_year, start)
        ),
    )
    if added > ANALYZE_AFTER:
        analyze(AnnualRegistration)
    audit_record(
        actor=actor,
        action="annual_registration.roll.open",
        subject=academic_year,
        after={"added": added, "year_start": start.isoformat()},
    )
    return added


def _insert_roll(year: AcademicYear, start: datetime.date) -> Iterator[list[tuple[int, int, int, str]]]:
    """INSERT … SELECT … ON CONFLICT DO NOTHING, one window of student ids at a time (memory stays flat);
    yields (id, student, college, state) of the rows each window added."""
    states = STATE_OF_STATUS
    case = " ".join("WHEN %s THEN %s" for _status in states)
    params: list = [value for status, state in states.items() for value in (status.value, state.value)]
    statuses = [status.value for status in states]
    registration, student = AnnualRegistration._meta.db_table, Student._meta.db_table
    eligible = f"""
        FROM {student} s
        WHERE s.student_status IN ({", ".join(["%s"] * len(states))})
          AND s.entry_date < %s
          AND (s.expected_graduation_date IS NULL OR s.expected_graduation_date >= %s)
    """
    insert = f"""
        INSERT INTO {registration}
            (student_id, academic_year_id, college_id, state, deferral_reason, reason, created_at)
        SELECT s.id, %s, s.college_id, CASE s.student_status {case} END, '', '', %s
        {eligible} AND s.id >= %s AND s.id < %s
        ORDER BY s.id
        ON CONFLICT (student_id, academic_year_id) DO NOTHING
        RETURNING id, student_id, college_id, state
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(s.id), MAX(s.id) {eligible}", [*statuses, start, start])
        low, high = cursor.fetchone()
        if low is None:
            return
        now = timezone.now()
        for window in range(low, high + 1, WINDOW):
            cursor.execute(insert, [year.pk, *params, now, *statuses, start, start, window, window + WINDOW])
            yield cursor.fetchall()
