"""Generic cell checks of any uploaded sheet: text that hides or garbles something, dates, code tables.

Reasons are in the active language; the caller adds the row and the column.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from typing import Any

from django.utils.translation import gettext as _

# ---------------------------------------------------------------- text


def cell_text(value: Any) -> str:
    """A cell as text: integers without ".0", dates as YYYY-MM-DD, stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


# Invisible characters that change how text reads or compares: bidi embeddings and overrides,
# isolates, zero-width characters and the byte-order mark (all Unicode category Cf).
INVISIBLE_NAMES = {
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER",
    "\ufeff": "BOM",
    "\u202a": "LRE",
    "\u202b": "RLE",
    "\u202c": "PDF",
    "\u202d": "LRO",
    "\u202e": "RLO",
    "\u2066": "LRI",
    "\u2067": "RLI",
    "\u2068": "FSI",
    "\u2069": "PDI",
}
MULTILINE_ALLOWED = frozenset("\n\t")


def text_problem(text: str, *, multiline: bool = False, garbled: bool = True) -> str | None:
    """Why a text cell cannot be stored as it is, or None (SEC-3).

    Refused: NUL and other control characters (a line break only where ``multiline``), format
    characters such as right-to-left overrides, zero-width characters and the BOM, unpaired
    surrogates, U+FFFD (bytes lost in decoding) and text that reads like mojibake (UTF-8 read
    as GBK or the reverse). Full-width spaces, the middle dot (阿依古丽·买买提) and private-use
    characters (rare characters in names) are kept. ``garbled=False`` skips the mojibake check,
    for columns whose own check refuses such text anyway (codes, numbers).
    """
    if text.isascii():
        if text.isprintable():
            return None
        return _control_problem(text, multiline)
    if _passes(text, multiline, garbled):
        return None
    # Garbled first: UTF-8 read as Latin-1 is full of C1 controls, and the original is the better hint.
    problem = _garbled_problem(text) if garbled else None
    return problem or (None if text.isprintable() else _control_problem(text, multiline))


@functools.lru_cache(maxsize=4096)
def _passes(text: str, multiline: bool, garbled: bool) -> bool:
    """Whether non-ASCII text has none of the problems above. Only this verdict is cached (a sheet
    repeats its majors and colleges on every row), never a reason: those are in the active language."""
    if garbled and ("\ufffd" in text or mojibake_original(text) is not None):
        return False
    return text.isprintable() or _control_problem(text, multiline) is None


def _control_problem(text: str, multiline: bool) -> str | None:
    for position, char in enumerate(text, start=1):
        category = unicodedata.category(char)
        if char == "\x00":
            return _("第%(position)s个字符是空字符（NUL），请删除") % {"position": position}
        if category == "Cc":
            if multiline and char in MULTILINE_ALLOWED:
                continue
            return _("第%(position)s个字符是控制字符（U+%(code)04X），请删除") % {
                "position": position,
                "code": ord(char),
            }
        if category in ("Cf", "Zl", "Zp"):
            name = INVISIBLE_NAMES.get(char) or unicodedata.name(char, "")
            return _("第%(position)s个字符是不可见的格式字符（U+%(code)04X %(name)s），请删除") % {
                "position": position,
                "code": ord(char),
                "name": name,
            }
        if category == "Cs":
            return _("含有无效的字符（U+%(code)04X），文件编码可能有误") % {"code": ord(char)}
    return None


def _garbled_problem(text: str) -> str | None:
    if "\ufffd" in text:
        return _("含有无法识别的字符（U+FFFD），文件编码可能有误，请按 GBK 或 UTF-8 另存后重试")
    original = mojibake_original(text)
    if original is not None:
        return _("疑似乱码（文件编码有误），原文可能是“%(text)s”；请检查文件编码后重试") % {
            "text": original[:20]
        }
    return None


CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
NOT_CHINESE = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u00b7\u30fb\u3000 0-9A-Za-z()（）\-]")


def looks_chinese(text: str) -> bool:
    """Text made of Chinese characters (and digits, Latin letters, the middle dot): a name's shape."""
    return CJK.search(text) is not None and NOT_CHINESE.search(text) is None


def _common_chinese(text: str) -> bool:
    """Chinese text of the common characters (GB2312): what a garbled name was before."""
    try:
        text.replace("\u00b7", "").encode("gb2312")
    except UnicodeEncodeError:
        return False
    return looks_chinese(text)


# Ways text gets garbled: bytes written in the first encoding were read in the second.
MIXUPS = (("utf-8", "gbk"), ("utf-8", "latin-1"), ("utf-8", "cp1252"), ("gbk", "latin-1"), ("gbk", "cp1252"))


