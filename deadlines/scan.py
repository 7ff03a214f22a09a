"""The daily deadline scan (时限检查): set-based SQL over every watched subject, idempotent.

For each rule that governs the school, the distinct clock starts of its
subjects are read (few: term starts, decision dates), their due dates are
computed in Python through ``registrar.calendar`` and written to a temporary
table, and one INSERT … SELECT joins them to the subjects to compute every
violation. An upsert (ON CONFLICT on rule and subject) then opens, resolves,
reopens or withdraws ``DeadlineViolation`` rows; only rows whose state changed
get audit events. A PostgreSQL advisory lock serialises scans, so two scans at
once end as one would.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BigIntegerField, F, Value
from django.utils import timezone

from audit.services import EventSpec, audit_record, audit_record_many
from deadlines.clocks import due_dates
from deadlines.models import DeadlineNotice, DeadlineRule, DeadlineScan, DeadlineViolation, ViolationState
from deadlines.registry import DeadlineKind, get_kind
from deadlines.rules import rules_effective
from registrar.calendar import WorkCalendar
from registrar.outbox import outbox_enqueue
from registrar.sql import advisory_lock

logger = logging.getLogger(__name__)

SCAN_LOCK_KEY = 0x5CA7D1
EVENT_CHUNK = 5000
VIOLATIONS = DeadlineViolation._meta.db_table
OPEN, RESOLVED, WITHDRAWN = (
    ViolationState.OPEN.value,
    ViolationState.RESOLVED.value,
    ViolationState.WITHDRAWN.value,
)


@dataclass
class ScanResult:
    scan_id: int
    as_of: datetime.date
    rules: int = 0
    opened: int = 0
    resolved: int = 0
    reopened: int = 0
    withdrawn: int = 0
    reminders: int = 0
    skipped: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "rules": self.rules,
            "opened": self.opened,
            "resolved": self.resolved,
            "reopened": self.reopened,
            "withdrawn": self.withdrawn,
            "reminders": self.reminders,
        }


class Dialect:
    """The few places where PostgreSQL and SQLite spell SQL differently."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        # The work tables holding rows: only those are emptied before the next rule (a TRUNCATE
        # costs ~20 ms even on an empty temporary table, and most rules find nothing).
        self.filled: set[str] = set()

    def date(self, value: datetime.date) -> datetime.date | str:
        return value if self.postgres else value.isoformat()

    def days(self, later: str, earlier: str) -> str:
        if self.postgres:
            return f"({later} - {earlier})"
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"

    @property
    def distinct(self) -> str:
        return "IS DISTINCT FROM" if self.postgres else "IS NOT"

    def create_temp_tables(self, cursor) -> None:
        suffix = " ON COMMIT DROP" if self.postgres else ""
        cursor.execute("DROP TABLE IF EXISTS deadline_due")
        cursor.execute("DROP TABLE IF EXISTS deadline_rows")
        cursor.execute(
            "CREATE TEMP TABLE deadline_due (clock_start date PRIMARY KEY, due_date date NOT NULL, "
            f"provisional boolean NOT NULL){suffix}"
        )
        cursor.execute(
            "CREATE TEMP TABLE deadline_rows (subject_id bigint PRIMARY KEY, college_id bigint, "
            "student_id bigint, clock_start date NOT NULL, due_date date NOT NULL, provisional boolean NOT NULL, "
            f"done_on date, days_late integer NOT NULL, state varchar(16) NOT NULL){suffix}"
        )

    def clear(self, cursor, table: str) -> None:
        if table in self.filled:
            cursor.execute(f"TRUNCATE {table}" if self.postgres else f"DELETE FROM {table}")
            self.filled.discard(table)

    def wrote(self, cursor, table: str) -> None:
        """Note that the last statement on ``cursor`` put rows into ``table``, if it did."""
        if cursor.rowcount != 0:
            self.filled.add(table)

    def drop_temp_tables(self, cursor) -> None:
        cursor.execute("DROP TABLE IF EXISTS deadline_due")
        cursor.execute("DROP TABLE IF EXISTS deadline_rows")


