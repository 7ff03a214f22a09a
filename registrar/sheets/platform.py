"""The national platform's DBF files are GBK: what to do with a character GBK lacks (a rare one such as 𠮷).

Every platform file (学籍注册, 学年注册, 学籍异动 …) names the rows that hold such
characters before the registrar exports (``GbkProblem``), and writes them as the
registrar chose (``RareCharacters``): "?" in their place, or held back.
``PlatformFile`` is what every such file shares: its layout, xlsx and DBF.
"""

from __future__ import annotations

import datetime
import functools
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from registrar.sheets.writers import dbf_write, escape, xlsx

GBK_REPLACEMENT = "?"

Layout = tuple[tuple[str, str, int], ...]

# The columns several of the platform's files share: column name → (Chinese header, DBF width).
PLATFORM_COLUMNS: dict[str, tuple[str, int]] = {
    "KSH": ("考生号", 20),
    "XH": ("学号", 20),
    "XM": ("姓名", 50),
    "XB": ("性别", 10),
    "CSRQ": ("出生日期", 8),
    "ZJLX": ("证件类型", 20),
    "ZJHM": ("证件号码", 30),
    "ZZMM": ("政治面貌", 20),
    "MZ": ("民族", 20),
    "ZYDM": ("专业代码", 20),
    "ZYMC": ("专业名称", 60),
    "FY": ("院系", 60),
    "XSH": ("院系代码", 20),
    "BH": ("班号", 50),
    "CC": ("层次", 20),
    "XXXS": ("学习形式", 20),
    "XZ": ("学制", 4),
    "RXRQ": ("入学日期", 8),
    "YJBYRQ": ("预计毕业日期", 8),
    "BZ": ("备注", 100),
}


def platform_layout(*columns: str | tuple[str, str, int], **widths: int) -> Layout:
    """A file's layout in its order: a shared column by its name (a width given by name overrides the
    shared one), a column of this file alone as (name, Chinese header, DBF width)."""
    layout = []
    for column in columns:
        if isinstance(column, tuple):
            layout.append(column)
        else:
            header, width = PLATFORM_COLUMNS[column]
            layout.append((column, header, widths.pop(column, width)))
    if widths:
        raise ValueError(f"widths for columns not in the layout: {sorted(widths)}")
    return tuple(layout)


@functools.lru_cache(maxsize=4096)  # a file repeats a few entry dates and programme lengths on every row
def expected_graduation(entry: datetime.date | None, program_years: Decimal | None) -> datetime.date | None:
    """预计毕业日期 (YJBYRQ) when the record has none: entry date plus 学制, at the end of that term.

    A programme that ends in the autumn term (entry in September, whole years) ends on
    30 June; one that ends in the spring (2.5 years from September, or whole years from
    March) on 31 January; the same convention as the students' own dates (registrar.demo).
    """
    if entry is None or not program_years:
        return None
    months = entry.month + round(Decimal(program_years) * 12) - 1
    year, month = entry.year + months // 12, months % 12 + 1
    return datetime.date(year, 6, 30) if month >= 7 else datetime.date(year, 1, 31)


class RareCharacters(models.TextChoices):
    """What the DBF file does with a row holding characters GBK lacks (the registrar's choice)."""

    REPLACE = "replace", gettext_lazy("以“?”代替这些字符，照常导出")
    HOLD = "hold", gettext_lazy("暂不导出这些学生，其余照常导出")


@dataclass(frozen=True)
class GbkProblem:
    """One value of the registration file that GBK cannot hold: whose, which column, which characters."""

    exam_number: str
    name: str
    column: str
    characters: str

    @property
    def code_points(self) -> str:
        """The characters by their Unicode code points, for a screen whose font lacks them."""
        return " ".join(f"U+{ord(char):04X}" for char in self.characters)


def gbk_missing(text: str) -> str:
    """The characters of ``text`` that GBK cannot encode, each once, in order."""
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        pass
    else:
        return ""
    missing = ""
    for char in text:
        if char not in missing:
            try:
                char.encode("gbk")
            except UnicodeEncodeError:
                missing += char
    return missing


def dbf_values(row: list[str], rare: RareCharacters) -> list[str] | None:
    """A row's values as the DBF file holds them, or ``None`` when the registrar holds such rows back."""
    values = [escape(value) for value in row]
    try:
        "".join(values).encode("gbk")
    except UnicodeEncodeError:
        if rare == RareCharacters.HOLD:
            return None
        for index, value in enumerate(values):
            for char in gbk_missing(value):
                values[index] = values[index].replace(char, GBK_REPLACEMENT)
    return values


@dataclass(frozen=True)
class PlatformFile:
    """One of the platform's files: its layout (column name, Chinese header, DBF width) and its rows.

    ``rows(queryset, full_id_number=...)`` streams lists of text in the layout's order;
    ``number`` and ``name`` are the places of the 学号 (or 考生号) and the name, which
    the registrar's list of rare characters shows.
    """

    layout: Layout
    title: str
    rows: Callable[..., Iterator[list[str]]]
    number: int = 1
    name: int = 2

    def xlsx(self, queryset: QuerySet, *, full_id_number: bool = True) -> bytes:
        """The file as xlsx: the platform's column names as the header; UTF-8 keeps every character."""
        return xlsx(
            [n for n, _label, _width in self.layout],
            self.rows(queryset, full_id_number=full_id_number),
            self.title,
        )

    def gbk_problems(self, queryset: QuerySet) -> list[GbkProblem]:
        """Every value GBK cannot hold, by student and column: what the registrar chooses about (DBF)."""
        problems = []
        for row in self.rows(queryset, full_id_number=False):
            for value, (_name, label, _width) in zip(row, self.layout, strict=True):
                missing = gbk_missing(value or "")
                if missing:
                    problems.append(GbkProblem(row[self.number] or row[0], row[self.name], label, missing))
        return problems

    def dbf(
        self,
        queryset: QuerySet,
        *,
        rare: RareCharacters = RareCharacters.REPLACE,
        full_id_number: bool = True,
    ) -> bytes:
        """The file as DBF (GBK): fixed column names and widths; never fails on a character."""
        rows = (dbf_values(row, rare) for row in self.rows(queryset, full_id_number=full_id_number))
        out = io.BytesIO()
        dbf_write(
            out, [(n, width) for n, _label, width in self.layout], (row for row in rows if row is not None)
        )
        return out.getvalue()
