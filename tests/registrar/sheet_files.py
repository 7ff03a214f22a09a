"""Hand-built malformed files for the reader tests: xlsx parts written as XML, DBF bytes by hand.

openpyxl and the dbf package refuse to write most of these, which is the point: the files come
from the probe of issue 8 (a cell at XFD1048576, a NUL in a cell, a date serial of -1e308, a
nonsense cell reference, a text bomb, a truncated DBF, UTF-8 in a GBK DBF).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from xml.sax.saxutils import escape

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
# Style 1 is a date (number format 14), so that a number in it is read as a date.
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" xfId="0"/><xf numFmtId="14" xfId="0" applyNumberFormat="1"/></cellXfs>'
    "</styleSheet>"
)


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def rows_xml(table: list[list[object]]) -> str:
    """Rows of inline-string cells (None leaves the cell out)."""
    out = []
    for number, row in enumerate(table, start=1):
        cells = "".join(
            text_cell(f"{column_letters(index)}{number}", str(value))
            for index, value in enumerate(row, start=1)
            if value is not None
        )
        out.append(f'<row r="{number}">{cells}</row>')
    return "".join(out)


def raw_xlsx(
    sheet_data: str,
    *,
    dimension: str | None = None,
    extra_parts: dict[str, bytes] | None = None,
    sheet_bytes: bytes | None = None,
) -> bytes:
    """An xlsx whose first sheet's ``<sheetData>`` is ``sheet_data``, exactly as given."""
    dimension_xml = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        sheet_bytes
        or (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"{dimension_xml}<sheetData>{sheet_data}</sheetData></worksheet>"
        ).encode()
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", STYLES)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra_parts or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def far_cell_xlsx(ref: str = "XFD1048576", *, dimension: bool = True) -> bytes:
    """The 2 KB file of the probe: A1 and one cell at ``ref``; python-calamine allocates the
    whole range between them (512 GB for XFD1048576) and aborts the process."""
    row = "".join(ch for ch in ref if ch.isdigit())
    data = f'<row r="1">{text_cell("A1", "KSH")}</row><row r="{row}">{text_cell(ref, "x")}</row>'
    return raw_xlsx(data, dimension=f"A1:{ref}" if dimension else None)


def date_serial_xlsx(serial: str = "-1e308", header: list[str] | None = None) -> bytes:
    """A date-formatted cell holding ``serial``: python-calamine panics converting it."""
    head = rows_xml([header or ["KSH", "CSRQ"]])
    return raw_xlsx(
        head
        + f'<row r="2"><c r="A2" t="inlineStr"><is><t>1</t></is></c><c r="B2" s="1"><v>{serial}</v></c></row>'
    )


def bomb_xlsx(size: int, *, declared: int | None = None) -> bytes:
    """A sheet whose one shared text inflates to ``size`` bytes, optionally declaring another size.

    The deflate stream is built from one flushed megabyte repeated, so a 2 GB bomb costs
    a few milliseconds to build; with ``declared`` the zip directory lies about the size.
    """
    piece_size = 1 << 20
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = compressor.compress(b"A" * piece_size) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = max(1, size // piece_size)
    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
    stream = zlib.compressobj(9, zlib.DEFLATED, -15)
    prefix = stream.compress(head) + stream.flush(zlib.Z_FULL_FLUSH)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    suffix = tail.compress(b"</t></is></c></row></sheetData></worksheet>") + tail.flush()
    data = prefix + piece * count + suffix
    real = len(head) + count * piece_size + len(b"</t></is></c></row></sheetData></worksheet>")
    base = raw_xlsx("")
    return _replace_part(base, "xl/worksheets/sheet1.xml", data, declared if declared is not None else real)


def _replace_part(content: bytes, name: str, deflated: bytes, size: int) -> bytes:
    """``content`` with part ``name`` replaced by raw deflate data declaring ``size`` (CRC left 0)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    central = []
    for info in source.infolist():
        if info.filename == name:
            payload, crc, usize = deflated, 0, size
        else:
            payload = source.open(info).read()
            crc = zlib.crc32(payload)
            usize = len(payload)
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            payload = compressor.compress(payload) + compressor.flush()
        encoded = info.filename.encode()
        offset = out.tell()
        out.write(
            struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(payload), usize, len(encoded), 0)
        )
        out.write(encoded)
        out.write(payload)
        central.append((encoded, crc, len(payload), usize, offset))
    start = out.tell()
    for encoded, crc, csize, usize, offset in central:
        out.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0,
                crc,
                csize,
                usize,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
        )
        out.write(encoded)
    end = out.tell()
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), end - start, start, 0))
    return out.getvalue()


def dbf_bytes(
    header: list[str],
    rows: list[list[bytes | str]],
    *,
    width: int = 30,
    encoding: str = "gbk",
    declared_count: int | None = None,
    cut: int = 0,
) -> bytes:
    """A dBase III file of character fields; ``declared_count`` and ``cut`` make it lie or end early."""
    fields = b"".join(
        name.encode("ascii").ljust(11, b"\x00") + b"C" + b"\x00" * 4 + bytes([width, 0]) + b"\x00" * 14
        for name in header
    )
    header_length = 32 + len(fields) + 1
    record_length = 1 + width * len(header)
    count = len(rows) if declared_count is None else declared_count
    head = struct.pack("<BBBBIHH20x", 3, 126, 1, 1, count, header_length, record_length)
    head = head[:29] + b"\x7a" + head[30:]  # language driver: GBK
    records = b"".join(
        b" "
        + b"".join(
            (cell if isinstance(cell, bytes) else cell.encode(encoding)).ljust(width, b" ")[:width]
            for cell in row
        )
        for row in rows
    )
    content = head + fields + b"\x0d" + records + b"\x1a"
    return content[: len(content) - cut] if cut else content
