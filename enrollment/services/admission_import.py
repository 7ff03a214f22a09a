"""录取数据导入: checks that need the database, then set-based writes (ENR-1, ENR-6, ENR-7, ENR-9)."""

from __future__ import annotations

import csv
import hashlib
import io
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from audit.services import EventSpec, audit_record, audit_record_many
from enrollment.imports import ParsedSheet, RowError, SheetRow
from enrollment.models import AdmissionImport, AdmissionRecord, AdmissionState
from enrollment.services.transitions import CHUNK
from registrar import codes
from registrar.idcard import IdNumberError, clean_id_number
from registrar.models import Major, Student, Term, User
from registrar.roles import is_registrar
from registrar.services import DomainError
from registrar.sql import advisory_lock, collector_paused, rows_where_in

# The fields an import writes; a change in any of them is a change of the record.
DATA_FIELDS = (
    "exam_number",
    "name",
    "gender",
    "birth_date",
    "id_type",
    "id_number",
    "ethnicity",
    "political_status",
    "major_id",
    "college_id",
    "level",
    "program_years",
    "study_mode",
    "admission_type",
    "entry_date",
    "remark",
)
IMPORT_LOCK_KEY = 0x3E1A0


@dataclass
class ImportResult:
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
    term = Term.objects.filter(academic_year__start_year=year, number=1).first()
    if term is None:
        raise DomainError(
            _("尚未设置%(start)s-%(end)s学年第一学期，请先维护学期") % {"start": year, "end": year + 1}
        )
    return term


_data_values = operator.itemgetter(*DATA_FIELDS)


def _source_hash(values: dict) -> str:
    content = "\x1f".join(map(str, _data_values(values)))
    return hashlib.blake2b(content.encode(), digest_size=16).hexdigest()


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _clean_id_numbers(rows: list[SheetRow], errors: list[RowError]) -> None:
    """Every row's id number in its one stored form, or a row error (ENR-6, ENR-9).

    Whatever the sheet checks did, the service holds the rule: a look-alike digit never
    reaches the one-学籍 and 重名重号 comparisons below. A row already refused for its
    id number keeps that one error.
    """
    refused = {e.row for e in errors if e.column == "证件号码"}
    for row in rows:
        number = row.values.get("id_number")
        if not number:
            continue
        try:
            row.values["id_number"] = clean_id_number(row.values.get("id_type", "1"), number)
        except IdNumberError as exc:
            row.values.pop("id_number")
            if row.number not in refused:
                errors.append(RowError(row.number, "证件号码", str(exc)))


