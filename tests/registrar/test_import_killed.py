"""A process killed in the middle of an import leaves nothing half-written (issue 8, item 9; ENR-1).

The import runs in one transaction: ``manage.py import_admissions`` is started
on a large sheet against the test database, killed (SIGKILL, with its
children) as soon as its transaction has written something, and then not a
row of that import is found.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from audit.models import AuditEvent
from enrollment.models import AdmissionImport, AdmissionRecord
from tests.db_template import database_url
from tests.enrollment.builders import admission_row, admission_sheet

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.rule("ENR-1")]

APP_NAME = "h8-killed-import"
ROWS = 3000
FIRST_BIRTH = datetime.date(2007, 1, 1)


def wait_for(query: str, *, process: subprocess.Popen | None = None, timeout: float = 60) -> None:
    """Ask the database until ``query`` returns a true first column (no sleeping: each ask is a round trip).

    The queries look at this test database's sessions only: other suites may run on the same server.
    """
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(query, [APP_NAME])
            if cursor.fetchone()[0]:
                return
            if process is not None and process.poll() is not None:
                raise AssertionError(f"the import ended before it was killed (exit {process.returncode})")
        cursor.execute(
            "SELECT application_name, state, wait_event_type, wait_event, left(query, 120) FROM pg_stat_activity"
            " WHERE datname = current_database()"
        )
        activity = cursor.fetchall()
    raise AssertionError(f"timed out waiting for: {query}; activity: {activity}")


def test_an_import_killed_after_it_started_writing_leaves_no_row(tmp_path: Path, term, major_a):
    sheet = tmp_path / "lq.xlsx"
    # make_id_number gives 500 distinct numbers per birth date.
    rows = [
        admission_row(n, major_a, birth=FIRST_BIRTH + datetime.timedelta(days=n // 500)) for n in range(ROWS)
    ]
    sheet.write_bytes(admission_sheet(rows))
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "CELERY_BROKER_URL": "",
        "PGAPPNAME": APP_NAME,
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_admissions", str(sheet), "--year", "2026"],
        cwd=settings.BASE_DIR,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Inside the import's transaction (it holds the import's advisory lock) after its first write
        # (a transaction id is assigned then).
        wait_for(
            "SELECT count(*) FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid AND l.locktype = 'advisory'"
            " WHERE a.application_name = %s AND a.datname = current_database() AND a.backend_xid IS NOT NULL",
            process=process,
        )
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    wait_for(
        "SELECT count(*) = 0 FROM pg_stat_activity WHERE application_name = %s AND datname = current_database()"
    )
    assert process.returncode == -signal.SIGKILL
    assert AdmissionImport.objects.count() == 0
    assert AdmissionRecord.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="enrollment.import").exists()
