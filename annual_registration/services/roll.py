"""Opening a year's annual registration: the roll of every in-school student from the second year on (ANN-1, ANN-3).

One INSERT … SELECT over the students, whatever their number; running it again
adds only those missing (a student readmitted since), never a second row.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from annual_registration.models import AnnualRegistration, AnnualState
from audit.services import EventSpec, audit_record, audit_record_many
from registrar import codes
from registrar.models import AcademicYear, Student, User
from registrar.roles import is_registrar
from registrar.sql import advisory_lock

# One opening of a year's roll at a time (with the year's id as the second key).
ROLL_LOCK_KEY = 0xA22A1

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
    added = _insert_roll(academic_year, start)
    specs = [
        EventSpec(
            action="annual_registration.registration.open",
            subject=(AnnualRegistration._meta.label_lower, pk),
            actor=actor,
            after={"state": state, "academic_year": academic_year.start_year},
            student_id=student_id,
            college_id=college_id,
        )
        for pk, student_id, college_id, state in added
    ]
    audit_record_many(specs)
    audit_record(
        actor=actor,
        action="annual_registration.roll.open",
        subject=academic_year,
        after={"added": len(added), "year_start": start.isoformat()},
    )
    return len(added)


def _insert_roll(year: AcademicYear, start: datetime.date) -> list[tuple[int, int, int, str]]:
    """INSERT … SELECT … ON CONFLICT DO NOTHING; (id, student, college, state) of each row added."""
    states = STATE_OF_STATUS
    case = " ".join("WHEN %s THEN %s" for _status in states)
    params: list = [value for status, state in states.items() for value in (status.value, state.value)]
    registration, student = AnnualRegistration._meta.db_table, Student._meta.db_table
    sql = f"""
        INSERT INTO {registration}
            (student_id, academic_year_id, college_id, state, deferral_reason, reason, created_at)
        SELECT s.id, %s, s.college_id, CASE s.student_status {case} END, '', '', %s
        FROM {student} s
        WHERE s.student_status IN ({", ".join(["%s"] * len(states))})
          AND s.entry_date < %s
          AND (s.expected_graduation_date IS NULL OR s.expected_graduation_date >= %s)
        ORDER BY s.id
        ON CONFLICT (student_id, academic_year_id) DO NOTHING
        RETURNING id, student_id, college_id, state
    """
    statuses = [status.value for status in states]
    with connection.cursor() as cursor:
        cursor.execute(sql, [year.pk, *params, timezone.now(), *statuses, start, start])
        return cursor.fetchall()
