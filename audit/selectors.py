"""Reads of the audit trail as people read it: one subject's or one student's history (QRY-1, SEC-2, SEC-3).

Each entry names its action in Chinese (``audit.labels``), its actor and its
subject as people read them, and shows before/after as a list of changed fields
(the subject model's verbose names, choice labels, related rows by name).
Id numbers are masked unless the reader is the registrar office (SEC-2).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from audit.labels import ChangeKey, action_label, change_key
from audit.models import AuditEvent
from audit.subject_types import current_subject_type, subject_type_names
from registrar.idcard import mask_id_numbers, sees_full_id_numbers
from registrar.scoping import ScopedQuerySet

EMPTY = "—"


@dataclass(frozen=True)
class Change:
    """One field of a before/after: its name as people read it, and both values as text."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    occurred_at: datetime.datetime
    action: str  # the stored code, for filters and support
    label: str  # the action in Chinese
    actor: str
    subject: str  # e.g. 录取数据 张三（26110101000001）
    reason: str
    document_number: str
    changes: list[Change]


def subject_history(subject: models.Model, *, reader: Any) -> list[HistoryEntry]:
    """One subject's events, oldest first; nothing when ``reader`` may not see the subject (SEC-2)."""
    queryset = type(subject)._default_manager.all()
    if isinstance(queryset, ScopedQuerySet) and not queryset.for_user(reader).filter(pk=subject.pk).exists():
        return []
    names = subject_type_names(subject._meta.label_lower)  # and those it had before its app moved
    events = AuditEvent.objects.filter(subject_type__in=names, subject_id=str(subject.pk))
    return _entries(events, reader, names={(subject._meta.label_lower, str(subject.pk)): subject})


def student_history(reader: Any, student: models.Model | int) -> list[HistoryEntry]:
    """Everything recorded about one student, oldest first (QRY-1); nothing for a reader who may not see them.

    College staff see their colleges' students, a student only themself. The
    history is every event placed with the student, and the events of the same
    subjects from before the subject had a student (the admission record's import
    and check-in, before registration made the student).
    """
    student_id = student if isinstance(student, int) else student.pk
    students = AuditEvent._meta.get_field("student").related_model  # the core's, named by the event
    if not students.objects.for_user(reader).filter(pk=student_id).exists():
        return []
    subjects = set(
        AuditEvent.objects.filter(student_id=student_id)
        .order_by()
        .values_list("subject_type", "subject_id")
        .distinct()
    )
    before_the_student = Q()
    for subject_type, subject_id in subjects:
        before_the_student |= Q(subject_type=subject_type, subject_id=subject_id, student__isnull=True)
    events = AuditEvent.objects.filter(Q(student_id=student_id) | before_the_student)
    return _entries(events, reader)


def _entries(
    events: models.QuerySet, reader: Any, names: dict[tuple[str, str], models.Model] | None = None
) -> list[HistoryEntry]:
    return _entries_of(list(events.select_related("actor").order_by("id")), reader, names)


def _entries_of(
    rows: list[AuditEvent], reader: Any, names: dict[tuple[str, str], models.Model] | None = None
) -> list[HistoryEntry]:
    full = reader is not None and sees_full_id_numbers(reader)
    names = {**_subjects((e.subject_type, e.subject_id) for e in rows), **(names or {})}
    values = _Values()
    entries = []
    for event in rows:
        model = _model(event.subject_type)
        before = event.before if full else mask_id_numbers(event.before)
        after = event.after if full else mask_id_numbers(event.after)
        entries.append(
            HistoryEntry(
                occurred_at=event.occurred_at,
                action=event.action,
                label=action_label(event.action),
                actor=_actor(event),
                subject=_subject_name(event, model, names),
                reason=event.reason,
                document_number=event.document_number,
                changes=values.changes(model, before or {}, after or {}),
            )
        )
    return entries


def event_entries(events: Iterable[AuditEvent], reader: Any = None) -> dict[int, HistoryEntry]:
    """These events as people read them, by id: Chinese action, named subject, changed fields.

    Id numbers are masked unless ``reader`` is the registrar office (SEC-2); without a reader, always.
    """
    return dict(zip((e.pk for e in events), _entries_of(list(events), reader), strict=True))


def subject_type_label(subject_type: str) -> str:
    """The kind of subject as people read it (录取数据, 学生, 批次), the code when no model has it."""
    model = _model(subject_type)
    return str(model._meta.verbose_name) if model is not None else subject_type


