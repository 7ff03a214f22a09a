"""The limits an uploaded sheet must keep, and the checks that need no parsing (SEC-1).

Everything here runs in the web worker and reads only the upload's size, the zip directory, the
first bytes of each worksheet (its ``<dimension ref=...>``) and the DBF header: never the cells.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

from django.conf import settings

from registrar.sheets.errors import FileFormatError, Unreadable, file_error, megabytes


@dataclass(frozen=True)
class SheetLimits:
    """The bounds of one upload; plain values, so that the child process receives them pickled."""

    upload_bytes: int = 20 * 1024 * 1024
    uncompressed_bytes: int = 256 * 1024 * 1024
    rows: int = 200_000
    columns: int = 100
    zip_entries: int = 1000
    child_memory_bytes: int = 2 * 1024 * 1024 * 1024
    child_cpu_seconds: int = 120
    child_wall_seconds: int = 180

    @classmethod
    def from_settings(cls) -> SheetLimits:
        return cls(
            upload_bytes=settings.UPLOAD_MAX_BYTES,
            uncompressed_bytes=settings.SHEET_MAX_UNCOMPRESSED_BYTES,
            rows=settings.SHEET_MAX_ROWS,
            columns=settings.SHEET_MAX_COLUMNS,
            child_memory_bytes=settings.SHEET_CHILD_MAX_MEMORY_BYTES,
            child_cpu_seconds=settings.SHEET_CHILD_MAX_CPU_SECONDS,
            child_wall_seconds=settings.SHEET_CHILD_MAX_CPU_SECONDS + 60,
        )


def check_upload_size(upload: IO[bytes], limits: SheetLimits) -> None:
    """Refuse an upload that reports a size above ``limits.upload_bytes``, before a byte is read."""
    size = getattr(upload, "size", None)
    if size is not None and size > limits.upload_bytes:
        raise too_large(size, limits)


def read_upload(upload: IO[bytes], *, limits: SheetLimits | None = None) -> bytes:
    """The upload's bytes, refused with a reason when it is larger than ``UPLOAD_MAX_BYTES``.

    The size is checked before a byte is read; reading one byte more than the limit guards
    against a file object that reports no size.
    """
    limits = limits or SheetLimits.from_settings()
    check_upload_size(upload, limits)
    content = upload.read(limits.upload_bytes + 1)
    if len(content) > limits.upload_bytes:
        raise too_large(len(content), limits)
    return content


def too_large(size: int, limits: SheetLimits) -> FileFormatError:
    return file_error(Unreadable("too_large", size=megabytes(size), limit=megabytes(limits.upload_bytes)))


def column_number(letters: str) -> int:
    """A1-style column letters → 1-based number: A → 1, XFD → 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    """1-based number → letters: 1 → A, 100 → CV."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# What zipfile and zlib raise on a damaged archive (a broken header, a bad deflate stream, an
# encrypted or unsupported part, a bad CRC).
DAMAGED_ZIP = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    struct.error,
    NotImplementedError,
    RuntimeError,
    OSError,
    EOFError,
    ValueError,
    KeyError,
    IndexError,
)
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref\s*=\s*[\"']([^\"']{1,40})[\"']")
# A cell's position as writers put it in the file: column letters, then a row from 1 without leading
# zeros and without the ``$`` of formulas (``Z09`` and ``$A$1`` are no position a spreadsheet writes).
REF = re.compile(r"^([A-Z]{1,3})([1-9][0-9]{0,6})$")


def check_ref(ref: str, limits: SheetLimits) -> None:
    """One cell position (or the corner of a range) within the row and column limits."""
    match = REF.match(ref)
    if match is None:
        raise Unreadable("bad_ref", ref=ref[:20])
    row = int(match.group(2))
    if row < 1:
        raise Unreadable("bad_ref", ref=ref[:20])
    if column_number(match.group(1)) > limits.columns or row > limits.rows + 1:
        raise Unreadable("cell_ref", ref=ref, rows=limits.rows, columns=limits.columns)


def precheck_xlsx(content: bytes, limits: SheetLimits) -> None:
    """The zip directory and each worksheet's declared dimension, before anything is parsed."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for entry in zip_directory(archive, limits):
                if entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml"):
                    with archive.open(entry) as stream:
                        head = stream.read(16384)
                    _check_dimension(head, limits)
    except DAMAGED_ZIP:
        raise Unreadable("not_xlsx") from None


def zip_directory(
    archive: zipfile.ZipFile, limits: SheetLimits, *, too_many: str = "too_many_entries"
) -> list[zipfile.ZipInfo]:
    """The archive's members, refused when they are more than ``zip_entries`` (reason ``too_many``) or
    declare more than ``uncompressed_bytes`` in all: read from the zip directory, before any member is inflated."""
    entries = archive.infolist()
    if len(entries) > limits.zip_entries:
        raise Unreadable(too_many, count=len(entries), limit=limits.zip_entries)
    total = sum(entry.file_size for entry in entries)
    if total > limits.uncompressed_bytes:
        raise Unreadable("uncompressed", size=megabytes(total), limit=megabytes(limits.uncompressed_bytes))
    return entries


def _check_dimension(head: bytes, limits: SheetLimits) -> None:
    match = DIMENSION.search(head)
    if match is None:
        return
    ref = match.group(1).decode("ascii", "replace")
    for corner in ref.split(":"):
        try:
            check_ref(corner, limits)
        except Unreadable:
            raise Unreadable("dimension", ref=ref, rows=limits.rows, columns=limits.columns) from None


DBF_HEADER = struct.Struct("<IHH")


@dataclass(frozen=True)
class DbfHeader:
    count: int
    header_length: int
    record_length: int
    fields: tuple[tuple[str, int], ...]


def dbf_header(content: bytes, limits: SheetLimits) -> DbfHeader:
    """The DBF header, checked against the file's length: a truncated file is refused (SEC-3)."""
    if len(content) < 33:
        raise Unreadable("dbf_short")
    count, header_length, record_length = DBF_HEADER.unpack_from(content, 4)
    fields: list[tuple[str, int]] = []
    position = 32
    while position < min(header_length - 1, len(content)) and content[position] != 0x0D:
        descriptor = content[position : position + 32]
        if len(descriptor) < 32:
            raise Unreadable("dbf_header")
        name = descriptor[:11].split(b"\x00", 1)[0].decode("ascii", "replace").strip().upper()
        fields.append((name, descriptor[16]))
        position += 32
        if len(fields) > limits.columns:
            raise Unreadable("columns", limit=limits.columns)
    if not fields or record_length <= 1:
        raise Unreadable("dbf_no_fields")
    if header_length > len(content) or record_length != 1 + sum(width for _name, width in fields):
        raise Unreadable("dbf_header")
    if count > limits.rows:
        raise Unreadable("rows", limit=limits.rows)
    held = (len(content) - header_length) // record_length
    if held < count:
        raise Unreadable("dbf_truncated", count=count, held=held)
    surplus = len(content) - header_length - count * record_length
    # One end-of-file byte (0x1A) may follow the records; anything more means the count is wrong.
    if surplus > 1 or (surplus == 1 and content[-1] != 0x1A):
        raise Unreadable("dbf_trailing", extra=surplus)
    return DbfHeader(count, header_length, record_length, tuple(fields))
