"""Benchmark: the national platform's registration file for 100,000 registered records (make bench).

Records are written with one INSERT … SELECT (as the deadline benchmark does),
names in Chinese. Printed: rows/s of the xlsx and the DBF export, each next to
its yardstick (XlsxWriter writing the same plain rows in constant-memory mode;
encoding the same rows to GBK), and the peak of Python memory (tracemalloc)
during each export at 10,000 and at 100,000 rows: a flat peak shows the
writers stream. Targets (issue: one engine): xlsx ≥ 8,000 rows/s, DBF ≥ 20,000
rows/s. Nothing about time is asserted.
"""

from __future__ import annotations

import io

import pytest
import xlsxwriter

from benchmarks.figures import figure, timed
from benchmarks.test_bench_deadlines import COLUMNS, insert_records, school_setup
from enrollment import exports
from enrollment.models import AdmissionRecord
from registrar.sheets.writers import XLSX_OPTIONS

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db]


def yardstick_xlsx(rows: list[list[str]]) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, XLSX_OPTIONS)
    sheet = workbook.add_worksheet()
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    workbook.close()
    return out.getvalue()


def gbk_encoded(rows: list[list[str]]) -> list[list[bytes]]:
    return [[value.encode("gbk") for value in row] for row in rows]


@pytest.mark.parametrize("count", [10_000, 100_000])
def test_bench_registration_file(count: int, monkeypatch):
    monkeypatch.setitem(COLUMNS, "name", "'王小明' || i")
    monkeypatch.setitem(COLUMNS, "remark", "'定向'")
    terms, majors = school_setup()
    insert_records(1, count, terms, majors)
    records = AdmissionRecord.objects.filter(state="registered")
    rows = list(exports.registration_rows(records))
    assert len(rows) == count
    stick_xlsx = timed(lambda: yardstick_xlsx(rows))[0]
    stick_gbk = timed(lambda: gbk_encoded(rows))[0]
    rows.clear()
    for label, export, stick, stick_label in (
        ("xlsx", lambda: exports.registration_xlsx(records), stick_xlsx, "XlsxWriter on plain rows"),
        ("DBF", lambda: exports.registration_dbf(records), stick_gbk, "GBK encoding alone"),
    ):
        seconds, _peak, content = timed(export)
        _seconds, peak, _content = timed(export, trace=True)
        figure(
            "exports",
            f"registration {label}, {count:,} rows",
            count / seconds,
            "rows/s",
            yardstick=count / stick,
            yardstick_label=stick_label,
            note=f"{seconds:.2f} s, {len(content) / 2**20:.1f} MiB file, python peak {peak:.1f} MiB (traced)",
        )