def subjects_sql(kind: DeadlineKind, clock: str) -> tuple[str, tuple]:
    """SELECT of every subject of ``kind``: id, clock start, college, student and done date, as SQL."""
    student = kind.student if kind.student is not None else Value(None, output_field=BigIntegerField())
    queryset = (
        kind.queryset()
        .order_by()
        .values(
            dl_sid=F("pk"),
            dl_clock=kind.clocks[clock],
            dl_college=kind.college,
            dl_student=student,
            dl_done=kind.done_on,
        )
    )
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def done_dates_sql(kind: DeadlineKind) -> tuple[str, tuple]:
    """SELECT of the done date of every row of the kind's model, watched or not."""
    queryset = kind.model._base_manager.order_by().values(dl_sid=F("pk"), dl_done=kind.done_on)
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def clock_starts(kind: DeadlineKind, clock: str) -> list[datetime.date]:
    values = (
        kind.queryset()
        .order_by()
        .annotate(dl_clock=kind.clocks[clock])
        .filter(dl_clock__isnull=False)
        .values_list("dl_clock", flat=True)
        .distinct()
    )
    return [value.date() if isinstance(value, datetime.datetime) else value for value in values]


def deadline_scan(*, as_of: datetime.date | None = None, actor=None) -> ScanResult:
    """时限检查 (ENR-4, ENR-5, ANN-2, ANN-5, ANN-6, ANN-12, DIP-5, DIP-9, DIP-11): one idempotent pass."""
    from deadlines.reminders import reminders_collect
    from deadlines.tasks import send_deadline_notices

    as_of = as_of or timezone.localdate()
    dialect = Dialect()
    with transaction.atomic():
        advisory_lock(SCAN_LOCK_KEY)
        with connection.cursor() as cursor:
            dialect.create_temp_tables(cursor)
        scan = DeadlineScan.objects.create(as_of=as_of, started_at=timezone.now())
        result = ScanResult(scan_id=scan.pk, as_of=as_of)
        work_calendar = WorkCalendar.load()
        remind_until = work_calendar.add_workdays(as_of, settings.DEADLINE_REMINDER_WORKDAYS).day
        rules = rules_effective()
        for rule in rules:
            kind = get_kind(rule.kind)
            if kind is None or rule.clock not in kind.clocks:
                result.skipped.append(rule.code)
                continue
            result.rules += 1
            _scan_rule(rule, kind, scan, as_of, work_calendar, dialect, result)
            result.reminders += reminders_collect(
                rule=rule, kind=kind, scan=scan, as_of=as_of, remind_until=remind_until, dialect=dialect
            )
        governed = [rule.pk for rule in rules]
        _withdraw_ungoverned(governed, scan, as_of, result)
        with connection.cursor() as cursor:
            dialect.drop_temp_tables(cursor)
        scan.finished_at = timezone.now()
        for name, value in result.counts().items():
            setattr(scan, name, value)
        scan.save()
        audit_record(
            actor=actor,
            action="deadline.scan",
            subject=scan,
            after={"as_of": as_of, **result.counts(), "skipped": result.skipped},
        )
        # This scan's notices and any whose mail failed before.
        notice_ids = list(DeadlineNotice.objects.filter(emailed_at__isnull=True).values_list("pk", flat=True))
        if notice_ids:
            outbox_enqueue(task=send_deadline_notices.name, kwargs={"notice_ids": notice_ids})
    if result.skipped:
        logger.info("deadline rules without a registered kind, not scanned: %s", ", ".join(result.skipped))
    return result


