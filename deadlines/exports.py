"""The auditor's xlsx export of violations with their evidence, written row by row (write-only workbook).

Every cell goes through the sheet toolkit's one ``escape`` (formulas and
control characters), as every export does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.selectors import HistoryEntry, event_entries, subject_type_label
from audit.subject_types import current_subject_type, subject_type_names
from deadlines.models import DeadlineViolation
from deadlines.selectors import subject_labels
from registrar.sheets.writers import xlsx_write

CHUNK = 1000
VIOLATION_SUBJECT = DeadlineViolation._meta.label_lower  # the subject type of a violation's own events


def header() -> list[str]:
    """The export's column headers, in the active language."""
    return [
        _("规则代码"),
        _("规则名称"),
        _("对象类型"),
        _("对象编号"),
        _("对象"),
        _("责任院系"),
        _("起算日期"),
        _("截止日期"),
        _("暂定"),
        _("完成日期"),
        _("逾期天数"),
        _("状态"),
        _("审计事件"),
    ]


def _evidence(user, violations: list[DeadlineViolation]) -> dict[tuple[str, str], list[AuditEvent]]:
    """The audit events behind each violation: its subject's own events and the scan's events about it.

    Events are found under every name their subject type had (``audit.subject_types``): those recorded
    before the engine had its own app name a violation ``audit.deadlineviolation``.
    """
    ids_by_type: dict[str, list[str]] = defaultdict(list)
    ids_by_type[VIOLATION_SUBJECT] = [str(v.pk) for v in violations]
    for violation in violations:
        ids_by_type[violation.subject_type].append(str(violation.subject_id))
    condition = Q()
    for subject_type, ids in ids_by_type.items():
        condition |= Q(subject_type__in=subject_type_names(subject_type), subject_id__in=ids)
    events: dict[tuple[str, str], list[AuditEvent]] = defaultdict(list)
    for event in AuditEvent.objects.for_user(user).filter(condition).select_related("actor").order_by("id"):
        events[(current_subject_type(event.subject_type), event.subject_id)].append(event)
    return events


def _event_text(event: AuditEvent, entry: HistoryEntry) -> str:
    """One event as people read it: when, what (in Chinese), who, 文号, and what changed, old → new."""
    when = timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M")
    parts = [f"#{event.pk}", when, entry.label, entry.actor]
    if event.document_number:
        parts.append(_("文号%(number)s") % {"number": event.document_number})
    if entry.changes:
        parts.append("（" + "；".join(f"{c.field}：{c.before} → {c.after}" for c in entry.changes) + "）")
    return " ".join(parts)


def _chunks(queryset: QuerySet[DeadlineViolation]) -> Iterator[list[DeadlineViolation]]:
    chunk: list[DeadlineViolation] = []
    for violation in queryset.iterator(chunk_size=CHUNK):
        chunk.append(violation)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def violation_rows(user, queryset: QuerySet[DeadlineViolation]) -> Iterable[list[Any]]:
    """One row per violation with its evidence, read in chunks."""
    yes, no = _("是"), _("否")
    for chunk in _chunks(queryset.select_related("rule", "college")):
        labels = subject_labels(chunk)
        evidence = _evidence(user, chunk)
        # As the auditor reads them: Chinese actions, readable changes, id numbers masked (SEC-2).
        entries = event_entries([e for events in evidence.values() for e in events], user)
        for v in chunk:
            events = evidence.get((v.subject_type, str(v.subject_id)), []) + evidence.get(
                (VIOLATION_SUBJECT, str(v.pk)), []
            )
            yield [
                v.rule.code,
                v.rule.name,
                subject_type_label(v.subject_type),
                v.subject_id,
                labels.get((v.subject_type, v.subject_id), ""),
                v.college.name if v.college else "",
                v.clock_start,
                v.due_date,
                yes if v.provisional else no,
                v.done_on,
                v.days_late,
                v.get_state_display(),
                "\n".join(_event_text(event, entries[event.pk]) for event in events),
            ]


def violations_xlsx_write(*, user, queryset: QuerySet[DeadlineViolation], out: IO[bytes]) -> int:
    """逾期记录导出: write the violations and their evidence to ``out``; returns the number of rows."""
    return xlsx_write(out, header(), violation_rows(user, queryset), title=_("逾期记录"))
