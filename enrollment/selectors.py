"""Reads of freshman registration, always scoped to the user (SEC-1, SEC-2)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from audit.selectors import HistoryEntry, student_history, subject_history
from enrollment.models import AdmissionRecord, AdmissionState, DataReport
from registrar.idcard import mask
from registrar.models import Batch, BatchKind


def records_for(
    user, *, year: int | None = None, state: str | None = None, college_id: int | None = None
) -> QuerySet:
    qs = AdmissionRecord.objects.for_user(user).select_related("college", "major", "student")
    if year:
        qs = qs.filter(year=year)
    if state:
        qs = qs.filter(state=state)
    if college_id:
        qs = qs.filter(college_id=college_id)
    return qs.order_by("exam_number")


def review_batches_for(user) -> QuerySet:
    return (
        Batch.objects.for_user(user)
        .filter(kind=BatchKind.FRESHMAN_REVIEW)
        .select_related("college", "term__academic_year")
        .annotate(item_count=Count("review_items"))
    )


def registration_records(user, *, year: int | None = None) -> QuerySet:
    """学籍注册上报: registered records the user may see."""
    return records_for(user, year=year, state=AdmissionState.REGISTERED).select_related("student")


STAT_STATES = [(s.value, s.label) for s in AdmissionState]


def registration_statistics(user, *, year: int | None = None) -> list[list]:
    """新生注册情况统计 (ENR-12): rows of college, major, and a count per state."""
    counts = (
        records_for(user, year=year)
        .order_by()
        .values("college__name", "major__code", "major__name", "level", "state")
        .annotate(n=Count("pk"))
    )
    table: dict[tuple, dict[str, int]] = {}
    for row in counts:
        key = (row["college__name"], row["major__code"], row["major__name"], row["level"])
        table.setdefault(key, {})[row["state"]] = row["n"]
    from registrar import codes

    rows = []
    for (college, code, name, level), by_state in sorted(table.items()):
        values = [by_state.get(s, 0) for s, _ in STAT_STATES]
        rows.append([college, code, name, codes.label_of(codes.Level, level), *values, sum(values)])
    return rows


@dataclass(frozen=True)
class StudentRegistration:
    record: AdmissionRecord
    masked_id_number: str
    history: list[HistoryEntry]
    reports: list[DataReport]

    @property
    def report_open(self) -> bool:
        """Whether one of the student's error reports still waits for the college (ENR-11)."""
        return any(report.resolved_at is None for report in self.reports)


def student_registration(user) -> StudentRegistration | None:
    """The signed-in student's own registration: identity masked, state and its history (QRY-1, ENR-11)."""
    record = (
        AdmissionRecord.objects.for_user(user)
        .select_related("college", "major", "student", "term__academic_year")
        .filter(student_id=user.student_id)
        .first()
        if user.student_id
        else None
    )
    if record is None:
        return None
    return StudentRegistration(
        record=record,
        masked_id_number=mask(record.id_number),
        history=student_history(user, record.student_id),
        reports=list(DataReport.objects.filter(record=record)),
    )


def record_history(user, record: AdmissionRecord) -> list[HistoryEntry]:
    """What happened to one admission record, oldest first, as ``user`` may read it (the shared audit read).

    Once registered, the record's history is its student's: the record's events and the 学籍's own.
    """
    if record.student_id:
        return student_history(user, record.student_id)
    return subject_history(record, reader=user)
