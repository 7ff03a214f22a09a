"""预计毕业生名单 (journey 1, DIP-10): built set-based from in-school students by expected graduation date."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import EventSpec, audit_record, audit_record_many
from diploma.models import ExpectedGraduate, GraduationOutcome
from diploma.services.certificates import registrar_only
from registrar import codes
from registrar.models import Student, User
from registrar.sql import advisory_lock, analyze

BUILD_LOCK_KEY = 0xD1B10
ANALYZE_AFTER = 1000


@transaction.atomic
def expected_graduates_build(*, actor: User, graduation_year: int) -> int:
    """生成预计毕业生名单: every in-school student expected to graduate in ``graduation_year`` (DIP-10).

    One INSERT … SELECT … ON CONFLICT DO NOTHING: idempotent, returns how many
    were added. Graduates still pending take the student's current college,
    major, level and date again (a 转专业 since the last build). One audit event
    per graduate added, and one for the build.
    """
    registrar_only(actor, _("生成预计毕业生名单"))
    if not 2000 <= graduation_year <= 2100:
        raise ValueError(graduation_year)
    advisory_lock(BUILD_LOCK_KEY, graduation_year)
    graduates, students = ExpectedGraduate._meta.db_table, Student._meta.db_table
    eligible = (
        f"FROM {students} s WHERE s.student_status = %s AND s.expected_graduation_date >= %s "
        "AND s.expected_graduation_date <= %s"
    )
    window = [codes.StudentStatus.IN_SCHOOL.value, f"{graduation_year}-01-01", f"{graduation_year}-12-31"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {graduates} SET college_id = s.college_id, major_id = s.major_id, level = s.level, "
            f"graduation_date = s.expected_graduation_date FROM {students} s "
            f"WHERE s.id = {graduates}.student_id AND {graduates}.graduation_year = %s "
            f"AND {graduates}.outcome = %s AND s.student_status = %s "
            "AND s.expected_graduation_date >= %s AND s.expected_graduation_date <= %s",
            [graduation_year, GraduationOutcome.PENDING, *window],
        )
        cursor.execute(
            f"INSERT INTO {graduates} (student_id, graduation_year, graduation_date, college_id, major_id, "
            "level, outcome, outcome_document_number, created_at) "
            f"SELECT s.id, %s, s.expected_graduation_date, s.college_id, s.major_id, s.level, %s, '', %s "
            f"{eligible} ON CONFLICT (student_id, graduation_year) DO NOTHING "
            "RETURNING id, student_id, college_id",
            [graduation_year, GraduationOutcome.PENDING, timezone.now(), *window],
        )
        added = cursor.fetchall()
    after = {"graduation_year": graduation_year, "outcome": GraduationOutcome.PENDING.value}
    audit_record_many(
        [
            EventSpec(
                action="diploma.graduate.add",
                subject=(ExpectedGraduate._meta.label_lower, pk),
                actor=actor,
                after=after,
                student_id=student_id,
                college_id=college_id,
            )
            for pk, student_id, college_id in added
        ]
    )
    if len(added) > ANALYZE_AFTER:
        analyze(ExpectedGraduate)
    audit_record(
        actor=actor,
        action="diploma.graduates.build",
        subject=("diploma.expectedgraduate", graduation_year),
        after={"graduation_year": graduation_year, "added": len(added)},
    )
    return len(added)
