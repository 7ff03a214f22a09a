"""Demo photos of a graduating cohort (DIP-9), loaded through the real services, with a few problems to fix.

``load(ctx, graduates)`` takes next summer's expected graduates the diploma demo built and:

- imports the agency's capture list (xlsx) for all but two of them, captured 60 days
  ago so that the check is open (JL28(一): from the 40th day);
- imports a zip of generated JPEGs (480×640 portraits, ``diploma.jpeg``) for all but one;
- lets most students confirm; one reports a problem, two have not checked yet;
- registers one of the two uncaptured students for a retake.

What the pre-check then shows, each on the photo's own line: no capture (retake), photo
not imported, not checked, reported wrong (DIP-9). Staff fix them on 图像采集与校对 and
补拍名单; ``featured`` (the demo's student_a, if among them) is left with an open check.
``load_checked`` gives last summer's graduates their photos, all confirmed, before registration.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Sequence

from django.utils import timezone

from diploma.jpeg import portrait_jpeg
from diploma.models import ExpectedGraduate, PhotoCapture
from diploma.photo_imports import parse_capture_list, read_photo_archive
from diploma.services.photos import (
    photo_capture_list_import,
    photo_check_confirm,
    photo_check_dispute,
    photo_images_import,
    photo_retake_register,
)
from registrar.demo import DEMO_LOGINS
from registrar.models import Student, User
from registrar.roles import Role
from registrar.services import user_create, user_set_credentials
from registrar.sheets.writers import xlsx

CAPTURED_DAYS_AGO = 60
LIST_NAME = "新华社图像采集名单.xlsx"
ZIP_NAME = "新华社毕业生照片.zip"


def _capture_sheet(students: Sequence[Student], day: datetime.date) -> bytes:
    header = ["考生号", "身份证号", "姓名", "照片文件名", "采集日期"]
    rows = [[s.exam_number, s.id_number, s.name, f"{s.id_number}.jpg", day.isoformat()] for s in students]
    return xlsx(header, rows, "图像采集名单")


def _photo_zip(students: Sequence[Student]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for student in students:
            archive.writestr(f"{student.id_number}.jpg", portrait_jpeg(tone=student.pk * 7))
    buffer.seek(0)
    return buffer


def _account(student: Student) -> User:
    """The student's own account; one without a usable password when the demo gave them none."""
    account = User.objects.filter(student=student).first()
    if account is not None:
        return account
    return user_create(
        actor=None,
        username=f"grad{student.student_number or student.pk}",
        password=None,
        role=Role.STUDENT,
        student=student,
    )


def _imported(
    registrar: User, listed: Sequence[Student], photographed: Sequence[Student], day: datetime.date
) -> None:
    """The agency's list of ``listed`` (captured on ``day``) and its zip of ``photographed``, through the services."""
    sheet = parse_capture_list(_capture_sheet(listed, day), LIST_NAME)
    result = photo_capture_list_import(actor=registrar, sheet=sheet, file_name=LIST_NAME)
    assert result.ok, result.errors
    archive = read_photo_archive(_photo_zip(photographed))
    result = photo_images_import(actor=registrar, archive=archive, file_name=ZIP_NAME)
    assert result.ok, result.errors


def _students(graduates: Sequence[ExpectedGraduate]) -> list[Student]:
    return [g.student for g in sorted(graduates, key=lambda g: (g.college_id, g.student_id))]


def _demo_login(registrar: User, student: Student) -> None:
    """The demo's ``graduate_a``: this student's account, whose photo check is open (``DEMO_LOGINS``)."""
    _role, password, label = DEMO_LOGINS["graduate_a"]
    account = User.objects.filter(student=student).first()
    if account is None:
        user_create(
            actor=registrar,
            username="graduate_a",
            password=password,
            role=Role.STUDENT,
            full_name=label,
            student=student,
        )
    else:
        user_set_credentials(actor=registrar, user_id=account.pk, username="graduate_a", password=password)


def load_checked(ctx, graduates: Sequence[ExpectedGraduate], *, captured_on: datetime.date) -> None:
    """A cohort whose photos were captured, imported and confirmed by every student (before their registration)."""
    students = _students(graduates)
    if not students:
        return
    _imported(ctx.users["registrar"], students, students, captured_on)
    for student in students:
        photo_check_confirm(user=_account(student))


def load(ctx, graduates: Sequence[ExpectedGraduate], *, featured: Student | None = None) -> None:
    """Photos of ``graduates`` with a few problems left for the pre-check to find (DIP-9)."""
    registrar: User = ctx.users["registrar"]
    students = _students(graduates)
    if len(students) < 8:
        return
    day = timezone.localdate() - datetime.timedelta(days=CAPTURED_DAYS_AGO)
    missed, captured = students[:2], students[2:]
    with_photo = captured[1:]
    _imported(registrar, captured, with_photo, day)
    photo_retake_register(actor=registrar, student_id=missed[0].pk, reason="missed", note="采集当天病假")
    disputed, *unchecked = with_photo[:3]
    _demo_login(registrar, unchecked[0])
    photo_check_dispute(user=_account(disputed), problem="照片上的出生日期与身份证不一致")
    left_open = {s.pk for s in unchecked} | ({featured.pk} if featured else set())
    for student in with_photo[3:]:
        if student.pk not in left_open:
            photo_check_confirm(user=_account(student))
    assert PhotoCapture.objects.filter(student__in=students).count() == len(captured)
