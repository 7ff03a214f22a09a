"""A student who has neither checked in nor asked for leave this year keeps their registration waiting (ANN-13).

Appended to ``annual_registration.blockers.BLOCKERS`` when the app is ready: the
college may still list the student as 暂缓注册, and registers them once they have
checked in (报到注册) or asked for leave (请假).
"""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from annual_registration.blockers import BLOCKERS, Blocker
from annual_registration.models import CheckInState, TermCheckIn


def _not_checked_in() -> Exists:
    return Exists(
        TermCheckIn.objects.filter(
            student=OuterRef("student"),
            term__academic_year=OuterRef("academic_year"),
            state=CheckInState.PENDING,
        )
    )


NOT_CHECKED_IN = Blocker("check_in", _("本学期未报到注册，也未请假（ANN-13）"), _not_checked_in)
if all(blocker.code != NOT_CHECKED_IN.code for blocker in BLOCKERS):
    BLOCKERS.append(NOT_CHECKED_IN)
