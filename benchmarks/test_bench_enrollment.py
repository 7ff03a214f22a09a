"""Benchmark: freshman registration on PostgreSQL (make bench). Prints numbers; asserts nothing about time.

1. Imports generated sheets of 10,000 and 100,000 valid rows end to end
   (parse, validate, write, audit) and prints rows/s, next to the bare
   python-calamine read of the same file as the yardstick.
2. Peak memory: the same imports run by ``manage.py import_admissions`` in a
   child process (its peak RSS, Django included), next to a child that only
   reads the file with python-calamine.
3. Approves a review list of 10,000 items (register 10,000 students with
   accounts, 10,000 audit events) and prints the seconds; then three more
   lists of 10,000 from the next year's intake, which meet the students
   registered before (and statistics not yet refreshed). Prints each time,
   the best and the median. The approval's follow-up tasks are queued, as
   with a broker, not run inside the timed call (``follow_up_tasks_queued``).

Targets on a 2-core machine: ≥ 14,000 rows/s and ≤ 400 MB for the 100,000-row
import; ≤ 1 s for the 10,000-item approval.
"""

from __future__ import annotations

import datetime
import io
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from benchmarks.figures import figure
from enrollment.imports import parse_admissions
from enrollment.models import AdmissionRecord
from enrollment.services import (
    ItemInput,
    admission_import,
    review_batch_approve,
    review_batch_create,
    review_batch_submit,
    review_items_save,
)
from registrar.idcard import make_id_number
from registrar.models import Term
from registrar.roles import Role
from registrar.services import user_create
from registrar.sheets.isolation import warm
from tests.db_template import database_url
from tests.enrollment.builders import HEADER
from tests.factories import CollegeFactory, MajorFactory, SchoolFactory, TermFactory

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[1]


