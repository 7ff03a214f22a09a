"""Benchmark: diploma registration on PostgreSQL (make bench). Prints numbers; asserts nothing about time.

10,000 expected graduates (setup: students in bulk with what the pre-check asks
of them, admission data, annual registrations and confirmed photos, as bulk rows
(``graduate_history``); the list built, outcomes applied and certificates
pre-checked through the services, the service's own pre-check of the 10,000
included), then:

1. Numbers and registers the 10,000 pre-checked certificates in one call: the
   certificate rows locked, one block of numbers per sequence, one UPDATE per
   group, 10,000 certificate audit events, and the students' 学籍状态 moved to
   毕业 / 结业 with 10,000 more.
2. Exports the platform's diploma-registration file of the 10,000 as xlsx and
   DBF, each beside its yardstick (XlsxWriter on the same plain rows; GBK
   encoding of them).

Targets on a 2-core machine (issue 12): numbering and registration ≤ 1 s,
export ≥ 7,000 rows/s. The pre-check report (预审) is the photo brief's benchmark.
"""

from __future__ import annotations

import datetime

import pytest

from audit.models import AuditEvent
from benchmarks.figures import figure, timed
from benchmarks.graduate_history import history
from benchmarks.test_bench_exports import gbk_encoded, yardstick_xlsx
from diploma.exports import DIPLOMA_FILE
from diploma.models import Certificate, ExpectedGraduate
from diploma.precheck import graduates_checked
from diploma.services.certificates import certificates_precheck, certificates_register
from diploma.services.graduates import expected_graduates_build
from diploma.services.outcomes import graduate_outcomes_apply
from registrar.idcard import make_id_number
from registrar.models import Student
from registrar.roles import Role
from registrar.services import user_create
from tests.factories import CollegeFactory, MajorFactory, SchoolFactory

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
GRADUATES = 10_000
GRADUATION = datetime.date(2025, 6, 30)


def _students(majors, count: int) -> None:
    """``count`` in-school students graduating on ``GRADUATION`` (bulk rows: setup, not the subject)."""
    base = datetime.date(2003, 1, 1)
    rows = []
    for i in range(count):
        major = majors[i % len(majors)]
        gender = "1" if i % 2 else "2"
        birth = base + datetime.timedelta(days=i // 400)
        rows.append(
            Student(
                name=f"毕业生{i}",
                gender=gender,
                ethnicity="01",
                birth_date=birth,
                id_number=make_id_number("110101", birth, i % 400, gender),
                exam_number=f"21110101{i:06d}",
                student_number=f"21{i:08d}",
                college=major.college,
                major=major,
                level="05",
                program_years=4,
                entry_date=datetime.date(2021, 9, 1),
                expected_graduation_date=GRADUATION,
            )
        )
    Student.objects.bulk_create(rows, batch_size=5000)


def test_bench_diploma_numbering_registration_and_export():
    SchoolFactory()
    majors = []
    for n in range(4):
        college = CollegeFactory(code=f"D{n}", name=f"学院{n}")
        majors.append(MajorFactory(college=college, code=f"0809{n:02d}", name=f"专业{n}"))
    _students(majors, GRADUATES)
    registrar = user_create(actor=None, username="registrar", password="x-Bench-2026", role=Role.REGISTRAR)
    history(registrar, 2021)  # every graduate passes the pre-check (DIP-10)

    seconds, _peak, added = timed(lambda: expected_graduates_build(actor=registrar, graduation_year=2025))
    assert added == GRADUATES
    figure("diploma", f"build the expected-graduate list of {GRADUATES:,}", seconds, "s")
    ids = list(ExpectedGraduate.objects.order_by("pk").values_list("pk", flat=True))
    outcomes = {pk: "completed" if n % 20 == 0 else "graduated" for n, pk in enumerate(ids)}
    graduate_outcomes_apply(actor=registrar, outcomes=outcomes, document_number="教务〔2025〕30号")
    seconds, _peak, prechecked = timed(lambda: certificates_precheck(registrar, ids))
    assert prechecked == GRADUATES
    checked = timed(lambda: graduates_checked(ids))[0]
    figure(
        "diploma",
        f"draft and pre-check {GRADUATES:,} certificates (certificates_precheck)",
        seconds,
        "s",
        note=f"its pre-check of the graduates (one statement, rows to problems) alone, again: {checked:.2f} s",
    )

    events_before = AuditEvent.objects.count()
    seconds, _peak, registered = timed(lambda: certificates_register(actor=registrar))
    assert registered == GRADUATES
    events = AuditEvent.objects.count() - events_before
    assert events == 2 * GRADUATES
    sequences = sorted(Certificate.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, GRADUATES + 1))
    figure(
        "diploma",
        f"number and register {GRADUATES:,} certificates",
        seconds,
        "s",
        note=f"{events:,} audit events (certificates and 学籍状态), target ≤ 1 s",
    )

    certificates = Certificate.objects.filter(graduation_year=2025)
    rows = list(DIPLOMA_FILE.rows(certificates))
    assert len(rows) == GRADUATES
    stick_xlsx = timed(lambda: yardstick_xlsx(rows))[0]
    stick_gbk = timed(lambda: gbk_encoded(rows))[0]
    rows.clear()
    for label, export, stick, stick_label in (
        ("xlsx", lambda: DIPLOMA_FILE.xlsx(certificates), stick_xlsx, "XlsxWriter on plain rows"),
        ("DBF", lambda: DIPLOMA_FILE.dbf(certificates), stick_gbk, "GBK encoding alone"),
    ):
        seconds, _peak, content = timed(export)
        figure(
            "diploma",
            f"diploma-registration {label}, {GRADUATES:,} rows",
            GRADUATES / seconds,
            "rows/s",
            yardstick=GRADUATES / stick,
            yardstick_label=stick_label,
            note=f"{seconds:.2f} s, {len(content) / 2**20:.1f} MiB file, target ≥ 7,000 rows/s",
        )
