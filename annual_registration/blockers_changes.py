"""An open status change keeps a student from this year's registration until it is decided (ANN-9).

Appended to ``annual_registration.blockers.BLOCKERS`` when the app is ready: the
college may still list the student as 暂缓注册, and registers them once the
change is approved, returned and withdrawn, or decided otherwise.
"""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from annual_registration.blockers import BLOCKERS, Blocker
from annual_registration.models import StatusChange
from annual_registration.models.changes import OPEN_STATES


def _open_change() -> Exists:
    return Exists(StatusChange.objects.filter(student=OuterRef("student"), state__in=OPEN_STATES))


OPEN_CHANGE = Blocker("open_change", _("有未办结的学籍异动（批准或撤回后方可注册）"), _open_change)
if all(blocker.code != OPEN_CHANGE.code for blocker in BLOCKERS):
    BLOCKERS.append(OPEN_CHANGE)