def _scan_rule(
    rule: DeadlineRule,
    kind: DeadlineKind,
    scan: DeadlineScan,
    as_of: datetime.date,
    work_calendar: WorkCalendar,
    dialect: Dialect,
    result: ScanResult,
) -> None:
    d = dialect.date
    dues = due_dates(rule, clock_starts(kind, rule.clock), work_calendar)
    subject_sql, subject_params = subjects_sql(kind, rule.clock)
    with connection.cursor() as cursor:
        dialect.clear(cursor, "deadline_due")
        dialect.clear(cursor, "deadline_rows")
        if dues:
            cursor.executemany(
                "INSERT INTO deadline_due (clock_start, due_date, provisional) VALUES (%s, %s, %s)",
                [(d(start), d(due.day), due.provisional) for start, due in dues.items()],
            )
            dialect.filled.add("deadline_due")
        # Every subject that is late today, or was done late.
        cursor.execute(
            f"""
            INSERT INTO deadline_rows
                (subject_id, college_id, student_id, clock_start, due_date, provisional, done_on, days_late, state)
            SELECT s.dl_sid, s.dl_college, s.dl_student, s.dl_clock, d.due_date, d.provisional, s.done_on,
                   {dialect.days("COALESCE(s.done_on, %s)", "d.due_date")},
                   CASE WHEN s.done_on IS NULL THEN '{OPEN}' ELSE '{RESOLVED}' END
            FROM (
                SELECT q.dl_sid, q.dl_clock, q.dl_college, q.dl_student,
                       CASE WHEN q.dl_done <= %s THEN q.dl_done END AS done_on
                FROM ({subject_sql}) q
            ) s
            JOIN deadline_due d ON d.clock_start = s.dl_clock
            WHERE (s.done_on IS NULL AND d.due_date < %s) OR s.done_on > d.due_date
            """,
            (d(as_of), d(as_of), *subject_params, d(as_of)),
        )
        dialect.wrote(cursor, "deadline_rows")
        # Violations this rule no longer finds among its subjects: a subject that left the watched set
        # done, and after its due date (a deferral that ended late), is resolved late; any other is withdrawn.
        done_sql, done_params = done_dates_sql(kind)
        cursor.execute(
            f"""
            INSERT INTO deadline_rows
                (subject_id, college_id, student_id, clock_start, due_date, provisional, done_on, days_late, state)
            SELECT v.subject_id, v.college_id, v.student_id, v.clock_start, v.due_date, v.provisional,
                   CASE WHEN s.done_on > v.due_date THEN s.done_on ELSE v.done_on END,
                   CASE WHEN s.done_on > v.due_date THEN {dialect.days("s.done_on", "v.due_date")}
                        ELSE v.days_late END,
                   CASE WHEN s.done_on > v.due_date THEN '{RESOLVED}' ELSE '{WITHDRAWN}' END
            FROM {VIOLATIONS} v
            LEFT JOIN (
                SELECT x.dl_sid, CASE WHEN x.dl_done <= %s THEN x.dl_done END AS done_on FROM ({done_sql}) x
            ) s ON s.dl_sid = v.subject_id
            WHERE v.rule_id = %s AND v.subject_type = %s AND v.state <> '{WITHDRAWN}'
              AND NOT EXISTS (SELECT 1 FROM deadline_rows r WHERE r.subject_id = v.subject_id)
            """,
            (d(as_of), *done_params, rule.pk, kind.subject_type),
        )
        dialect.wrote(cursor, "deadline_rows")
        if "deadline_rows" in dialect.filled:
            if dialect.postgres:
                cursor.execute("ANALYZE deadline_rows")
            _upsert(cursor, rule, kind.subject_type, scan, as_of, dialect)
    _record_changes(rule, kind, scan, result)


def _upsert(
    cursor, rule: DeadlineRule, subject_type: str, scan: DeadlineScan, as_of, dialect: Dialect
) -> None:
    d = dialect.date
    changed = "v.state <> EXCLUDED.state"
    cursor.execute(
        f"""
        INSERT INTO {VIOLATIONS} AS v
            (rule_id, subject_type, subject_id, college_id, student_id, clock_start, due_date, provisional,
             done_on, days_late, state, previous_state, opened_on, changed_on, scan_id)
        SELECT %s, %s, r.subject_id, r.college_id, r.student_id, r.clock_start, r.due_date, r.provisional,
               r.done_on, r.days_late, r.state, '', %s, %s, %s
        FROM deadline_rows r WHERE true
        ON CONFLICT (rule_id, subject_type, subject_id) DO UPDATE SET
            college_id = EXCLUDED.college_id,
            student_id = EXCLUDED.student_id,
            clock_start = EXCLUDED.clock_start,
            due_date = EXCLUDED.due_date,
            provisional = EXCLUDED.provisional,
            done_on = EXCLUDED.done_on,
            days_late = EXCLUDED.days_late,
            state = EXCLUDED.state,
            previous_state = CASE WHEN {changed} THEN v.state ELSE v.previous_state END,
            changed_on = CASE WHEN {changed} THEN EXCLUDED.changed_on ELSE v.changed_on END,
            scan_id = CASE WHEN {changed} THEN EXCLUDED.scan_id ELSE v.scan_id END
        WHERE (v.college_id, v.student_id, v.clock_start, v.due_date, v.provisional, v.done_on,
               v.days_late, v.state)
              {dialect.distinct}
              (EXCLUDED.college_id, EXCLUDED.student_id, EXCLUDED.clock_start, EXCLUDED.due_date,
               EXCLUDED.provisional, EXCLUDED.done_on, EXCLUDED.days_late, EXCLUDED.state)
        """,
        (rule.pk, subject_type, d(as_of), d(as_of), scan.pk),
    )