def _resolve(rows: list[SheetRow], errors: list[RowError], year: int) -> tuple[list[dict], list[str]]:
    """Checks against what the database holds: majors, 学籍 held elsewhere (ENR-6), 重名重号 (ENR-9)."""
    majors = {(m.code, m.level): m for m in Major.objects.select_related("college")}
    _clean_id_numbers(rows, errors)
    id_numbers = [r.values["id_number"] for r in rows if r.values.get("id_number")]
    exam_numbers = {r.values.get("exam_number") for r in rows}
    active: dict[str, int] = {}
    inactive: dict[str, str] = {}
    others: dict[str, list[tuple[str, int, str]]] = {}
    for number, name, pk, status in rows_where_in(
        Student._meta.db_table, "id_number, name, id, student_status", "id_number", id_numbers
    ):
        if status in codes.ACTIVE_STUDENT_STATUSES:
            active[number] = pk
        else:
            inactive[number] = name
    for number, name, rec_year, exam in rows_where_in(
        AdmissionRecord._meta.db_table, "id_number, name, year, exam_number", "id_number", id_numbers
    ):
        others.setdefault(number, []).append((name, rec_year, exam))
    own_students = dict(
        AdmissionRecord.objects.filter(year=year, student__isnull=False).values_list(
            "exam_number", "student_id"
        )
    )
    resolved: list[dict] = []
    flagged: list[str] = []
    for row in rows:
        v = row.values
        n = row.number
        major = majors.get((v.get("major_code"), v.get("level")))
        if v.get("major_code") and v.get("level"):
            if major is None:
                errors.append(
                    RowError(
                        n,
                        "专业代码",
                        _("专业代码%(code)s（%(level)s）不存在")
                        % {"code": v["major_code"], "level": codes.label_of(codes.Level, v["level"])},
                    )
                )
            else:
                if v.get("major_name") and v["major_name"] != major.name:
                    errors.append(
                        RowError(n, "专业名称", _("与专业代码不符（应为“%(name)s”）") % {"name": major.name})
                    )
                if v.get("college") and v["college"] not in (major.college.code, major.college.name):
                    errors.append(
                        RowError(
                            n,
                            "院系",
                            _("与专业所属院系不符（应为“%(name)s”）") % {"name": major.college.name},
                        )
                    )
        id_number, exam = v.get("id_number"), v.get("exam_number")
        conflict = False
        if id_number:
            holder = active.get(id_number)
            if holder is not None and own_students.get(exam) != holder:
                errors.append(
                    RowError(n, "证件号码", _("该证件号码已有在本校的在籍学籍，一人只能有一个学籍（ENR-6）"))
                )
            for _name, rec_year, other_exam in others.get(id_number, ()):
                if rec_year == year and other_exam != exam and other_exam not in exam_numbers:
                    errors.append(
                        RowError(
                            n,
                            "证件号码",
                            _("与本年度考生号%(exam_number)s的录取数据证件号码相同")
                            % {"exam_number": other_exam},
                        )
                    )
                elif rec_year != year:
                    conflict = True
            if id_number in inactive:
                conflict = True
        if conflict:
            flagged.append(exam)
        if major is not None:
            # The row's own dict becomes the record's values: no second dict per row.
            v.pop("major_code", None)
            v.pop("major_name", None)
            v.pop("college", None)
            v["major_id"] = major.pk
            v["college_id"] = major.college_id
            v["level"] = major.level
            v["program_years"] = v.get("program_years") or major.program_years
            v.setdefault("remark", "")
            v["identity_conflict"] = conflict
            resolved.append(v)
    return resolved, flagged


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
    term = _first_term(year)
    report(0, len(sheet.rows), _("校验"))
    if result.errors and not sheet.rows:
        return result
    with transaction.atomic():
        advisory_lock(IMPORT_LOCK_KEY, year)
        resolved, flagged = _resolve(sheet.rows, result.errors, year)
        if result.errors:
            result.errors.sort(key=lambda e: (e.row, e.column))
            return result
        existing = {
            row[0]: row
            for row in AdmissionRecord.objects.filter(year=year).values_list(
                "exam_number", "pk", "source_hash", "state"
            )
        }
        reviewed = set(
            AdmissionRecord.objects.filter(year=year, review_items__isnull=False).values_list("pk", flat=True)
        )
        new: list[dict] = []
        changed: list[dict] = []
        for values in resolved:
            values["source_hash"] = _source_hash(values)
            found = existing.get(values["exam_number"])
            if found is None:
                new.append(values)
            elif found[2] == values["source_hash"]:
                result.unchanged += 1
            elif found[3] != AdmissionState.IMPORTED or found[1] in reviewed:
                result.skipped.append(values["exam_number"])
            else:
                values["pk"] = found[1]
                changed.append(values)
        result.created, result.updated = len(new), len(changed)
        result.flagged = [e for e in flagged if e in {v["exam_number"] for v in new + changed}]
        report(len(sheet.rows), len(sheet.rows), _("写入"))
        if dry_run or not (new or changed):
            transaction.set_rollback(True)
            return result
        run = AdmissionImport.objects.create(
            year=year,
            term=term,
            file_name=file_name[:200],
            sha256=sheet.sha256,
            actor=actor if getattr(actor, "pk", None) else None,
            rows=len(sheet.rows),
            created=len(new),
            updated=len(changed),
            unchanged=result.unchanged,
            skipped=result.skipped,
            flagged=len(result.flagged),
        )
        result.run = run
        try:
            with transaction.atomic():
                _insert(new, year=year, term=term, run=run)
                if changed:
                    _update(changed, actor=actor, run=run)
        except IntegrityError:
            # E.g. two records trading id numbers: the database refuses; nothing is written.
            transaction.set_rollback(True)
            result.errors.append(
                RowError(0, "", _("文件中的考生号或证件号码与已有录取数据冲突，未导入；请核对后重试"))
            )
            result.run = None
            result.created = result.updated = 0
            return result
        audit_record(
            actor=actor,
            action="enrollment.admission.import",
            subject=run,
            after={
                "file_name": file_name,
                "sha256": sheet.sha256,
                "year": year,
                "rows": len(sheet.rows),
                "created": len(new),
                "updated": len(changed),
                "unchanged": result.unchanged,
                "skipped": len(result.skipped),
                "flagged": result.flagged[:1000],
            },
        )
    return result


