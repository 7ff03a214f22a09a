"""录取数据导入: checks that need the database, then set-based writes (ENR-1, ENR-6, ENR-7, ENR-9).

Three steps, each handing the next one type: *resolve* checks every row against what the
database holds and turns it into its record's values (``Resolved``); *classify* sorts those
against the year's records into new, changed, unchanged and skipped (``ImportPlan``);
*write* stores them with the import's own record and audit event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from enrollment.imports import ParsedSheet, RowError
from enrollment.models import AdmissionImport
from enrollment.services.admission_import.classify import classify
from enrollment.services.admission_import.resolve import resolve
from enrollment.services.admission_import.write import Upload, write
from registrar.models import Term, User
from registrar.roles import is_registrar
from registrar.services import DomainError
from registrar.sql import advisory_lock, collector_paused

IMPORT_LOCK_KEY = 0x3E1A0


@dataclass
class ImportResult:
    """What an import did, or every reason it wrote nothing (``errors``)."""

    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    dry_run: bool = False
    run: AdmissionImport | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


Progress = Callable[[int, int, str], None]


def _first_term(year: int) -> Term:
    """The intake's first term, which the new records enter (ENR-1)."""
    term = Term.objects.filter(academic_year__start_year=year, number=1).first()
    if term is None:
        raise DomainError(
            _("尚未设置%(start)s-%(end)s学年第一学期，请先维护学期") % {"start": year, "end": year + 1}
        )
    return term


def may_import_admissions(actor: User | None) -> bool:
    """Only the registrar office imports admission data (SEC-1); ``None`` is the command line.

    Views call it before they read a byte of the upload, so that nobody else can make the
    server parse a file.
    """
    return actor is None or is_registrar(actor)


@collector_paused()
def admission_import(
    *,
    actor: User | None,
    year: int,
    sheet: ParsedSheet,
    file_name: str,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """录取数据导入 (ENR-1): every error at once, and nothing written when there is any.

    New records are inserted set-based (PostgreSQL COPY); records nobody has
    reviewed yet are updated when the file changed them; reviewed ones are
    listed, not touched. The same file twice changes nothing. 重名重号 rows are
    imported flagged for follow-up (ENR-9), and not registered until cleared.
    """
    if not may_import_admissions(actor):
        raise PermissionDenied(_("只有教务处可以导入录取数据"))
    report = progress or (lambda done, total, phase: None)
    result = ImportResult(errors=list(sheet.errors), rows=len(sheet.rows), dry_run=dry_run)
    upload = Upload(actor=actor, year=year, term=_first_term(year), sheet=sheet, file_name=file_name)
    report(0, len(sheet.rows), _("校验"))
    if result.errors and not sheet.rows:
        return result
    with transaction.atomic():
        advisory_lock(IMPORT_LOCK_KEY, year)
        resolved = resolve(sheet.rows, result.errors, year)
        if result.errors:
            result.errors.sort(key=lambda e: (e.row, e.column))
            return result
        plan = classify(resolved, year)
        result.created, result.updated = len(plan.new), len(plan.changed)
        result.unchanged, result.skipped, result.flagged = plan.unchanged, plan.skipped, plan.flagged
        report(len(sheet.rows), len(sheet.rows), _("写入"))
        if dry_run or not (plan.new or plan.changed):
            transaction.set_rollback(True)
            return result
        result.run = write(upload, plan)
        if result.run is None:
            result.errors.append(
                RowError(0, "", _("文件中的考生号或证件号码与已有录取数据冲突，未导入；请核对后重试"))
            )
            result.created = result.updated = 0
    return result