ACTIONS = {
    ("", OPEN): "deadline.violation.open",
    ("", RESOLVED): "deadline.violation.resolve_late",
    (OPEN, RESOLVED): "deadline.violation.resolve",
    (WITHDRAWN, RESOLVED): "deadline.violation.resolve",
    (RESOLVED, OPEN): "deadline.violation.reopen",
    (WITHDRAWN, OPEN): "deadline.violation.reopen",
    (OPEN, WITHDRAWN): "deadline.violation.withdraw",
    (RESOLVED, WITHDRAWN): "deadline.violation.withdraw",
}


def _record_changes(rule: DeadlineRule, kind: DeadlineKind, scan: DeadlineScan, result: ScanResult) -> None:
    """One audit event per violation whose state this scan changed, written in chunks (constant memory)."""
    changed = (
        DeadlineViolation.objects.filter(rule=rule, scan=scan)
        .order_by("pk")
        .values_list(
            "pk",
            "previous_state",
            "state",
            "subject_id",
            "college_id",
            "student_id",
            "due_date",
            "done_on",
            "days_late",
        )
    )
    chunk: list[EventSpec] = []
    for pk, previous, state, subject_id, college_id, student_id, due, done, days_late in changed.iterator(
        chunk_size=EVENT_CHUNK
    ):
        if previous == "":
            result.opened += 1
        if state == RESOLVED:
            result.resolved += 1
        elif state == OPEN and previous:
            result.reopened += 1
        elif state == WITHDRAWN:
            result.withdrawn += 1
        chunk.append(
            EventSpec(
                action=ACTIONS.get((previous, state), "deadline.violation.change"),
                subject=(DeadlineViolation._meta.label_lower, pk),
                before={"state": previous} if previous else {},
                after={
                    "state": state,
                    "rule": rule.code,
                    "subject": f"{kind.subject_type}:{subject_id}",
                    "due_date": due,
                    "done_on": done,
                    "days_late": days_late,
                },
                reason=f"时限检查 {scan.as_of:%Y-%m-%d}：{rule.name}",
                student_id=student_id,
                college_id=college_id,
            )
        )
        if len(chunk) >= EVENT_CHUNK:
            audit_record_many(chunk)
            chunk = []
    audit_record_many(chunk)


def _withdraw_ungoverned(
    governed: list[int], scan: DeadlineScan, as_of: datetime.date, result: ScanResult
) -> None:
    """Violations of rules that no longer govern the school (disabled, or replaced by a variant) are withdrawn."""
    stale = DeadlineViolation.objects.exclude(rule_id__in=governed).exclude(state=WITHDRAWN).order_by("pk")
    while True:
        rows = list(stale.values_list("pk", "state", "college_id", "student_id", "rule__code")[:EVENT_CHUNK])
        if not rows:
            return
        DeadlineViolation.objects.filter(pk__in=[row[0] for row in rows]).update(
            previous_state=F("state"), state=WITHDRAWN, changed_on=as_of, scan=scan
        )
        audit_record_many(
            [
                EventSpec(
                    action="deadline.violation.withdraw",
                    subject=(DeadlineViolation._meta.label_lower, pk),
                    before={"state": state},
                    after={"state": WITHDRAWN, "rule": code},
                    reason="规则已停用或被本校规定替代",
                    student_id=student_id,
                    college_id=college_id,
                )
                for pk, state, college_id, student_id, code in rows
            ]
        )
        result.withdrawn += len(rows)
