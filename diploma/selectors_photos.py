"""Reads of photos and their checks (DIP-9), each scoped: staff see their colleges, a student only themself.

- ``my_photo``: the student's own capture, photo and data, and whether the check is open;
- ``retake_list``: who needs the agency's retake (no capture, or a registered retake not yet done);
- ``verified_photo``: the SQL test the pre-check uses (a photo the student confirmed).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from diploma.models.photos import CheckState, PhotoCapture, PhotoRetake
from registrar import codes
from registrar.idcard import mask
from registrar.models import Student


@dataclass(frozen=True)
class MyPhoto:
    """What the student's photo page shows (JL28(一)): the photo, the data beside it, the check."""

    student: Student
    masked_id_number: str
    capture: PhotoCapture | None
    opens_on: datetime.date | None
    is_open: bool  # the check is open: a photo is there, and the 40th day after capture has come
    may_check: bool  # … and the student has not concluded yet
    retakes: list[PhotoRetake]


def my_photo(user) -> MyPhoto:
    """The signed-in student's photo check (DIP-9); ``Student.DoesNotExist`` for anyone else."""
    student = Student.objects.for_user(user).select_related("college", "major").get(pk=user.student_id)
    capture = PhotoCapture.objects.filter(student=student).first()
    opens_on = capture.check_opens_on if capture else None
    is_open = bool(capture and capture.image and timezone.localdate() >= capture.check_opens_on)
    return MyPhoto(
        student=student,
        masked_id_number=mask(student.id_number),
        capture=capture,
        opens_on=opens_on,
        is_open=is_open,
        may_check=is_open and capture.check_state == CheckState.UNCHECKED,
        retakes=list(PhotoRetake.objects.filter(student=student)),
    )


def verified_photo(student_ref: str = "pk") -> Exists:
    """The student at ``student_ref`` has a photo they confirmed (DIP-9: no photo, no registration)."""
    return Exists(
        PhotoCapture.objects.filter(student=OuterRef(student_ref), check_state=CheckState.CONFIRMED).exclude(
            image=""
        )
    )


def captures(user) -> QuerySet[PhotoCapture]:
    """Capture records and check conclusions as ``user`` may see them (staff: their colleges only)."""
    return PhotoCapture.objects.for_user(user).select_related("student", "student__college")


@dataclass(frozen=True)
class RetakeRow:
    """One line of the retake list: the student, why, and a registered retake if any."""

    student: Student
    why: str
    retake: PhotoRetake | None


def retake_list(user, students: QuerySet[Student]) -> list[RetakeRow]:
    """补拍名单 (DIP-9, SH三(五)3(3)): of ``students`` (the expected graduates) as ``user`` may see them,
    those without a capture record, whose check found a problem, or registered for a retake not yet done."""
    rows = (
        Student.objects.for_user(user)
        .filter(pk__in=students.values("pk"), student_status__in=codes.ACTIVE_STUDENT_STATUSES)
        .annotate(
            has_capture=Exists(PhotoCapture.objects.filter(student=OuterRef("pk"))),
            disputed=Exists(
                PhotoCapture.objects.filter(student=OuterRef("pk"), check_state=CheckState.DISPUTED)
            ),
            retake_pending=Exists(
                PhotoRetake.objects.filter(student=OuterRef("pk")).exclude(
                    registered_at__date__lte=OuterRef("photo_capture__captured_on")
                )
            ),
        )
        .filter(Q(has_capture=False) | Q(disputed=True) | Q(retake_pending=True))
        .select_related("college", "major")
        .order_by("college__code", "student_number", "pk")
    )
    latest = {}
    for retake in PhotoRetake.objects.filter(student__in=[r.pk for r in rows]).order_by("registered_at"):
        latest[retake.student_id] = retake
    result = []
    for student in rows:
        if not student.has_capture:
            why = _("未参加图像采集")
        elif student.disputed:
            why = _("校对时报告有误")
        else:
            why = _("已登记补拍，待采集")
        result.append(RetakeRow(student, why, latest.get(student.pk)))
    return result
