"""Malformed sheets give row errors, never a server error, and write nothing.

The generated-input tests run FUZZ_EXAMPLES examples each (a few dozen in ``make test``,
1,000 in ``make fuzz``).
"""

import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enrollment.imports import parse_admissions, parse_review_results
from enrollment.models import AdmissionRecord
from enrollment.services import admission_import
from tests.enrollment.builders import HEADER, admission_row, admission_sheet, xlsx_bytes
from tests.registrar.sheet_files import (
    bomb_xlsx,
    date_serial_xlsx,
    dbf_bytes,
    raw_xlsx,
    rows_xml,
    text_cell,
)

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
CHINESE = re.compile(r"[\u4e00-\u9fff]")

MUTATIONS = {
    "bad_date": lambda row: {**row, "CSRQ": "2007-02-30"},
    "wrong_check_digit": lambda row: {
        **row,
        "ZJHM": row["ZJHM"][:17] + ("0" if row["ZJHM"][17] != "0" else "1"),
    },
    "huge_string": lambda row: {**row, "XM": "长" * 5000},
    "formula": lambda row: {**row, "XM": '=HYPERLINK("http://x","y")'},
    "plus_formula": lambda row: {**row, "BZ": "+cmd|' /C calc'!A0"},
    "unknown_code": lambda row: {**row, "MZ": "火星族"},
    "missing_required": lambda row: {**row, "KSH": ""},
    "garbage_type": lambda row: {**row, "RXRQ": 3.14159},
}
# The column each mutation breaks: renaming that column's header would hide the mutation.
MUTATED_COLUMN = {
    "bad_date": "CSRQ",
    "wrong_check_digit": "ZJHM",
    "huge_string": "XM",
    "formula": "XM",
    "plus_formula": "BZ",
    "unknown_code": "MZ",
    "missing_required": "KSH",
    "garbage_type": "RXRQ",
}