def mojibake_original(text: str) -> str | None:
    """The Chinese text this looks like mojibake of, or None.

    王小明 written in UTF-8 and read as GBK becomes 鐜嬪皬鏄庢槑-like text: encoding it back to GBK
    and reading the bytes as UTF-8 gives Chinese again, and fewer characters. A real name
    encoded to GBK is almost never valid UTF-8 that reads as Chinese.
    """
    # Text with Chinese characters can only be UTF-8 read as GBK; the single-byte mix-ups
    # make Latin letters. A cheap look at the bytes first: most names are not garbled.
    for written, read in MIXUPS[:1] if CJK.search(text) else MIXUPS:
        try:
            raw = text.encode(read)
        except UnicodeEncodeError:
            continue
        if written == "utf-8" and UTF8_CHINESE.search(raw) is None:
            continue
        # Read as single bytes, a broken end is dropped: trimming the cell may have cut the
        # last garbled character (UTF-8 张 read as Latin-1 ends in a no-break space).
        errors = "strict" if read == "gbk" else "ignore"
        try:
            original = raw.decode(written, errors)
        except UnicodeDecodeError:
            continue
        if original and original != text and len(original) < len(text) and _common_chinese(original):
            return original
    return None


# A Chinese character in UTF-8: three bytes, the first E3-E9.
UTF8_CHINESE = re.compile(rb"[\xe3-\xe9][\x80-\xbf][\x80-\xbf]")


# ---------------------------------------------------------------- dates

DATE_PATTERNS = (
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"),
)
MONTH_PATTERNS = (re.compile(r"^(\d{4})(\d{2})$"), re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$"))


def parse_date(value: Any, *, month_ok: bool = False) -> datetime.date:
    """A date cell: an Excel date, YYYYMMDD, YYYY-MM-DD, YYYY/MM/DD, or (when ``month_ok``) YYYYMM.

    Dates outside 1900-2100 are refused, whatever their form.
    """
    if value.__class__ is str:  # the usual cell: straight to the (cached) text parse
        return _date_from_text(value.strip(), month_ok)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        if not 1900 <= value.year <= 2100:
            raise ValueError(_("日期超出合理范围"))
        return value
    if isinstance(value, (datetime.time, datetime.timedelta)):
        raise ValueError(_("日期格式应为YYYYMMDD或YYYY-MM-DD"))
    return _date_from_text(cell_text(value), month_ok)


@functools.lru_cache(maxsize=8192)
def _date_from_text(text: str, month_ok: bool) -> datetime.date:
    """Dates repeat across a sheet (birthdays, the entry date): each distinct text is parsed once."""
    if len(text) == 8 and text.isdigit():
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    else:
        for pattern in DATE_PATTERNS:
            match = pattern.match(text)
            if match:
                year, month, day = (int(g) for g in match.groups())
                break
        else:
            match = None
            if month_ok:
                for pattern in MONTH_PATTERNS:
                    match = pattern.match(text)
                    if match:
                        break
            if not match:
                raise ValueError(_("日期格式应为YYYYMMDD或YYYY-MM-DD"))
            year, month, day = int(match.group(1)), int(match.group(2)), 1
    if not 1900 <= year <= 2100:
        raise ValueError(_("日期超出合理范围"))
    try:
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise ValueError(_("日期不存在")) from exc


# ---------------------------------------------------------------- code tables


def code_table(choices, label: Any, *, pad: bool = False, names: dict[str, str] | None = None):
    """A check that accepts a code or its Chinese name (and ``names``); one dict lookup per cell.

    ``label`` names the code table in messages (lazy: read in the active language); ``pad``
    also accepts codes without their leading zeros ("1" for "01").
    """
    from registrar import codes

    table = {code: code for code in choices.values}
    # The names in uploaded files are Chinese whatever the page's language (labels are lazy).
    table.update(codes.codes_by_chinese_name(choices))
    table.update(names or {})
    if pad:
        table.update({code.lstrip("0"): code for code in choices.values if code.lstrip("0")})

    def check(text: str, value: Any) -> str:
        code = table.get(text)
        if code is None:
            raise ValueError(
                _("“%(value)s”不是有效的%(table)s代码或名称") % {"value": text[:20], "table": label}
            )
        return code

    return check


def plain(text: str, value: Any) -> str:
    """A free-text cell, as it is (after the generic checks)."""
    return text


STUDENT_NUMBER = re.compile(r"^[0-9A-Za-z]{1,20}$")


def student_number(text: str, value: Any) -> str:
    """A 学号 cell: up to 20 ASCII digits or letters (every list keyed by 学号 checks it so)."""
    if not STUDENT_NUMBER.match(text):
        raise ValueError(_("学号应为不超过20位的数字或字母"))
    return text
