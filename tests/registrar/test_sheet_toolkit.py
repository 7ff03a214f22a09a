"""The sheet toolkit's readers and cell checks (registrar/sheets): bounded, isolated, honest."""

import datetime
import multiprocessing
import os
import signal

import pytest
from openpyxl import Workbook

from registrar.sheets.cells import mojibake_original, parse_date, text_problem
from registrar.sheets.errors import FileFormatError, Unreadable
from registrar.sheets.isolation import diagnose, read_table
from registrar.sheets.limits import SheetLimits, dbf_header
from registrar.sheets.readers import read_dbf
from tests.registrar.sheet_files import dbf_bytes, far_cell_xlsx, raw_xlsx, rows_xml


def xlsx_of(rows: list[list]) -> bytes:
    import io

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def all_rows(content: bytes, name: str = "a.xlsx", **limits) -> list[list]:
    table = read_table(content, name, limits=SheetLimits(**limits))
    return list(table.rows)


@pytest.mark.rule("SEC-1")
def test_rows_come_back_from_the_child_with_their_types():
    rows = all_rows(xlsx_of([["KSH", "CSRQ", "XZ"], ["1", datetime.datetime(2007, 5, 1), 4]]))
    assert rows == [["KSH", "CSRQ", "XZ"], ["1", datetime.date(2007, 5, 1), 4.0]]


@pytest.mark.rule("SEC-1")
def test_formula_cells_are_found_in_the_child():
    content = raw_xlsx('<row r="1"><c r="A1" t="str"><f>1+1</f><v>2</v></c><c r="B1"><v>1</v></c></row>')
    assert read_table(content, "a.xlsx", limits=SheetLimits()).formula_cells == [(1, 0)]


@pytest.mark.rule("SEC-1")
def test_a_child_over_its_memory_limit_becomes_a_chinese_file_error_and_the_caller_survives():
    # 1,000 cells of 30,000 characters: the child holds at least 30 MB of text, whatever its heap had
    # free when it was forked (2,000 short cells could fit in that and passed under 16 MB now and then).
    content = xlsx_of([["KSH"], *[["x" * 30_000] for _ in range(1000)]])
    with pytest.raises(FileFormatError, match=r"内存或时间上限"):
        all_rows(content, child_memory_bytes=16 * 1024 * 1024)
    assert len(all_rows(content)) == 1001  # the next read is served as usual


@pytest.mark.rule("SEC-1")
def test_a_sheet_past_the_row_limit_is_refused_before_its_rows_are_sent():
    content = xlsx_of([["KSH"], *[[str(n)] for n in range(30)]])
    with pytest.raises(FileFormatError, match=r"超过20行|最多20行"):
        all_rows(content, rows=20)


@pytest.mark.rule("SEC-1")
def test_a_sheet_past_the_column_limit_is_refused():
    with pytest.raises(FileFormatError, match=r"超出范围|超过上限"):
        all_rows(xlsx_of([[str(n) for n in range(30)]]), columns=20)


@pytest.mark.rule("SEC-1")
def test_a_file_that_is_neither_xlsx_nor_dbf_is_refused_with_a_reason():
    with pytest.raises(FileFormatError, match="只接受"):
        read_table(b"name,id\n", "a.csv", limits=SheetLimits())


@pytest.mark.rule("SEC-3")
def test_a_dbf_with_bytes_after_its_last_record_is_refused():
    content = dbf_bytes(["XM"], [["王小明"]]) + b"extra records"
    with pytest.raises(Unreadable) as refused:
        dbf_header(content, SheetLimits())
    assert refused.value.code == "dbf_trailing"


@pytest.mark.rule("SEC-3")
def test_a_gbk_dbf_read_as_utf8_is_refused_not_garbled():
    content = dbf_bytes(["XM"], [["王小明"]], encoding="gbk")
    with pytest.raises(Unreadable) as refused:
        list(read_dbf(content, encoding="utf-8"))
    assert refused.value.params["found"] == "GBK"


