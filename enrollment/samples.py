"""Sample files for the demo school: what a province sends and what a college sends back.

``manage.py sample_files`` writes them to ``fixtures/``, where the demo, the
tests and a new user share them: a supplementary admission file of the current
intake as xlsx and as the platform's GBK DBF, and the computer college's review
sheet for the xlsx's freshmen. Rows are built from a fixed seed, so the files
only change when this module does. Parsing and writing go through the same
toolkit as every upload and export.
"""

from __future__ import annotations

import datetime
import io
import random
from pathlib import Path

from enrollment.imports import ADMISSION_COLUMNS, REVIEW_COLUMNS
from registrar.demo import COLLEGES
from registrar.idcard import make_id_number
from registrar.sheets.writers import dbf_write, xlsx

YEAR = 2026
ENTRY = datetime.date(2026, 9, 7)
# Regions of origin not used by the demo's own freshmen, so no id number repeats.
REGIONS = ["450102", "530102", "620102", "650102"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "子涵欣怡梓萱思雨浩然宇轩一诺雨桐可馨佳怡俊杰晨曦嘉懿明轩若汐沐宸诗涵博文"
# Names that real files carry and that every check must accept.
SPECIAL_NAMES = ["阿依古丽·买买提", "欧阳娜娜", "司马相如", "扎西顿珠"]
DBF_WIDTHS = {"KSH": 20, "XM": 50, "ZJHM": 30, "ZYMC": 60, "FY": 60, "BZ": 100}

# ASCII file names: they travel through zip files, containers and shells unharmed.
FILES = {
    "xlsx": f"admissions_{YEAR}_supplement.xlsx",  # 录取数据（补录）
    "dbf": f"admissions_{YEAR}_supplement_gbk.dbf",  # 录取数据（补录），学信网 DBF，GBK
    "review": f"review_{YEAR}_college_01.xlsx",  # 计算机学院审查结果表
}


def admission_rows(count: int, first: int, seed: int) -> list[list[str]]:
    """``count`` freshmen of the demo school's majors, in the platform's column order."""
    rng = random.Random(seed)
    majors = [(major, college) for _code, college, rows in COLLEGES for major in rows]
    rows = []
    for n in range(first, first + count):
        (code, major_name, level, years), college = majors[n % len(majors)]
        gender = rng.choice(("1", "2"))
        birth = datetime.date(YEAR - 18, rng.randint(1, 12), rng.randint(1, 28))
        region = REGIONS[n % len(REGIONS)]
        special = n - first < len(SPECIAL_NAMES)
        name = (
            SPECIAL_NAMES[n - first]
            if special
            else rng.choice(SURNAMES) + rng.choice(GIVEN) * rng.choice((1, 2))
        )
        rows.append(
            [
                f"{YEAR % 100:02d}{region}{n:06d}",
                name,
                gender,
                f"{birth:%Y%m%d}",
                "1",
                make_id_number(region, birth, n % 999, gender),
                "05" if n - first == 0 else rng.choice(["01"] * 8 + ["03", "08"]),
                rng.choice(["03", "03", "13"]),
                code,
                major_name,
                level,
                years,
                "1",
                f"{ENTRY:%Y%m%d}",
                college,
                rng.choice(["01"] * 10 + ["02", "03"]),
                "补录",
            ]
        )
    return rows


def admission_xlsx() -> bytes:
    return xlsx([c.platform for c in ADMISSION_COLUMNS], admission_rows(60, 5000, seed=5000), "录取数据")


def admission_dbf() -> bytes:
    out = io.BytesIO()
    fields = [(c.platform, DBF_WIDTHS.get(c.platform, 20)) for c in ADMISSION_COLUMNS]
    dbf_write(out, fields, admission_rows(40, 6000, seed=6000), today=ENTRY)
    return out.getvalue()


def review_xlsx() -> bytes:
    """The computer college's review sheet for the xlsx's freshmen, one of each outcome among them."""
    rows = [row for row in admission_rows(60, 5000, seed=5000) if row[14] == "计算机学院"]
    outcomes = ["报到入学"] * len(rows)
    reasons = [""] * len(rows)
    ends = [""] * len(rows)
    outcomes[1], reasons[1] = "放弃入学资格", "本人书面申请放弃"
    outcomes[2], reasons[2], ends[2] = "保留入学资格", "应征入伍", f"{YEAR + 2}-08-31"
    outcomes[3], reasons[3] = "取消入学资格", "复查发现材料与本人不符"
    return xlsx(
        [c.label for c in REVIEW_COLUMNS],
        (
            [row[0], row[1], outcome, end, reason]
            for row, outcome, end, reason in zip(rows, outcomes, ends, reasons, strict=True)
        ),
        "审查结果",
    )


def write_sample_files(directory: Path) -> list[Path]:
    """Write every sample file into ``directory``; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for key, build in (("xlsx", admission_xlsx), ("dbf", admission_dbf), ("review", review_xlsx)):
        path = directory / FILES[key]
        path.write_bytes(build())
        written.append(path)
    return written
