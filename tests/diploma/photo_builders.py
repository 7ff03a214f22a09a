"""Photos for the diploma tests: the agency's list and zip, imported through the services."""

from __future__ import annotations

import datetime
import io
import zipfile

from django.utils import timezone

from diploma.jpeg import portrait_jpeg
from diploma.models import PhotoCapture
from diploma.photo_imports import parse_capture_list, read_photo_archive
from diploma.services.photos import photo_capture_list_import, photo_images_import
from registrar.models import Student
from tests.enrollment.builders import xlsx_bytes

LIST_HEADER = ["考生号", "身份证号", "姓名", "照片文件名", "采集日期"]
JPEG = portrait_jpeg()


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def capture_row(student: Student, *, by: str = "id", captured_on: datetime.date | None = None) -> list:
    """One row of the agency's list for ``student``, keyed by 身份证号 (``by="id"``) or 考生号 (``"exam"``)."""
    day = (captured_on or days_ago(41)).isoformat()
    return [
        student.exam_number if by == "exam" else "",
        student.id_number if by == "id" else "",
        student.name,
        f"{student.id_number}.jpg",
        day,
    ]


def capture_list(rows: list[list]) -> bytes:
    return xlsx_bytes([LIST_HEADER, *rows])


def zip_of(members: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    buffer.seek(0)
    buffer.name = "photos.zip"
    return buffer


def captured(
    registrar, students: list[Student], *, captured_on: datetime.date | None = None, photos: bool = True
):
    """These students on the agency's list (captured ``captured_on``, default 41 days ago) and, with ``photos``,
    their JPEGs imported: the check is open."""
    sheet = parse_capture_list(
        capture_list([capture_row(s, captured_on=captured_on) for s in students]), "cj.xlsx"
    )
    result = photo_capture_list_import(actor=registrar, sheet=sheet, file_name="cj.xlsx")
    assert result.ok, result.errors
    if photos:
        archive = read_photo_archive(zip_of({f"{s.id_number}.jpg": JPEG for s in students}))
        result = photo_images_import(actor=registrar, archive=archive, file_name="photos.zip")
        assert result.ok, result.errors
    return list(PhotoCapture.objects.filter(student__in=students).order_by("student_id"))
