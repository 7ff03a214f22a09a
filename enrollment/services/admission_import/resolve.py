"""Step 1 of the admission import: each row checked against what the database holds, and
turned into its record's values (ENR-6, ENR-7, ENR-9)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from enrollment.imports import RowError, SheetRow
from enrollment.models import AdmissionRecord
from registrar import codes
from registrar.idcard import IdNumberError, clean_id_number
from registrar.models import Major, Student
from registrar.sql import rows_where_in


@dataclass
class Holders:
    """Who already holds the file's id numbers, as the database says (ENR-6, ENR-9)."""

    active: dict[str, int] = field(default_factory=dict)  # id number → student with an active 学籍
    inactive: set[str] = field(default_factory=set)  # id numbers of students no longer active
    records: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # → (year, exam number)
    registered: dict[str, int] = field(default_factory=dict)  # this year's exam number → its student


@dataclass
class Resolved:
    """Step 1's result: each valid row as its record's values, and the 重名重号 rows (ENR-9)."""

    records: list[dict[str, Any]] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)  # exam numbers


def resolve(rows: list[SheetRow], errors: list[RowError], year: int) -> Resolved:
    """Checks against what the database holds: majors (ENR-7), 学籍 held elsewhere (ENR-6), 重名重号 (ENR-9)."""
    majors = {(m.code, m.level): m for m in Major.objects.select_related("college")}
    _clean_id_numbers(rows, errors)
    holders = _holders(rows, year)
    exam_numbers = {r.values.get("exam_number") for r in rows}
    resolved = Resolved()
    for row in rows:
        major = _major_of(row, majors, errors)
        conflict = _identity_conflict(row, holders, year, exam_numbers, errors)
        if conflict:
            resolved.flagged.append(row.values.get("exam_number"))
        if major is not None:
            resolved.records.append(_record_values(row.values, major, conflict))
    return resolved


def _holders(rows: list[SheetRow], year: int) -> Holders:
    """The students and admission records holding the file's id numbers, in three statements (ENR-6, ENR-9)."""
    id_numbers = [r.values["id_number"] for r in rows if r.values.get("id_number")]
    holders = Holders()
    for number, pk, status in rows_where_in(
        Student._meta.db_table, "id_number, id, student_status", "id_number", id_numbers
    ):
        if status in codes.ACTIVE_STUDENT_STATUSES:
            holders.active[number] = pk
        else:
            holders.inactive.add(number)
    for number, record_year, exam in rows_where_in(
        AdmissionRecord._meta.db_table, "id_number, year, exam_number", "id_number", id_numbers
    ):
        holders.records.setdefault(number, []).append((record_year, exam))
    holders.registered = dict(
        AdmissionRecord.objects.filter(year=year, student__isnull=False).values_list(
            "exam_number", "student_id"
        )
    )
    return holders


def _major_of(row: SheetRow, majors: dict[tuple[str, str], Major], errors: list[RowError]) -> Major | None:
    """The row's major by code and level; the file's major name and college must be that major's (ENR-7)."""
    v, n = row.values, row.number
    major = majors.get((v.get("major_code"), v.get("level")))
    if not (v.get("major_code") and v.get("level")):
        return major
    if major is None:
        reason = _("专业代码%(code)s（%(level)s）不存在") % {
            "code": v["major_code"],
            "level": codes.label_of(codes.Level, v["level"]),
        }
        errors.append(RowError(n, "专业代码", reason))
        return None
    if v.get("major_name") and v["major_name"] != major.name:
        errors.append(RowError(n, "专业名称", _("与专业代码不符（应为“%(name)s”）") % {"name": major.name}))
    if v.get("college") and v["college"] not in (major.college.code, major.college.name):
        reason = _("与专业所属院系不符（应为“%(name)s”）") % {"name": major.college.name}
        errors.append(RowError(n, "院系", reason))
    return major


def _identity_conflict(
    row: SheetRow, holders: Holders, year: int, exam_numbers: set[str], errors: list[RowError]
) -> bool:
    """Errors for an id number an active 学籍 (ENR-6) or another of this year's records holds;
    True when a former student or another year's record holds it: 重名重号, imported flagged (ENR-9)."""
    id_number, exam = row.values.get("id_number"), row.values.get("exam_number")
    if not id_number:
        return False
    holder = holders.active.get(id_number)
    if holder is not None and holders.registered.get(exam) != holder:
        errors.append(
            RowError(row.number, "证件号码", _("该证件号码已有在本校的在籍学籍，一人只能有一个学籍（ENR-6）"))
        )
    conflict = id_number in holders.inactive
    for record_year, other_exam in holders.records.get(id_number, ()):
        if record_year == year and other_exam != exam and other_exam not in exam_numbers:
            reason = _("与本年度考生号%(exam_number)s的录取数据证件号码相同") % {"exam_number": other_exam}
            errors.append(RowError(row.number, "证件号码", reason))
        elif record_year != year:
            conflict = True
    return conflict


def _record_values(values: dict[str, Any], major: Major, conflict: bool) -> dict[str, Any]:
    """The row's own dict becomes the record's values (no second dict per row): the major's
    keys replace the file's major columns, and the 学制 defaults to the major's (ENR-7, ENR-9)."""
    values.pop("major_code", None)
    values.pop("major_name", None)
    values.pop("college", None)
    values["major_id"] = major.pk
    values["college_id"] = major.college_id
    values["level"] = major.level
    values["program_years"] = values.get("program_years") or major.program_years
    values.setdefault("remark", "")
    values["identity_conflict"] = conflict
    return values


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
