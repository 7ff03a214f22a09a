"""What the student's page says of this term's check-in (ANN-13): 报到 or 请假, and by when."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from annual_registration.models import CheckInState, TermCheckIn
from registrar.models import Student


@dataclass(frozen=True)
class CheckInNotice:
    """The newest term's check-in of a student who has not checked in: what to do, and by when."""

    term: str
    state: str
    todo: list[str]
    due: datetime.date

    @property
    def overdue(self) -> bool:
        return self.due < timezone.localdate()


def check_in_notice(student: Student) -> CheckInNotice | None:
    """The newest term's check-in if it waits (待报到, or 请假 until a day): what to do and by when (ANN-13).

    By when: the term's start (开学时, SH二(二)1); on leave, the leave's last day.
    """
    row = (
        TermCheckIn.objects.filter(student=student)
        .select_related("term", "term__academic_year")
        .order_by("-term__start_date")
        .first()
    )
    if row is None or row.state == CheckInState.CHECKED_IN:
        return None
    if row.state == CheckInState.ON_LEAVE:
        todo = [
            _("你已请假（%(reason)s），返校后请到学院办理报到注册") % {"reason": row.leave_reason},
        ]
        return CheckInNotice(
            str(row.term), row.get_state_display(), todo, row.leave_until or row.term.start_date
        )
    todo = [
        _("开学时到学院办理报到注册"),
        _("因故不能如期报到注册的，请向学院请假（说明事由和请假截止日期）"),
    ]
    return CheckInNotice(str(row.term), row.get_state_display(), todo, row.term.start_date)
