"""The photo check on the student's own pages (DIP-9): a link, and the capture and conclusion on the timeline.

Registered from ``DiplomaConfig.ready()`` with the core's student links and the
archive's timeline, so a graduating student reaches the check from ``/me/`` and
``/annual/me/`` (no dead end); staff reading the archive see the entries without the link.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annual_registration.timeline import TimelineEntry, register_entries
from diploma.models import CheckState, ExpectedGraduate, PhotoCapture
from registrar.models import Student
from registrar.roles import Role, role_of
from registrar.student_links import register_student_link


def _graduating(student: Student) -> bool:
    return (
        PhotoCapture.objects.filter(student=student).exists()
        or ExpectedGraduate.objects.filter(student=student).exists()
    )


def photo_entries(reader: Any, student: Student) -> list[TimelineEntry]:
    """图像采集 and 图像校对 on the student's timeline; the student's own view links to the check."""
    capture = PhotoCapture.objects.filter(student=student).first()
    if capture is None:
        return []
    own = role_of(reader) == Role.STUDENT and reader.student_id == student.pk
    link = reverse("diploma_photos:me") if own else ""
    open_ = capture.check_state == CheckState.UNCHECKED
    entries = [
        TimelineEntry(
            capture.captured_on,
            "photo",
            _("毕业生图像采集"),
            _("照片文件名 %(name)s；采集40天后（%(day)s起）校对")
            % {"name": capture.file_name, "day": f"{capture.check_opens_on:%Y-%m-%d}"},
            link=link if open_ else "",
            link_label=_("去校对照片和信息") if open_ else "",
        )
    ]
    if capture.checked_at:
        entries.append(
            TimelineEntry(
                timezone.localdate(capture.checked_at),
                "photo",
                _("毕业生图像校对：%(state)s") % {"state": capture.get_check_state_display()},
                capture.problem,
                link=link,
                link_label=_("查看校对") if link else "",
            )
        )
    return entries


register_entries(photo_entries)
register_student_link("diploma_photos:me", gettext_lazy("照片校对"), shown=_graduating, order=50)
