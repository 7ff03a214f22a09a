"""The photo check as a deadline kind (DIP-9, JL28(一)), so the auditor's dashboard monitors it.

Imported by ``DiplomaConfig.ready()``. The rule (``deadlines.defaults``,
``photo_check``) counts from the capture date; the check *opens* on the 40th
day after capture (JL28(一)), so the rule's length is the school's due date for
the conclusion, which must come before the pre-check. Done: the day the student
concluded (确认无误 or 报告有误); a new capture starts the clock again.
"""

from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from deadlines.defaults import PHOTO_CHECK
from deadlines.models import Clock
from deadlines.registry import register_kind
from diploma.models.photos import PhotoCapture
from registrar import codes

register_kind(
    PHOTO_CHECK,
    label=_("毕业生图像校对"),
    subjects=PhotoCapture.objects.filter(student__student_status__in=codes.ACTIVE_STUDENT_STATUSES),
    clocks={Clock.PHOTO_CAPTURE: "captured_on"},
    college="student__college",
    student="student",
    done_on=TruncDate("checked_at"),
)
