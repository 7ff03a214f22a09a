"""Step 2 of the admission import: the resolved records sorted against the year's records (ENR-1)."""

from __future__ import annotations

import hashlib
import operator
from dataclasses import dataclass, field
from typing import Any

from enrollment.models import AdmissionRecord, AdmissionState
from enrollment.services.admission_import.resolve import Resolved

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
data_values = operator.itemgetter(*DATA_FIELDS)


def source_hash(values: dict[str, Any]) -> str:
    """The digest of a record's imported values: the same file twice changes nothing (ENR-1)."""
    content = "\x1f".join(map(str, data_values(values)))
    return hashlib.blake2b(content.encode(), digest_size=16).hexdigest()


@dataclass
class ImportPlan:
    """Step 2's result: the file's records by what the import does with each (ENR-1)."""

    new: list[dict[str, Any]] = field(default_factory=list)  # inserted
    changed: list[dict[str, Any]] = field(default_factory=list)  # updated, each with its "pk"
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # exam numbers of reviewed records: listed, not touched
    flagged: list[str] = field(default_factory=list)  # exam numbers of new or changed 重名重号 rows


def classify(resolved: Resolved, year: int) -> ImportPlan:
    """New, unchanged (same source hash), skipped, or changed, against the year's records (ENR-1).

    A record that left 已导入 or is on a review list is listed as skipped and never
    overwritten: what a college has reviewed changes only through a correction (ENR-8).
    """
    existing = {
        found.exam_number: found
        for found in AdmissionRecord.objects.filter(year=year).values_list(
            "exam_number", "pk", "source_hash", "state", named=True
        )
    }
    reviewed = set(
        AdmissionRecord.objects.filter(year=year, review_items__isnull=False).values_list("pk", flat=True)
    )
    plan = ImportPlan()
    for values in resolved.records:
        values["source_hash"] = source_hash(values)
        found = existing.get(values["exam_number"])
        if found is None:
            plan.new.append(values)
        elif found.source_hash == values["source_hash"]:
            plan.unchanged += 1
        elif found.state != AdmissionState.IMPORTED or found.pk in reviewed:
            plan.skipped.append(values["exam_number"])
        else:
            values["pk"] = found.pk
            plan.changed.append(values)
    written = {v["exam_number"] for v in (*plan.new, *plan.changed)}
    plan.flagged = [exam for exam in resolved.flagged if exam in written]
    return plan