def subject_labels(events: Iterable[AuditEvent]) -> dict[tuple[str, str], str]:
    """Each event's subject named as people read it (录取数据 张三（26110101000001）), one query per type."""
    events = list(events)
    rows = _subjects((e.subject_type, e.subject_id) for e in events)
    return {(e.subject_type, e.subject_id): _subject_name(e, _model(e.subject_type), rows) for e in events}


def _model(subject_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(current_subject_type(subject_type))
    except (LookupError, ValueError):
        return None


def _subjects(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], models.Model]:
    """The subjects' rows, one query per type: what each entry names."""
    by_type: dict[str, set[Any]] = defaultdict(set)
    for subject_type, subject_id in keys:
        model = _model(subject_type)
        if model is None:
            continue
        try:
            by_type[subject_type].add(model._meta.pk.to_python(subject_id))
        except ValidationError:
            continue
    found = {}
    for subject_type, ids in by_type.items():
        for pk, row in _model(subject_type)._default_manager.in_bulk(list(ids)).items():
            found[(subject_type, str(pk))] = row
    return found


def _subject_name(event: AuditEvent, model: type[models.Model] | None, names: dict) -> str:
    if model is None:
        return f"{event.subject_type} #{event.subject_id}"
    row = names.get((event.subject_type, event.subject_id))
    return f"{model._meta.verbose_name} {row if row is not None else '#' + event.subject_id}"


def _actor(event: AuditEvent) -> str:
    if event.actor is not None:
        return event.actor.get_full_name() or event.actor.get_username()
    return _("系统") if event.actor_name in ("", "system") else event.actor_name


class _Values:
    """Before/after values as text: choice labels, related rows by name (each looked up once), local times."""

    def __init__(self) -> None:
        self.related: dict[tuple[type[models.Model] | None, str], str] = {}

    def changes(
        self, model: type[models.Model] | None, before: dict[str, Any], after: dict[str, Any]
    ) -> list[Change]:
        found = []
        for key in dict.fromkeys([*before, *after]):
            old, new = before.get(key), after.get(key)
            if key in before and key in after and old == new:
                continue
            named = change_key(model, key)
            field = _field(model, key)
            if named is not None:
                name = str(named.label)
                old_text, new_text = self.named(named, model, key, old), self.named(named, model, key, new)
            else:
                name = str(field.verbose_name) if field is not None else key
                old_text, new_text = self.text(field, old), self.text(field, new)
            if old_text != new_text:  # a field recorded empty on both sides changed nothing
                found.append(Change(name, old_text, new_text))
        return found

    def named(self, named: ChangeKey, model: type[models.Model] | None, key: str, value: Any) -> str:
        """A registered key's value as text (each distinct value worked out once per page)."""
        if value is None or value == "" or named.text is None:
            return self.text(None, value)
        cache_key = (model, f"{key}={value}")
        if cache_key not in self.related:
            self.related[cache_key] = named.text(value)
        return self.related[cache_key]

    def text(self, field: models.Field | None, value: Any) -> str:
        if value is None or value == "" or value == [] or value == {}:
            return EMPTY
        if field is not None and field.is_relation:
            ids = value if isinstance(value, list) else [value]
            return "、".join(self._related(field.related_model, v) for v in ids)
        if isinstance(value, bool):
            return _("是") if value else _("否")
        if isinstance(value, dict):
            return "；".join(f"{k}：{self.text(None, v)}" for k, v in value.items())
        if isinstance(value, list):
            return "、".join(self.text(None, v) for v in value)
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.DateTimeField) and isinstance(value, str):
            moment = parse_datetime(value)
            if moment is not None and timezone.is_aware(moment):
                return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
        return str(value)

    def _related(self, model: type[models.Model], value: Any) -> str:
        key = (model, str(value))
        if key not in self.related:
            try:
                row = model._default_manager.filter(pk=model._meta.pk.to_python(value)).first()
            except (ValidationError, TypeError, ValueError):
                row = None
            self.related[key] = str(row) if row is not None else str(value)
        return self.related[key]


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
    if model is None:
        return None
    for name in (key, key.removesuffix("_id")):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        # A reverse relation (``Student.admission_record``) has no verbose name and is no column of the row.
        return field if isinstance(field, models.Field) else None
    return None
