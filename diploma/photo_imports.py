"""The designated agency's files (DIP-9): its capture list (xlsx) and its zip of JPEGs, read and checked.

No database here: parsing turns the list into rows that keep their number, and
the zip into checked photos named by 身份证号 or 考生号; the services match them
to students. The list goes through the sheet toolkit (bounded, parsed in a child
process). The zip is read from the upload as it lies (on disk when large), in
this order, each step before the next costs anything: its size, the zip
directory (member count, declared sizes, names: no path that climbs out, one
photo per name), then each member within its declared size, checked as a JPEG
by its bytes (``diploma.jpeg``: never decoded) and by its pixel dimensions.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from diploma.jpeg import NotJpeg, jpeg_size
from registrar.idcard import normalize
from registrar.sheets.cells import parse_date, plain
from registrar.sheets.errors import FileFormatError, Unreadable, file_error, megabytes
from registrar.sheets.limits import DAMAGED_ZIP, SheetLimits, check_upload_size, zip_directory
from registrar.sheets.tables import Column, ParsedSheet, RowError, parse_sheet, row_checker

# ---------------------------------------------------------------- the capture list (xlsx)

CAPTURE_COLUMNS: tuple[Column, ...] = (
    Column("exam_number", "KSH", "考生号", max_length=20),
    Column("id_number", "SFZH", "身份证号", aliases=("ZJHM", "证件号码", "身份证号码"), max_length=30),
    Column("name", "XM", "姓名", max_length=50),
    Column(
        "file_name", "ZPWJM", "照片文件名", aliases=("照片名", "文件名", "ZP"), required=True, max_length=100
    ),
    Column("captured_on", "CJRQ", "采集日期", aliases=("拍摄日期",), required=True),
)
LABELS = {c.key: c.label for c in CAPTURE_COLUMNS}
KEY = re.compile(r"^[0-9A-Z]{5,30}$")
FILE_NAME = re.compile(r"^[0-9A-Za-z_-]{1,90}\.(jpg|jpeg|JPG|JPEG)$")


def _key(text: str, value: Any) -> str:
    key = normalize(text)
    if not KEY.match(key):
        raise ValueError(_("应为5至30位半角数字或字母"))
    return key


def _file_name(text: str, value: Any) -> str:
    if not FILE_NAME.match(text):
        raise ValueError(_("应为数字、字母组成的文件名，扩展名为 .jpg，如 220102200001011234.jpg"))
    return text


CHECK_CAPTURE_CELLS = row_checker(
    CAPTURE_COLUMNS,
    {
        "exam_number": _key,
        "id_number": _key,
        "name": plain,
        "file_name": _file_name,
        "captured_on": lambda text, value: parse_date(value),
    },
    free_text=frozenset({"name"}),
)


def check_capture_row(raw: dict[str, Any], number: int) -> tuple[dict[str, Any], list[RowError]]:
    """One row of the agency's list: 考生号 or 身份证号 (at least one), 照片文件名, 采集日期 (DIP-9)."""
    values, errors = CHECK_CAPTURE_CELLS(raw, number)
    if not values.get("exam_number") and not values.get("id_number") and not errors:
        errors.append(RowError(number, LABELS["exam_number"], _("考生号和身份证号至少填写一项")))
    return values, errors


def parse_capture_list(content: bytes, file_name: str) -> ParsedSheet:
    """图像采集名单 → rows and every error; a 考生号, 身份证号 or 照片文件名 twice in the file is one."""
    return parse_sheet(
        content,
        file_name,
        columns=CAPTURE_COLUMNS,
        check=check_capture_row,
        unique=("exam_number", "id_number", "file_name"),
    )


# ---------------------------------------------------------------- the zip of JPEGs


@dataclass(frozen=True)
class PhotoLimits:
    """The bounds of one zip of photos and of each photo in it (settings ``PHOTO_…``)."""

    archive_bytes: int
    members: int
    uncompressed_bytes: int
    photo_min_bytes: int
    photo_max_bytes: int
    width: int
    height: int

    @classmethod
    def from_settings(cls) -> PhotoLimits:
        return cls(
            archive_bytes=settings.PHOTO_ARCHIVE_MAX_BYTES,
            members=settings.PHOTO_ARCHIVE_MAX_FILES,
            uncompressed_bytes=settings.PHOTO_ARCHIVE_MAX_UNCOMPRESSED_BYTES,
            photo_min_bytes=settings.PHOTO_MIN_BYTES,
            photo_max_bytes=settings.PHOTO_MAX_BYTES,
            width=settings.PHOTO_WIDTH,
            height=settings.PHOTO_HEIGHT,
        )

    def sheet_limits(self) -> SheetLimits:
        """The same bounds in the upload toolkit's terms, for its size and zip-directory checks."""
        return SheetLimits(
            upload_bytes=self.archive_bytes,
            uncompressed_bytes=self.uncompressed_bytes,
            zip_entries=self.members,
        )