@pytest.mark.rule("SEC-3")
def test_a_gbk_dbf_keeps_its_names_and_pads_nothing():
    content = dbf_bytes(["XM", "MZ"], [["阿依古丽·买买提", ""], ["王小明", b"\x00" * 30]])
    assert list(read_dbf(content)) == [["XM", "MZ"], ["阿依古丽·买买提", ""], ["王小明", ""]]


@pytest.mark.rule("SEC-3")
@pytest.mark.parametrize("name", ["王小明", "阿依古丽·买买提", "欧阳　娜娜", "Zoë", "王\ue000明"])
def test_legitimate_text_passes_the_text_check(name):
    assert text_problem(name) is None


@pytest.mark.rule("SEC-3")
def test_a_line_break_is_refused_in_a_name_and_kept_in_a_remark():
    assert "U+000A" in text_problem("王\n明")
    assert text_problem("第一行\n第二行", multiline=True) is None


@pytest.mark.rule("SEC-3")
@pytest.mark.parametrize("written,read", [("utf-8", "gbk"), ("gbk", "latin-1"), ("utf-8", "latin-1")])
def test_mojibake_is_recognised_and_the_original_named(written, read):
    garbled = "王小明明".encode(written).decode(read)
    assert mojibake_original(garbled) == "王小明明"
    assert "王小明明" in text_problem(garbled)


@pytest.mark.rule("ENR-7")
def test_an_excel_date_outside_1900_to_2100_is_refused():
    with pytest.raises(ValueError, match="范围"):
        parse_date(datetime.datetime(1, 1, 1))


def test_the_rows_limit_default_comes_from_the_settings(settings):
    settings.SHEET_MAX_ROWS = 123
    assert SheetLimits.from_settings().rows == 123


@pytest.mark.rule("SEC-1")
def test_text_cells_with_a_nul_come_back_for_the_cell_check_to_refuse():
    rows = all_rows(raw_xlsx(rows_xml([["XM"], ["a\x00b"]])))
    assert rows[1] == ["a\x00b"]


@pytest.mark.rule("SEC-1")
def test_a_child_that_died_on_a_far_cell_is_diagnosed_with_the_position():
    assert "1048576" in str(diagnose(far_cell_xlsx(dimension=False), "xlsx", SheetLimits()))
    assert "内存或时间上限" in str(diagnose(b"", "dbf", SheetLimits()))


@pytest.mark.rule("SEC-1")
def test_a_child_killed_while_its_rows_are_read_becomes_a_chinese_file_error():
    table = read_table(xlsx_of([[str(n)] for n in range(20_000)]), "a.xlsx", limits=SheetLimits())
    assert next(table.rows) == ["0"]
    for child in multiprocessing.active_children():
        os.kill(child.pid, signal.SIGKILL)
    with pytest.raises(FileFormatError, match=r"内存或时间上限"):
        list(table.rows)


@pytest.mark.rule("SEC-1")
def test_a_dbf_header_longer_than_the_file_is_refused_not_an_index_error():
    # Found by the generator (an IndexError, a 500): a damaged DBF whose header claims 545 bytes.
    content = b"\x00~\x01\x01\x01\x00\x00\x00!\x02\xe1\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00z\x00\x00KSH\x00\x00\x00\x00\x00\x00\x00\x00C\x00\x00\x00\x00\x1e\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    with pytest.raises(Unreadable):
        dbf_header(content, SheetLimits())


@pytest.mark.rule("SEC-3")
def test_mojibake_whose_last_byte_was_trimmed_away_is_still_recognised():
    # Found by the generator: UTF-8 张张 read as Latin-1 ends in a no-break space, which the
    # cell's strip() removes; the name was imported as "å¼\xa0å¼".
    garbled = "张张".encode().decode("latin-1").strip()
    assert "张" in text_problem(garbled)
