"""What keeps a student from this year's registration (ANN-9, ANN-10), computed in SQL for the whole roll.

Each blocker is a condition over ``AnnualRegistration`` rows; ``with_blockers``
annotates a queryset with one boolean per blocker, so a page or a check of
thousands of students costs one query. Another part of the app adds its own
blocker by appending to ``BLOCKERS`` (an open status change, say).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.db.models.expressions import BaseExpression
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from annual_registration.models import FeeRecord, FeeStatus
from registrar import codes


@dataclass(frozen=True)
class Blocker:
    """One reason a student cannot be registered now, and the SQL condition that finds it."""

    code: str
    label: str | Promise
    condition: Callable[[], BaseExpression | Q]
    # Whether the college can still put the student on a list as 暂缓注册 (a fee), or not at all.
    deferrable: bool = True


def _fees_settled() -> Exists:
    return Exists(
        FeeRecord.objects.filter(
            student=OuterRef("student"),
            academic_year=OuterRef("academic_year"),
            status__in=[FeeStatus.PAID, FeeStatus.AID],
        )
    )


BLOCKERS: list[Blocker] = [
    Blocker("fees", _("未缴费（缴费或办理助学贷款、缓缴后方可注册，ANN-10）"), lambda: ~_fees_settled()),
    Blocker(
        "status",
        _("学籍状态不是在籍（休学、保留学籍等）"),
        lambda: ~Q(student__student_status=codes.StudentStatus.IN_SCHOOL),
        deferrable=False,
    ),
    Blocker(
        "basic_data",
        _("基本信息不全（缺学号）"),
        lambda: Q(student__student_number__isnull=True) | Q(student__student_number=""),
    ),
]


def with_blockers(queryset: QuerySet) -> QuerySet:
    """The registrations, each with ``blocked_<code>`` booleans: one query for any number of students."""
    return queryset.annotate(
        **{
            f"blocked_{b.code}": ExpressionWrapper(b.condition(), output_field=BooleanField())
            for b in BLOCKERS
        }
    )


def blockers_of(registration) -> list[Blocker]:
    """The blockers of one annotated registration (``with_blockers``)."""
    return [b for b in BLOCKERS if getattr(registration, f"blocked_{b.code}", False)]