@dataclass(frozen=True)
class Photo:
    """One checked JPEG of the zip: the 身份证号 or 考生号 its name gives, its bytes and size in pixels."""

    key: str
    member: str
    content: bytes
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass
class PhotoArchive:
    """What a zip held: the photos that passed, and every problem (nothing is stored when there is one)."""

    photos: list[Photo] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    sha256: str = ""


def _member_error(member: str, reason: str) -> RowError:
    return RowError(0, _("文件“%(name)s”") % {"name": member[:120]}, reason)


def _climbs_out(name: str) -> bool:
    """A member name that is absolute, has a drive, or climbs out with ``..``: never extracted anywhere."""
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return True
    return any(part == ".." for part in re.split(r"[/\\]", name))


def _key_of(name: str) -> str | None:
    """The 身份证号 or 考生号 a member's name gives (``photos/2201…1234.jpg`` → ``2201…1234``), or None."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.suffix.lower() not in (".jpg", ".jpeg"):
        return None
    key = normalize(path.stem)
    return key if KEY.match(key) else None


def _directory(
    archive: zipfile.ZipFile, limits: PhotoLimits, errors: list[RowError]
) -> list[zipfile.ZipInfo]:
    """The members to read, after the checks the zip directory allows; problems go to ``errors``."""
    members = []
    seen: dict[str, str] = {}
    for info in zip_directory(archive, limits.sheet_limits(), too_many="too_many_files"):
        name = info.filename
        if _climbs_out(name):
            errors.append(_member_error(name, _("文件路径不安全（含“..”或绝对路径），不予导入")))
            continue
        if info.is_dir() or PurePosixPath(name.replace("\\", "/")).name.startswith(("._", ".")):
            continue  # folders, and the hidden files some archivers add
        key = _key_of(name)
        if key is None:
            errors.append(
                _member_error(name, _("文件名应为身份证号或考生号，扩展名为 .jpg，如 220102200001011234.jpg"))
            )
            continue
        if key in seen:
            errors.append(
                _member_error(name, _("与“%(other)s”是同一人的照片，每人只能有一张") % {"other": seen[key]})
            )
            continue
        seen[key] = name
        if info.file_size > limits.photo_max_bytes:
            errors.append(
                _member_error(
                    name,
                    _("照片为%(size)s，超过上限%(limit)s")
                    % {"size": _size(info.file_size), "limit": _size(limits.photo_max_bytes)},
                )
            )
            continue
        if info.file_size < limits.photo_min_bytes:
            errors.append(
                _member_error(
                    name,
                    _("照片只有%(size)s，小于下限%(limit)s，可能不完整")
                    % {"size": _size(info.file_size), "limit": _size(limits.photo_min_bytes)},
                )
            )
            continue
        members.append(info)
    return members


def _size(size: int) -> str:
    return f"{max(1, round(size / 1024))} KB" if size < 1 << 20 else megabytes(size)


def _photo(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: PhotoLimits) -> Photo | RowError:
    """One member, inflated within its declared size (zipfile stops there and checks the CRC), checked."""
    with archive.open(info) as stream:
        content = stream.read(limits.photo_max_bytes + 1)
    try:
        width, height = jpeg_size(content)
    except NotJpeg:
        return _member_error(info.filename, _("不是完整的 JPEG 图像（按文件内容判断）"))
    if (width, height) != (limits.width, limits.height):
        return _member_error(
            info.filename,
            _("照片为%(w)d×%(h)d像素，应为%(W)d×%(H)d像素（宽×高）")
            % {"w": width, "h": height, "W": limits.width, "H": limits.height},
        )
    return Photo(_key_of(info.filename) or "", info.filename, content, width, height)


def read_photo_archive(upload: IO[bytes], *, limits: PhotoLimits | None = None) -> PhotoArchive:
    """照片压缩包 (DIP-9) → checked photos and every problem, or ``FileFormatError`` for the file as a whole.

    ``upload`` is read where it lies (Django keeps a large upload in a temporary file):
    only one member's bytes at a time are in memory.
    """
    limits = limits or PhotoLimits.from_settings()
    check_upload_size(upload, limits.sheet_limits())
    result = PhotoArchive()
    digest = hashlib.sha256()
    try:
        upload.seek(0)
        for chunk in iter(lambda: upload.read(1 << 20), b""):
            digest.update(chunk)
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            members = _directory(archive, limits, result.errors)
            for info in members:
                checked = _photo(archive, info, limits)
                if isinstance(checked, RowError):
                    result.errors.append(checked)
                else:
                    result.photos.append(checked)
    except Unreadable as problem:
        raise file_error(problem) from None
    except DAMAGED_ZIP:
        raise file_error(Unreadable("not_zip")) from None
    if not result.photos and not result.errors:
        result.errors.append(RowError(0, "", _("压缩包中没有照片")))
    result.sha256 = digest.hexdigest()
    return result


__all__ = [
    "FileFormatError",
    "Photo",
    "PhotoArchive",
    "PhotoLimits",
    "parse_capture_list",
    "read_photo_archive",
]