def sheet(count: int, major, offset: int = 0) -> bytes:
    """``count`` valid rows with distinct exam and id numbers."""
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet()
    ws.append(HEADER)
    base = datetime.date(2006, 1, 1)
    for i in range(offset, offset + count):
        gender = "1" if i % 2 else "2"
        birth = base + datetime.timedelta(days=i // 500)
        ws.append(
            [
                f"26{i:012d}",
                f"新生{i}",
                gender,
                birth.strftime("%Y%m%d"),
                "1",
                make_id_number("110101", birth, i % 500, gender),
                "01",
                "03",
                major.code,
                major.name,
                major.level,
                "4",
                "1",
                "20260907",
                major.college.name,
                "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def calamine_read(content: bytes) -> float:
    start = time.perf_counter()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows
    return time.perf_counter() - start


# A child inherits its parent's high-water mark of RSS across fork and exec: reset it first
# (Linux: /proc/self/clear_refs), then read the peak of the child's own run from VmHWM.
PEAK_WRAPPER = """
import runpy, sys
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")
sys.argv = sys.argv[1:]
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
finally:
    with open("/proc/self/status") as f:
        kb = next(line.split()[1] for line in f if line.startswith("VmHWM"))
    print("PEAK_KB", kb, file=sys.stderr)
"""


def child_peak_mb(script: str, *args: str) -> float:
    """Peak RSS, in MB, of a child process that runs ``script`` with ``args``."""
    env = {**os.environ, "DATABASE_URL": database_url()}
    done = subprocess.run(
        [sys.executable, "-c", PEAK_WRAPPER, script, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    lines = [line for line in done.stderr.splitlines() if line.startswith("PEAK_KB")]
    assert done.returncode == 0 and lines, done.stderr[-2000:]
    return int(lines[-1].split()[1]) / 1024


@pytest.fixture
def setting(db):
    # A running web or Celery worker has started its file-reading server (registrar/wsgi.py).
    warm()
    SchoolFactory()
    term = TermFactory()
    TermFactory(academic_year__start_year=2027, start_date=datetime.date(2027, 9, 6))
    TermFactory(academic_year__start_year=2028, start_date=datetime.date(2028, 9, 4))
    college = CollegeFactory(code="A01", name="计算机学院")
    major = MajorFactory(code="080901", name="计算机科学与技术", college=college)
    registrar = user_create(
        actor=None, username="registrar", password="Bench-pass-2026!", role=Role.REGISTRAR
    )
    staff = user_create(
        actor=None,
        username="college_a_staff",
        password="Bench-pass-2026!",
        role=Role.COLLEGE_STAFF,
        colleges=[college],
    )
    return term, college, major, registrar, staff


def timed_import(content: bytes, *, registrar, year: int) -> tuple[float, int]:
    start = time.perf_counter()
    parsed = parse_admissions(content, "bench.xlsx")
    result = admission_import(actor=registrar, year=year, sheet=parsed, file_name="bench.xlsx")
    elapsed = time.perf_counter() - start
    assert result.ok, result.errors[:5]
    return elapsed, result.created


def test_bench_import_and_approval(setting, tmp_path):
    term, college, major, registrar, staff = setting
    print()
    for count, offset, year in ((10_000, 0, 2026), (100_000, 200_000, 2027)):
        content = sheet(count, major, offset)
        yardstick = min(calamine_read(content) for _ in range(3))
        elapsed, created = timed_import(content, registrar=registrar, year=year)
        assert created == count
        path = tmp_path / f"bench_{count}.xlsx"
        path.write_bytes(sheet(count, major, offset + 1_000_000))
        reader = tmp_path / "read.py"
        reader.write_text(
            "import sys, python_calamine as c\n"
            "c.CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()\n"
        )
        read_mb = child_peak_mb(str(reader), str(path))
        import_mb = child_peak_mb("manage.py", "import_admissions", str(path), "--year", "2028")
        figure(
            "enrollment",
            f"import {count:,} rows",
            count / elapsed,
            "rows/s",
            yardstick=count / yardstick,
            yardstick_label="python-calamine read alone",
            note=f"{elapsed:.2f} s",
        )
        figure(
            "enrollment",
            f"peak RSS of the import command, {count:,} rows",
            import_mb,
            "MB",
            yardstick=read_mb,
            yardstick_label="python-calamine read alone",
        )

    # Lists after the first meet students already registered, with no ANALYZE since; the
    # machine's own noise is large, so several lists are timed and each time is printed.
    lists = [("2026", 2026, term, 0)] + [
        ("2027", 2027, Term.objects.get(academic_year__start_year=2027), k * 10_000) for k in range(3)
    ]
    times = []
    for label, year, batch_term, offset in lists:
        exams = list(
            AdmissionRecord.objects.filter(year=year)
            .order_by("pk")
            .values_list("exam_number", flat=True)[offset : offset + 10_000]
        )
        elapsed = timed_approval(exams, college=college, term=batch_term, staff=staff, registrar=registrar)
        times.append(elapsed)
        registered = AdmissionRecord.objects.filter(
            year=year, exam_number__in=exams, state="registered"
        ).count()
        figure("enrollment", f"approve a list of {len(exams):,} items of {label}", elapsed, "s")
        assert registered == len(exams)
    times.sort()
    figure("enrollment", "approval of 10,000 items, best", times[0], "s")
    figure("enrollment", "approval of 10,000 items, median", statistics.median(times), "s")


@contextmanager
def follow_up_tasks_queued() -> Iterator[None]:
    """Tasks queued on a broker, as in production, instead of run in-process as the suite runs them.

    What follows a decision (the college's notices, the audit checkpoint) runs in a Celery
    worker after the registrar has the answer; run inline, it would count as approval time.
    The broker is kombu's in-memory one, as nothing here consumes the messages.
    """
    from registrar.celery import app

    eager, url = app.conf.task_always_eager, app.conf.broker_write_url
    app.conf.task_always_eager, app.conf.broker_write_url = False, "memory://"
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.broker_write_url = eager, url


def timed_approval(exams: list[str], *, college, term, staff, registrar) -> float:
    """Seconds to approve a submitted review list of these freshmen, all passed, commit included."""
    batch = review_batch_create(actor=staff, college=college, term=term)
    assert not review_items_save(
        actor=staff, batch_id=batch.pk, items=[ItemInput(key=e, outcome="passed") for e in exams]
    )
    review_batch_submit(actor=staff, batch_id=batch.pk)
    with follow_up_tasks_queued():
        start = time.perf_counter()
        review_batch_approve(actor=registrar, batch_id=batch.pk, document_number="教学〔2026〕1号")
        return time.perf_counter() - start
