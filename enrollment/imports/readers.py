"""Raw tables out of files: xlsx (python-calamine, streamed) and the platform's DBF (GBK)."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from enrollment.imports.columns import FileFormatError

# ---------------------------------------------------------------- raw tables


def formula_cells(content: bytes) -> list[tuple[int, int]]:
    """(row, column index) of cells holding a formula, found in the sheet XML without a full parse."""
    found = []
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                if not name.startswith("xl/worksheets/sheet"):
                    continue
                data = archive.read(name)
                if b"<f" not in data:
                    continue
                for match in re.finditer(rb'<c r="([A-Z]+)(\d+)"[^>]*?(?<!/)>\s*<f[ >/]', data):
                    letters, row = match.group(1).decode(), int(match.group(2))
                    index = 0
                    for ch in letters:
                        index = index * 26 + ord(ch) - 64
                    found.append((row, index - 1))
                break  # the first sheet only
    except (zipfile.BadZipFile, KeyError):
        return []
    return found


def read_xlsx(content: bytes) -> Iterator[list[Any]]:
    """The first sheet's rows as python values, streamed by python-calamine, numbered from A1."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet = workbook.get_sheet_by_index(0)
        start = sheet.start or (0, 0)
        rows = sheet.iter_rows()
    except Exception as exc:  # calamine raises its own error types for every malformed file
        raise FileFormatError(_("无法读取该文件，请上传 xlsx 格式的表格")) from exc

    def stream() -> Iterator[list[Any]]:
        for _row in range(start[0]):
            yield []
        pad = [None] * start[1]
        try:
            for row in rows:
                yield pad + row if pad else row
        except Exception as exc:  # a sheet that breaks half-way is unreadable as a whole
            raise FileFormatError(_("无法读取该文件，请上传 xlsx 格式的表格")) from exc

    return stream()


def read_dbf(content: bytes, encoding: str = "gbk") -> Iterator[list[Any]]:
    """A dBase III table (the platform's exchange format): header names first, then text values."""
    if len(content) < 33:
        raise FileFormatError(_("DBF 文件不完整"))
    count, header_length, record_length = struct.unpack("<IHH", content[4:12])
    fields: list[tuple[str, int]] = []
    position = 32
    while position < header_length - 1 and content[position] != 0x0D:
        descriptor = content[position : position + 32]
        if len(descriptor) < 32:
            raise FileFormatError(_("DBF 文件头损坏"))
        name = descriptor[:11].split(b"\x00", 1)[0].decode("ascii", "replace").strip().upper()
        fields.append((name, descriptor[16]))
        position += 32
    if not fields or record_length <= 1:
        raise FileFormatError(_("DBF 文件没有字段"))

    def rows() -> Iterator[list[Any]]:
        yield [name for name, _width in fields]
        offset = header_length
        for _record in range(count):
            record = content[offset : offset + record_length]
            offset += record_length
            if len(record) < record_length:
                break
            if record[:1] == b"*":  # deleted
                yield []
                continue
            values = []
            cursor = 1
            for _name, width in fields:
                raw = record[cursor : cursor + width]
                cursor += width
                try:
                    values.append(raw.decode(encoding).strip())
                except UnicodeDecodeError:
                    values.append(raw.decode(encoding, "replace").strip())
            yield values

    return rows()
