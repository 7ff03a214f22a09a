"""Benchmark: the deadline scan over 1,000,000 watched subjects on PostgreSQL (make bench).

Subjects are real admission records watched by the freshman 复查 kind (ENR-5):
all registered, four entering terms; 90% passed 复查 in time, 5% late, 5% not
yet. Records are written with one INSERT … SELECT generate_series, so that the
set-up stays short. Printed: seconds per scan and the peak of Python memory
(tracemalloc) during the scan, at 100,000 and at 1,000,000 subjects (two
runs, each in its own transaction): a flat peak shows memory does not grow with
the number of subjects. Nothing about time is asserted.
"""

from __future__ import annotations

import datetime
import resource
import time

import pytest
from django.db import connection

from benchmarks.figures import figure, timed
from deadlines.models import DeadlineViolation
from deadlines.scan import deadline_scan
from enrollment.models import AdmissionRecord
from tests.factories import AcademicYearFactory, CollegeFactory, MajorFactory, TermFactory

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db]

AS_OF = datetime.date(2027, 6, 30)

# SQL for every column of the admission record; ``i`` is the row number, ``t`` the term, ``m`` the major.
COLUMNS = {
    "year": "t.year",
    "exam_number": "lpad(i::text, 14, '0')",
    "name": "'新生' || i",
    "gender": "'1'",
    "birth_date": "DATE '2007-05-01'",
    "id_type": "'1'",
    "id_number": "lpad(i::text, 18, '0')",
    "ethnicity": "'01'",
    "political_status": "'13'",
    "major_id": "m.major_id",
    "college_id": "m.college_id",
    "level": "'05'",
    "program_years": "4",
    "study_mode": "'1'",
    "admission_type": "'01'",
    "entry_date": "t.start_date",
    "remark": "''",
    "term_id": "t.term_id",
    "state": "'registered'",
    "state_changed_at": "now()",
    "student_id": "NULL",
    "deferral_end": "NULL",
    "deferral_lapsed_on": "NULL",
    "entered_term_start": "NULL",
    # 90% in time (day 30), 5% late (day 100), 5% not yet.
    "rereview_passed_on": (
        "CASE WHEN i % 20 = 0 THEN NULL WHEN i % 20 = 1 THEN t.start_date + 100 ELSE t.start_date + 30 END"
    ),
    "identity_conflict": "false",
    "confirmed_at": "NULL",
    "source_hash": "''",
    "import_run_id": "NULL",
    "updated_at": "now()",
}


def insert_records(first: int, last: int, terms: list[tuple[int, int, datetime.date]], majors) -> None:
    table = AdmissionRecord._meta.db_table
    columns = [f.column for f in AdmissionRecord._meta.concrete_fields if f.column != "id"]
    missing = [c for c in columns if c not in COLUMNS]
    assert not missing, f"the benchmark needs SQL for new columns: {missing}"
    term_values = ", ".join(f"({k}, {pk}, {year}, DATE '{day}')" for k, (pk, year, day) in enumerate(terms))
    major_values = ", ".join(f"({k}, {m.pk}, {m.college_id})" for k, m in enumerate(majors))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} ({", ".join(columns)})
            SELECT {", ".join(COLUMNS[c] for c in columns)}
            FROM generate_series({first}, {last}) AS i
            JOIN (VALUES {term_values}) AS t(k, term_id, year, start_date) ON t.k = i % {len(terms)}
            JOIN (VALUES {major_values}) AS m(k, major_id, college_id) ON m.k = (i / 7) % {len(majors)}
            """
        )
        cursor.execute(f"ANALYZE {table}")


def timed_scan(as_of: datetime.date, *, trace: bool = False) -> tuple[float, float | None, object]:
    """Seconds of one scan; with ``trace``, also the peak of Python memory (tracemalloc slows the scan)."""
    return timed(lambda: deadline_scan(as_of=as_of), trace=trace)


def report(label: str, subjects: int, seconds: float, peak_mb: float | None, result) -> None:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak = f"python peak {peak_mb:.1f} MiB (traced, so slower), " if peak_mb is not None else ""
    figure(
        "deadlines",
        f"{label}, {subjects:,} subjects",
        seconds,
        "s",
        note=(
            f"{peak}process max RSS {rss:.0f} MiB; opened {result.opened:,}, resolved {result.resolved:,}, "
            f"reopened {result.reopened:,}, withdrawn {result.withdrawn:,}"
        ),
    )


def school_setup() -> tuple[list, list]:
    terms = []
    for start_year, number, day in [
        (2025, 1, datetime.date(2025, 9, 8)),
        (2025, 2, datetime.date(2026, 2, 24)),
        (2026, 1, datetime.date(2026, 9, 7)),
        (2026, 2, datetime.date(2027, 3, 1)),
    ]:
        term = TermFactory(
            academic_year=AcademicYearFactory(start_year=start_year), number=number, start_date=day
        )
        terms.append((term.pk, day.year, day))
    majors = [MajorFactory(college=CollegeFactory(code=f"BC{n:02d}", name=f"基准学院{n}")) for n in range(20)]
    return terms, majors


@pytest.mark.parametrize("subjects", [100_000, 1_000_000])
def test_bench_scan_of_watched_subjects(subjects: int):
    terms, majors = school_setup()
    started = time.perf_counter()
    insert_records(1, subjects, terms, majors)
    print(f"\n[bench deadlines] set-up: {subjects:,} records in {time.perf_counter() - started:.1f} s")
    report("first scan (every violation new, one audit event each)", subjects, *timed_scan(AS_OF))
    report("repeat scan, nothing changed", subjects, *timed_scan(AS_OF))
    report("next day scan (days late move)", subjects, *timed_scan(AS_OF + datetime.timedelta(days=1)))
    with connection.cursor() as cursor:
        # 1% of the records, open ones among them, are done today: the scan resolves those.
        cursor.execute(
            f"UPDATE {AdmissionRecord._meta.db_table} SET rereview_passed_on = %s "
            "WHERE rereview_passed_on IS NULL AND id %% 100 = 0",
            [AS_OF],
        )
    report("scan after some were done", subjects, *timed_scan(AS_OF + datetime.timedelta(days=1)))
    # Memory: every open violation withdrawn and reopened, traced; compare the peak at both sizes.
    report(
        "reopen scan under tracemalloc",
        subjects,
        *timed_scan(AS_OF - datetime.timedelta(days=400), trace=True),
    )
    report("same, reopening everything", subjects, *timed_scan(AS_OF, trace=True))
    assert DeadlineViolation.objects.filter(state="open").exists()
