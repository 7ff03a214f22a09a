"""Step 3 of the admission import: the records written set-based, with the import's own record
and audit events (ENR-1)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from audit.services import EventSpec, audit_record, audit_record_many
from enrollment.imports import ParsedSheet
from enrollment.models import AdmissionImport, AdmissionRecord
from enrollment.services.admission_import.classify import DATA_FIELDS, ImportPlan, data_values
from registrar.models import Term, User
from registrar.sql import copy_in


@dataclass(frozen=True)
class Upload:
    """One call's request: who imports which parsed file into which intake."""

    actor: User | None
    year: int
    term: Term
    sheet: ParsedSheet
    file_name: str


def write(upload: Upload, plan: ImportPlan) -> AdmissionImport | None:
    """Insert and update the records, recorded as one ``AdmissionImport`` and its audit event (ENR-1).

    ``None`` when the database refuses what the checks cannot see (e.g. two records trading
    id numbers, ENR-6): then nothing is written.
    """
    run = _import_run(upload, plan)
    try:
        with transaction.atomic():
            _insert(plan.new, year=upload.year, term=upload.term, run=run)
            if plan.changed:
                _update(plan.changed, actor=upload.actor, run=run)
    except IntegrityError:
        transaction.set_rollback(True)
        return None
    audit_record(
        actor=upload.actor,
        action="enrollment.admission.import",
        subject=run,
        after={
            "file_name": upload.file_name,
            "sha256": upload.sheet.sha256,
            "year": upload.year,
            "rows": len(upload.sheet.rows),
            "created": len(plan.new),
            "updated": len(plan.changed),
            "unchanged": plan.unchanged,
            "skipped": len(plan.skipped),
            "flagged": plan.flagged[:1000],
        },
    )
    return run


def _import_run(upload: Upload, plan: ImportPlan) -> AdmissionImport:
    """The import's own record (ENR-1): the file, its hash, who, and what it did."""
    actor = upload.actor
    return AdmissionImport.objects.create(
        year=upload.year,
        term=upload.term,
        file_name=upload.file_name[:200],
        sha256=upload.sheet.sha256,
        actor=actor if getattr(actor, "pk", None) else None,
        rows=len(upload.sheet.rows),
        created=len(plan.new),
        updated=len(plan.changed),
        unchanged=plan.unchanged,
        skipped=plan.skipped,
        flagged=len(plan.flagged),
    )


# Records per part of the COPY: small enough for the server to start early, large enough to
# cost few calls.
COPY_PART = 2000
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
    """Insert the new records in 已导入 (ENR-1): PostgreSQL COPY, else a bulk insert."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy_records(rows, year=year, term=term, run=run)
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


def _copy_records(rows: list[dict], *, year: int, term: Term, run: AdmissionImport) -> None:
    """COPY the new records in, one CSV line each in ``INSERT_COLUMNS``' order; PostgreSQL stores
    each part of the lines while the next is written."""
    columns = ", ".join(INSERT_COLUMNS)
    copy_in(
        f"COPY {AdmissionRecord._meta.db_table} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (remark))",
        _csv_parts(rows, year=year, term=term, run=run),
    )


def _csv_parts(rows: list[dict], *, year: int, term: Term, run: AdmissionImport) -> Iterator[str]:
    """The records as CSV lines (dates as ISO text), ``COPY_PART`` at a time."""
    state = AdmissionRecord._meta.get_field("state").get_default()
    now = timezone.now().isoformat()
    for start in range(0, len(rows), COPY_PART):
        buffer = io.StringIO()
        csv.writer(buffer).writerows(
            (
                year,
                *data_values(v),
                term.pk,
                state,
                "t" if v["identity_conflict"] else "f",
                v["source_hash"],
                run.pk,
                now,
            )
            for v in rows[start : start + COPY_PART]
        )
        yield buffer.getvalue()


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