@pytest.fixture
def unthrottled(settings):
    """Many uploads in one test: the per-user upload budget (registrar/ratelimit.py) is not under test here."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": "1000000/1s"}


@st.composite
def malformed_sheets(draw, major):
    count = draw(st.integers(min_value=1, max_value=6))
    rows = [admission_row(n, major) for n in range(1, count + 1)]
    # Each mutation at most once: wrong_check_digit applied twice to the same row can flip the
    # check digit back to the right one (found once the example count grew), leaving a valid sheet.
    bad = draw(st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=1, max_size=4, unique=True))
    targets = draw(
        st.lists(st.integers(min_value=0, max_value=count - 1), min_size=len(bad), max_size=len(bad))
    )
    for name, index in zip(bad, targets, strict=True):
        rows[index] = MUTATIONS[name](rows[index])
    header = list(HEADER)
    untouched = [i for i, name in enumerate(HEADER) if name not in {MUTATED_COLUMN[m] for m in bad}]
    if draw(st.booleans()):
        header[draw(st.sampled_from(untouched))] = draw(st.sampled_from(["???", "", "考 生号", "KSH"]))
    table = [header] + [[r.get(h, "") for h in HEADER] for r in rows]
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        table.insert(draw(st.integers(min_value=1, max_value=len(table))), [None] * len(header))
    return table


@pytest.mark.fuzz
@FUZZ
@given(data=st.data())
def test_malformed_admission_sheets_give_row_errors_and_write_nothing(data, registrar, term, major_a):
    table = data.draw(malformed_sheets(major_a))
    content = xlsx_bytes(table)
    result = admission_import(
        actor=registrar, year=2026, sheet=parse_admissions(content, "x.xlsx"), file_name="x.xlsx"
    )
    assert result.errors
    assert all(e.reason for e in result.errors)
    assert not AdmissionRecord.objects.exists()


@pytest.mark.fuzz
@FUZZ
@given(content=st.binary(max_size=2000), name=st.sampled_from(["a.xlsx", "a.dbf", "a.txt"]))
def test_arbitrary_bytes_are_a_file_error_not_a_crash(content, name):
    for parse in (parse_admissions, parse_review_results):
        assert parse(content, name).errors


@pytest.mark.fuzz
@FUZZ
@given(
    cells=st.lists(
        st.lists(
            st.one_of(
                st.none(),
                st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
                st.integers(),
                st.floats(allow_nan=False),
            ),
            min_size=1,
            max_size=18,
        ),
        min_size=1,
        max_size=8,
    )
)
def test_random_cells_under_platform_headers_never_crash_parsing(cells):
    sheet = parse_admissions(xlsx_bytes([HEADER, *cells]), "x.xlsx")
    assert isinstance(sheet.errors, list)


def test_error_sheet_survives_control_characters_in_the_upload():
    from registrar.sheets.tables import RowError, error_sheet

    assert error_sheet([["XM"], ["a\x1fb"]], [RowError(2, "姓名", "x")])


@pytest.mark.fuzz
@FUZZ
@given(data=st.data())
def test_malformed_sheets_through_the_api_are_400_never_500(
    data, client_for, registrar, term, major_a, unthrottled
):
    content = xlsx_bytes(data.draw(malformed_sheets(major_a)))
    response = client_for(registrar).post(
        "/api/enrollment/imports/", {"file": SimpleUploadedFile("x.xlsx", content), "year": 2026}
    )
    assert response.status_code == 400 and response.json()["errors"]
    assert not AdmissionRecord.objects.exists()


# ---------------------------------------------------------------- hostile files (issue 8, items 1-2)

COMMON = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾小明华国强伟芳娜敏静丽军"
HIDDEN = ["\x00", "\x01", "\x07", "\x1b", "\x7f", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\ufffd"]
HIDDEN += [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)]
MIXUPS = [("utf-8", "gbk"), ("gbk", "latin-1"), ("utf-8", "latin-1")]
VALID_REF = re.compile(r"^[A-Z]{1,3}[1-9][0-9]*$")
KINDS = [
    "far_ref",
    "date_serial",
    "bad_ref",
    "hidden_char",
    "mojibake",
    "bomb",
    "dbf_cut",
    "dbf_count",
    "damage",
]


def _table(rows: list[dict]) -> list[list]:
    return [HEADER, *[[r[h] for h in HEADER] for r in rows]]


def _dbf(rows: list[dict], **options) -> bytes:
    return dbf_bytes(HEADER, [[r[h] for h in HEADER] for r in rows], **options)


@st.composite
def hostile_files(draw, major):
    """(content, file name, must be refused): one of the probe's classes, with drawn details."""
    kind = draw(st.sampled_from(KINDS))
    rows = [admission_row(n, major) for n in range(1, draw(st.integers(1, 4)) + 1)]
    target = draw(st.integers(0, len(rows) - 1))
    as_dbf = draw(st.booleans())
    if kind == "far_ref":
        if draw(st.booleans()):
            letters = draw(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=4))
            ref = f"{letters}{draw(st.integers(1, 1_048_576))}"
        else:
            ref = f"{draw(st.sampled_from(['A', 'B', 'CV', 'XFD']))}{draw(st.integers(200_002, 10**12))}"
        row = "".join(ch for ch in ref if ch.isdigit())
        sheet = rows_xml(_table(rows)) + f'<row r="{row}">{text_cell(ref, "x")}</row>'
        dimension = f"A1:{ref}" if draw(st.booleans()) else None
        return raw_xlsx(sheet, dimension=dimension), "f.xlsx", True
    if kind == "date_serial":
        serial = draw(
            st.one_of(
                st.sampled_from(["-1e308", "1e308", "-1", "1e20", "-693594", "2958466", "1e-308"]),
                st.floats(allow_nan=False, allow_infinity=False)
                .filter(lambda f: not 39203 <= f < 39204)
                .map(repr),
            )
        )
        return date_serial_xlsx(serial, header=["KSH", "CSRQ"]), "d.xlsx", True
    if kind == "bad_ref":
        ref = draw(st.text("AZ09$!.-:_ ", min_size=1, max_size=12))
        sheet = rows_xml(_table(rows)) + f'<row r="99"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'
        return raw_xlsx(sheet), "r.xlsx", not VALID_REF.match(ref)
    if kind in ("hidden_char", "mojibake"):
        name = "".join(draw(st.lists(st.sampled_from(COMMON), min_size=2, max_size=4)))
        if kind == "hidden_char":
            at = draw(st.integers(0, len(name)))
            # GBK holds only the ASCII controls; the invisible Unicode characters come in xlsx.
            hidden = draw(st.sampled_from([c for c in HIDDEN if c < "\x80"] if as_dbf else HIDDEN))
            rows[target]["XM"] = name[:at] + hidden + name[at:]
        elif as_dbf:
            rows[target]["XM"] = name.encode("utf-8")  # UTF-8 typed into a GBK file
        else:
            written, read = draw(st.sampled_from(MIXUPS))
            rows[target]["XM"] = name.encode(written).decode(read, "replace")
        if as_dbf:
            return _dbf(rows), "m.dbf", True
        return raw_xlsx(rows_xml(_table(rows))), "m.xlsx", True
    if kind == "bomb":
        size = draw(st.sampled_from([300 << 20, 2 << 30]))
        return bomb_xlsx(size, declared=draw(st.sampled_from([None, 1000, 10 << 20]))), "b.xlsx", True
    if kind == "dbf_cut":
        cut = draw(st.integers(2, len(rows) * (1 + 30 * len(HEADER))))
        return _dbf(rows)[:-cut], "c.dbf", True
    if kind == "dbf_count":
        wrong = draw(st.integers(0, 10).filter(lambda n: n != len(rows)))
        return _dbf(rows, declared_count=wrong), "n.dbf", True
    content = bytearray(_dbf(rows) if as_dbf else admission_sheet(rows))
    # Positions drawn independently of the length: openpyxl stamps the time, so the length varies.
    for _ in range(draw(st.integers(1, 8))):
        content[draw(st.integers(0, 10**6)) % len(content)] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        content = content[: draw(st.integers(0, 10**6)) % (len(content) + 1)]
    return bytes(content), "x.dbf" if as_dbf else "x.xlsx", False


