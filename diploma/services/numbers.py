"""证书编号 (DESIGN §2.2): 学校代码 (5) + 办学类型 (1) + 毕业年份 (4) + 层次 (2) + 顺序号 (6).

One sequence per school, 办学类型, year and 层次, shared by 毕业 and 结业 and by
spring and autumn graduates. A registration takes a block of numbers with one
statement that inserts or raises the counter row: a second registration of the
same key waits on that row until the first commits, and a rolled-back one gives
its block back with it. So numbers are never repeated and never skipped.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diploma.models import CertificateSequence
from registrar.errors import DomainError

LAST_SEQUENCE = 999_999


class NumberOrder(TextChoices):
    """The order in which a registration hands out its numbers."""

    COLLEGE = "college", gettext_lazy("按院系、专业、学号")
    MAJOR = "major", gettext_lazy("按专业、学号")
    STUDENT_NUMBER = "student_number", gettext_lazy("按学号")


def certificate_number(school_code: str, school_type: str, year: int, level: str, sequence: int) -> str:
    """The 18 digits, e.g. 10999 1 2026 05 000001 → 109991202605000001."""
    return f"{school_code}{school_type}{year:04d}{level}{sequence:06d}"


def sequence_take(*, school_id: int, school_type: str, year: int, level: str, count: int) -> int:
    """Take ``count`` numbers of one key in the caller's transaction; the first of them.

    ``INSERT … ON CONFLICT DO UPDATE … RETURNING``: the counter row stays locked until
    the transaction ends, which is what makes concurrent registrations wait their turn.
    """
    table = CertificateSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (school_id, school_type, year, level, last) VALUES (%s, %s, %s, %s, %s) "
            f"ON CONFLICT (school_id, school_type, year, level) DO UPDATE SET last = {table}.last + EXCLUDED.last "
            "RETURNING last",
            [school_id, school_type, year, level, count],
        )
        last = cursor.fetchone()[0]
    if last > LAST_SEQUENCE:
        raise DomainError(
            _("%(year)s年该层次的证书顺序号已用尽（最多%(max)d个）") % {"year": year, "max": LAST_SEQUENCE}
        )
    return last - count + 1
