"""The sheet toolkit's writers: every export cell escaped, xlsx streamed, DBF files the platform reads."""

import datetime
import io

import dbf
import pytest
from python_calamine import CalamineWorkbook

from registrar.sheets.writers import dbf_write, escape, xlsx


def read_back(content: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_formulas_and_control_characters_never_reach_a_sheet():
    assert [escape(v) for v in ["=1+1", "@SUM(A1)", "-1", "\tx", "王\x07小明", "a\x00b", 7]] == [
        "'=1+1",
        "'@SUM(A1)",
        "'-1",
        "'\tx",
        "王小明",
        "ab",
        7,
    ]


def test_an_xlsx_export_reads_back_as_written_with_text_kept_as_text():
    content = xlsx(
        ["姓名", "日期", "人数"], [["=HYPERLINK(1)", datetime.date(2026, 9, 1), 3], ["00123", None, 0]]
    )
    header, first, second = read_back(content)
    assert header == ["姓名", "日期", "人数"]
    assert first[0] == "'=HYPERLINK(1)" and first[1] == datetime.date(2026, 9, 1) and first[2] == 3
    assert second[0] == "00123"


def test_an_aware_time_is_written_in_the_school_s_time_zone():
    moment = datetime.datetime(2026, 9, 1, 1, 30, tzinfo=datetime.UTC)
    (_header, (value,)) = read_back(xlsx(["时间"], [[moment]]))
    assert value == datetime.datetime(2026, 9, 1, 9, 30)


def test_a_dbf_file_is_read_by_the_dbf_library_with_gbk_names_and_its_record_count(tmp_path):
    out = io.BytesIO()
    count = dbf_write(out, [("XM", 8), ("XH", 4)], [["王小明", "0001"], ["欧阳娜娜娜", "0002"], ["", "0003"]])
    path = tmp_path / "x.dbf"
    path.write_bytes(out.getvalue())
    with dbf.Table(str(path)) as table:
        rows = [(record.XM.strip(), record.XH.strip()) for record in table]
    assert count == 3
    # 欧阳娜娜娜 is 10 GBK bytes: cut to 8, never inside a character.
    assert rows == [("王小明", "0001"), ("欧阳娜娜", "0002"), ("", "0003")]


def test_a_dbf_value_gbk_cannot_hold_is_the_caller_s_to_resolve():
    with pytest.raises(UnicodeEncodeError):
        dbf_write(io.BytesIO(), [("XM", 8)], [["王𠮷"]])