INSERT_COLUMNS = (
    "year",
    *DATA_FIELDS,
    "term_id",
    "state",
    "identity_conflict",
    "source_hash",
    "import_run_id",
    "updated_at",
)


def _insert(rows: list[dict], *, year: int, term: Term, run: AdmissionImport) -> None:
    """Insert new records: PostgreSQL COPY, else a bulk insert."""
    if not rows:
        return
    initial = AdmissionRecord._meta.get_field("state").get_default()
    now = timezone.now()
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        fixed_tail = (term.pk, initial)
        for v in rows:
            writer.writerow(
                (
                    year,
                    v["exam_number"],
                    v["name"],
                    v["gender"],
                    v["birth_date"].isoformat(),
                    v["id_type"],
                    v["id_number"],
                    v["ethnicity"],
                    v["political_status"],
                    v["major_id"],
                    v["college_id"],
                    v["level"],
                    v["program_years"],
                    v["study_mode"],
                    v["admission_type"],
                    v["entry_date"].isoformat(),
                    v["remark"],
                    *fixed_tail,
                    "t" if v["identity_conflict"] else "f",
                    v["source_hash"],
                    run.pk,
                    now.isoformat(),
                )
            )
        buffer.seek(0)
        table = AdmissionRecord._meta.db_table
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {table} ({', '.join(INSERT_COLUMNS)}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (remark))",
                buffer,
            )
        return
    AdmissionRecord.objects.bulk_create(
        [
            AdmissionRecord(
                year=year,
                term=term,
                import_run=run,
                **{k: v[k] for k in (*DATA_FIELDS, "identity_conflict", "source_hash")},
            )
            for v in rows
        ],
        batch_size=1000,
    )


def _update(rows: list[dict], *, actor: User | None, run: AdmissionImport) -> None:
    """Update records nobody has reviewed yet; the history keeps the values before (ENR-1)."""
    by_pk = {v["pk"]: v for v in rows}
    records = list(AdmissionRecord.objects.select_for_update().filter(pk__in=list(by_pk)).order_by("pk"))
    missing_history = set(records_without_history([r.pk for r in records]))
    if missing_history:
        AdmissionRecord.history.bulk_history_create([r for r in records if r.pk in missing_history])
    events = []
    fields = [*DATA_FIELDS, "identity_conflict", "source_hash", "import_run"]
    for record in records:
        values = by_pk[record.pk]
        before, after = {}, {}
        for name in (*DATA_FIELDS, "identity_conflict"):
            old, new = getattr(record, name), values[name]
            if isinstance(old, Decimal):
                new = Decimal(new)
            if old != new:
                before[name], after[name] = old, new
                setattr(record, name, new)
        record.source_hash = values["source_hash"]
        record.import_run = run
        events.append(
            EventSpec(
                action="enrollment.admission.update",
                subject=record,
                actor=actor,
                before=before,
                after=after,
                reason=f"录取数据重新导入：{run.file_name}",
            )
        )
    bulk_update_with_history(records, AdmissionRecord, fields, batch_size=1000)
    audit_record_many(events)


def records_without_history(pks: list[int]) -> set[int]:
    having = set(AdmissionRecord.history.filter(id__in=pks).values_list("id", flat=True).distinct())
    return set(pks) - having
