"""JPEG by its bytes: the size a file declares, read without decoding it; and a small writer for demo photos.

``jpeg_size`` walks the marker segments from SOI to the frame header (SOF) and
checks that the file ends with EOI: it never decodes pixels, so a hostile file
costs no more than its length (DIP-9's checks of the agency's photos). The
writer makes baseline JPEGs of flat 8×8 blocks (a portrait in outline), enough
for the demo and the tests; Pillow is not a dependency.
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Callable

SOI, EOI, SOS = b"\xff\xd8", b"\xff\xd9", 0xDA
# Frame headers: SOF0-SOF15 but DHT (C4), JPG (C8) and DAC (CC).
SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
STANDALONE = frozenset(range(0xD0, 0xD8)) | {0x01}


class NotJpeg(ValueError):
    """The bytes are not a whole JPEG file; the message says why (English: the caller words it for users)."""


def jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) from the frame header; ``NotJpeg`` when the file is no whole JPEG."""
    if not data.startswith(SOI):
        raise NotJpeg("no SOI")
    if not data.rstrip(b"\x00").endswith(EOI):
        raise NotJpeg("no EOI (truncated)")
    position, size = 2, None
    end = len(data)
    while position < end:
        if data[position] != 0xFF:
            raise NotJpeg("bad marker")
        while position < end and data[position] == 0xFF:  # fill bytes
            position += 1
        if position >= end:
            break
        marker = data[position]
        position += 1
        if marker in STANDALONE:
            continue
        if position + 2 > end:
            raise NotJpeg("truncated segment")
        (length,) = struct.unpack_from(">H", data, position)
        if length < 2 or position + length > end:
            raise NotJpeg("bad segment length")
        if marker in SOF_MARKERS:
            if length < 8:
                raise NotJpeg("short frame header")
            height, width = struct.unpack_from(">HH", data, position + 3)
            size = (width, height)
        if marker == SOS:
            break
        position += length
    if size is None or 0 in size:
        raise NotJpeg("no frame header")
    return size


# ---------------------------------------------------------------- writing (demo and tests)

Colour = tuple[int, int, int]  # Y, Cb, Cr, each 0-255
# Standard DC tables (ITU T.81 K.3); the AC table holds only EOB: every block is flat.
DC_LUMA = ((0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0), tuple(range(12)))
DC_CHROMA = ((0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0), tuple(range(12)))
AC_EOB_ONLY = ((1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), (0,))


def _codes(table: tuple[tuple[int, ...], tuple[int, ...]]) -> dict[int, tuple[int, int]]:
    bits, values = table
    codes, code, index = {}, 0, 0
    for length, count in enumerate(bits, start=1):
        for _i in range(count):
            codes[values[index]] = (code, length)
            code, index = code + 1, index + 1
        code <<= 1
    return codes


class _Bits:
    """Entropy-coded bits, MSB first; a 0xFF byte is followed by a stuffed 0x00 (T.81 F.1.2.3)."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def put(self, value: int, length: int) -> None:
        self.parts.append(_bit_text(value, length))

    def flush(self) -> bytes:
        text = "".join(self.parts)
        text += "1" * (-len(text) % 8)  # pad the last byte with 1 bits
        if not text:
            return b""
        return int(text, 2).to_bytes(len(text) // 8, "big").replace(b"\xff", b"\xff\x00")


@functools.lru_cache(maxsize=4096)
def _bit_text(value: int, length: int) -> str:
    return format(value & ((1 << length) - 1), f"0{length}b") if length else ""


def _segment(marker: int, body: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(body) + 2) + body


def _table(kind: int, table: tuple[tuple[int, ...], tuple[int, ...]]) -> bytes:
    return bytes((kind,)) + bytes(table[0]) + bytes(table[1])


def flat_block_jpeg(width: int, height: int, colour_at: Callable[[int, int], Colour]) -> bytes:
    """A baseline JPEG whose 8×8 blocks are flat: ``colour_at(block_x, block_y)`` gives each block's YCbCr."""
    quant = bytes((0,)) + bytes([8] + [1] * 63)  # DC step 8: a flat block's DC is 8 × (value - 128)
    header = (
        SOI
        + _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + _segment(0xDB, quant)
        + _segment(0xC0, struct.pack(">BHHB", 8, height, width, 3) + b"\x01\x11\x00\x02\x11\x00\x03\x11\x00")
        + _segment(0xC4, _table(0x00, DC_LUMA) + _table(0x01, DC_CHROMA))
        + _segment(0xC4, _table(0x10, AC_EOB_ONLY))
        + _segment(0xDA, b"\x03\x01\x00\x02\x10\x03\x10\x00\x3f\x00")
    )
    dc = (_codes(DC_LUMA), _codes(DC_CHROMA), _codes(DC_CHROMA))
    eob = _codes(AC_EOB_ONLY)[0]
    bits, previous = _Bits(), [0, 0, 0]
    put = bits.put
    for block_y in range((height + 7) // 8):
        for block_x in range((width + 7) // 8):
            for component, value in enumerate(colour_at(block_x, block_y)):
                level = value - 128
                diff, previous[component] = level - previous[component], level
                category = abs(diff).bit_length()
                put(*dc[component][category])
                if category:
                    put(diff if diff > 0 else diff + (1 << category) - 1, category)
                put(*eob)
    return header + bits.flush() + EOI


def portrait_jpeg(width: int = 480, height: int = 640, *, tone: int = 0) -> bytes:
    """A passport-style portrait in outline (blue ground, face, shoulders): ``tone`` varies it per person.

    The colours repeat every 120 tones, so a demo of a few hundred graduates draws each portrait once.
    """
    return _portrait(width, height, tone % 120)


@functools.lru_cache(maxsize=128)
def _portrait(width: int, height: int, tone: int) -> bytes:
    columns, rows = (width + 7) // 8, (height + 7) // 8
    centre_x, head_y = columns / 2, rows * 0.38
    radius_x, radius_y = columns * 0.2, rows * 0.2
    ground: Colour = (110, 170, 110)
    face: Colour = (min(255, 175 + tone % 40), 110, 150)
    hair: Colour = (40 + tone % 30, 128, 128)
    clothes: Colour = (50, 140 + tone % 20, 120)

    def colour_at(x: int, y: int) -> Colour:
        dx, dy = (x + 0.5 - centre_x) / radius_x, (y + 0.5 - head_y) / radius_y
        if dx * dx + dy * dy <= 1:
            return hair if dy < -0.55 else face
        if y > rows * 0.62 and abs(x + 0.5 - centre_x) < columns * (0.2 + (y - rows * 0.62) / rows):
            return clothes
        return ground

    return flat_block_jpeg(width, height, colour_at)
