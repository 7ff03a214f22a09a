"""The national platform's DBF files are GBK: what to do with a character GBK lacks (a rare one such as 𠮷).

Every platform file (学籍注册, 学年注册, 学籍异动 …) names the rows that hold such
characters before the registrar exports (``GbkProblem``), and writes them as the
registrar chose (``RareCharacters``): "?" in their place, or held back.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy

from registrar.sheets.writers import escape

GBK_REPLACEMENT = "?"


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
