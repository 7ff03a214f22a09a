"""What the pre-check (预审, DIP-10) asks of a benchmark's graduates, as bulk rows (setup, not the subject).

Every student in the table gets, in a few INSERT … SELECT: admission data of the entry year
equal to the student's (DIP-4), annual registration of the second to the fourth academic year
(ANN-9), and a photo captured and confirmed by the student's check (DIP-9). With ``flaws``, a
problem of each kind is mixed in: every 7th admitted under another name, every 10th missed the
third year, every 13th photo not checked yet and every 97th not captured at all.
"""

from __future__ import annotations

import datetime

from django.db import connection

from annual_registration.models import AnnualRegistration
from diploma.models import PhotoCapture, PhotoImport
from enrollment.models import AdmissionRecord
from registrar.models import AcademicYear, Student, Term
from registrar.sql import analyze


def history(registrar, entry_year: int, *, flaws: bool = False) -> None:
    """The four academic years from ``entry_year`` and every student's history in them (see the module)."""
    years = {}
    for start in range(entry_year, entry_year + 4):
        years[start] = AcademicYear.objects.create(start_year=start)
        Term.objects.create(academic_year=years[start], number=1, start_date=datetime.date(start, 9, 5))
    source = PhotoImport.objects.create(
        kind="list", file_name="cj.xlsx", sha256="0" * 64, imported_by=registrar
    )
    t = {
        "s": Student._meta.db_table,
        "a": AdmissionRecord._meta.db_table,
        "r": AnnualRegistration._meta.db_table,
        "p": PhotoCapture._meta.db_table,
    }
    renamed = "MOD(s.id, 7) = 0" if flaws else "false"
    unchecked = "MOD(s.id, 13) = 0" if flaws else "false"
    captured = "MOD(s.id, 97) <> 0" if flaws else "true"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {t["a"]} (year, exam_number, name, gender, birth_date, id_type, id_number, ethnicity,
                political_status, major_id, college_id, level, program_years, study_mode, admission_type, entry_date,
                remark, term_id, state, student_id, identity_conflict, source_hash, updated_at)
            SELECT %s, s.exam_number, CASE WHEN {renamed} THEN s.name || '改' ELSE s.name END, s.gender,
                s.birth_date, s.id_type, s.id_number, s.ethnicity, s.political_status, s.major_id, s.college_id,
                s.level, s.program_years, s.study_mode, s.admission_type, s.entry_date, '', %s, 'registered', s.id,
                false, '', now()
            FROM {t["s"]} s""",
            [entry_year, years[entry_year].terms.get().pk],
        )
        for start in range(entry_year + 1, entry_year + 4):
            skip = "AND MOD(s.id, 10) <> 0" if flaws and start == entry_year + 2 else ""
            cursor.execute(
                f"""INSERT INTO {t["r"]} (student_id, academic_year_id, college_id, state, deferral_reason, reason,
                    registered_on, created_at)
                SELECT s.id, %s, s.college_id, 'registered', '', '', %s, now() FROM {t["s"]} s WHERE true {skip}""",
                [years[start].pk, datetime.date(start, 9, 20)],
            )
        cursor.execute(
            f"""INSERT INTO {t["p"]} (student_id, captured_on, file_name, source_id, image, image_sha256, check_state,
                problem)
            SELECT s.id, %s, s.id_number || '.jpg', %s,
                'diploma/photos/' || %s || '/' || s.id || '.jpg', '',
                CASE WHEN {unchecked} THEN 'unchecked' ELSE 'confirmed' END, ''
            FROM {t["s"]} s WHERE {captured}""",
            [datetime.date(entry_year + 4, 3, 10), source.pk, str(entry_year + 4)],
        )
    for model in (Student, AdmissionRecord, AnnualRegistration, PhotoCapture):
        analyze(model)