@pytest.mark.fuzz
@pytest.mark.rule("SEC-1")
@FUZZ
@given(data=st.data())
def test_hostile_files_are_refused_with_a_chinese_reason_and_write_nothing(data, registrar, term, major_a):
    content, name, must_refuse = data.draw(hostile_files(major_a))
    before = AdmissionRecord.objects.count()
    result = admission_import(
        actor=registrar, year=2026, sheet=parse_admissions(content, name), file_name=name
    )
    if must_refuse:
        assert result.errors
    if result.errors:
        assert all(CHINESE.search(e.reason) for e in result.errors), result.errors
        assert AdmissionRecord.objects.count() == before


@pytest.mark.fuzz
@pytest.mark.rule("SEC-1")
@FUZZ
@given(data=st.data())
def test_hostile_files_through_the_api_are_400_with_reasons_never_500(
    data, client_for, registrar, term, major_a, unthrottled
):
    content, name, must_refuse = data.draw(hostile_files(major_a))
    before = AdmissionRecord.objects.count()
    response = client_for(registrar).post(
        "/api/enrollment/imports/", {"file": SimpleUploadedFile(name, content), "year": 2026}
    )
    assert response.status_code in ((400,) if must_refuse else (200, 400))
    if response.status_code == 400:
        assert all(CHINESE.search(e["reason"]) for e in response.json()["errors"])
        assert AdmissionRecord.objects.count() == before
