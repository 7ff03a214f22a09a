"""What one kind of batch plugs into the shared list page, API and services (DESIGN §2.3).

A batch (名单) is generic: a college fills it, submits it, the registrar
approves or returns it. What it holds is not: a freshman review list holds
admission records with a review outcome, an annual-registration list holds
students with 注册 / 暂缓注册. Each app subclasses ``BatchItems`` once for its
kind and registers it; ``registrar.batches`` (the services),
``registrar.admin_batches`` (the page) and ``registrar.api_batches`` (the API)
do the rest, for every kind alike.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from registrar.models.batches import BatchKind
from registrar.sheets.writers import xlsx

if TYPE_CHECKING:
    from registrar.models import Batch, User
    from registrar.sheets.tables import RowError


@dataclass(frozen=True)
class ItemInput:
    """One item as a college gives it, from a sheet row, the page or the API.

    ``key`` names the person the way the kind's sheet does (考生号, 学号);
    ``row`` is the file row it came from (0 when it did not come from a file);
    ``extra`` holds what only this kind's items have (an annual item's 暂缓原因).
    """

    key: str
    outcome: str
    end_date: datetime.date | None = None
    reason: str = ""
    row: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ItemColumn:
    """A column of the list page: its header and the item attribute path it shows (``record.name``).

    A method at the end of the path (``record.get_state_display``) is called.
    """

    header: str | Promise
    path: str
    # A column of the item itself (its own 暂缓原因, say): blank for candidates not on the list yet.
    item_only: bool = False


@dataclass(frozen=True)
class ParsedItems:
    """A sheet read into items, with every problem of the file itself (row, column, reason)."""

    items: list[ItemInput]
    errors: list[RowError]


class BatchItems:
    """The items of one kind of batch: how they are read, checked, written and applied.

    Subclasses set the class attributes and implement the methods that raise
    ``NotImplementedError``. Every method that writes runs inside the
    service's transaction, with the batch locked.
    """

    kind: ClassVar[str]
    # The item model; its rows point to their batch through ``batch``.
    item_model: ClassVar[type[models.Model]]
    # The outcomes an item may take (注册 / 暂缓注册, 报到入学 / 保留入学资格 …).
    outcomes: ClassVar[type[models.TextChoices]]
    # The outcome's column header in the kind's sheet (审查结论, 注册结论).
    outcome_label: ClassVar[str | Promise]
    # Outcomes that need an end date (a deferral) and outcomes that need a reason, from the sheet,
    # the page and the API alike (``registrar.batches`` checks them for every kind).
    dated_outcomes: ClassVar[frozenset[str]] = frozenset()
    reasoned_outcomes: ClassVar[frozenset[str]] = frozenset()
    # The sheet's columns of the end date and the reason, as row errors name them.
    end_date_label: ClassVar[str | Promise] = "截止日期"
    reason_label: ClassVar[str | Promise] = "原因"
    # What a missing reason is called, when the kind says it its own way (暂缓注册须填写暂缓原因或说明).
    reason_message: ClassVar[str | Promise | None] = None
    # The exceptions among the outcomes (取消, 放弃, 保留), shown first when the registrar approves;
    # approving a list that holds any of ``document_outcomes`` (a cancellation) needs a 文号.
    exception_outcomes: ClassVar[tuple[str, ...]] = ()
    document_outcomes: ClassVar[frozenset[str]] = frozenset()
    # The item field that holds the outcome (a status change list's is ``kind``).
    outcome_field: ClassVar[str] = "outcome"
    # How the sheet names the person (考生号, 学号) and the item's path to that value.
    key_label: ClassVar[str | Promise]
    key_path: ClassVar[str]
    # The audit actions of item writes: f"{action_prefix}.items_save" and ".items_fill".
    action_prefix: ClassVar[str]
    # The item field that holds an outcome's end date (a deferral's), if the kind has one.
    end_date_field: ClassVar[str] = ""
    # The columns of the list page, after the key. Their paths start at the item, and their first
    # step leads to the person the item is about: the page shows candidates by the rest of the path.
    columns: ClassVar[Sequence[ItemColumn]] = ()
    # Words of the page: the list's name, its upload, its template link and the fill button.
    texts: ClassVar[dict[str, str | Promise]] = {}

    # ---------------------------------------------------------------- reading
    def parse(self, content: bytes, file_name: str) -> ParsedItems:
        """The uploaded sheet as items and the file's own problems; never touches the database."""
        raise NotImplementedError

    def template(self, user: User, batch: Batch) -> bytes:
        """The sheet a college downloads to fill: the people this list may hold, with instructions."""
        raise NotImplementedError

    def candidates(self, user: User, batch: Batch, limit: int = 500) -> list[Any]:
        """Who may still be added to this draft list, for the page's pick list."""
        raise NotImplementedError

    def candidate_key(self, candidate: Any) -> str:
        raise NotImplementedError

    # ---------------------------------------------------------------- writing, inside the lock
    def check(self, batch: Batch, items: list[ItemInput]) -> tuple[list[RowError], dict[str, Any]]:
        """Every problem of the given items, and the targets they name by key."""
        raise NotImplementedError

    def write(self, batch: Batch, items: list[ItemInput], targets: dict[str, Any], *, replace: bool) -> None:
        """Store checked items: the list becomes exactly ``items`` (``replace``) or they are added or changed."""
        raise NotImplementedError

    def fill(self, batch: Batch) -> int:
        """Add everyone of the batch's college this kind of list still needs, with the default outcome."""
        raise NotImplementedError

    def problems(self, batch: Batch) -> list[str]:
        """Every problem of every item, checked on submission and again on approval."""
        raise NotImplementedError

    def apply(self, actor: User, batch: Batch, *, document_number: str) -> None:
        """Approval: every item's transition, set-based, with one audit event per item."""
        raise NotImplementedError

    # The item's field naming what it is about (record, registration, student, graduate).
    target_field: ClassVar[str] = ""

    def awaiting_elsewhere(self, batch: Batch) -> models.QuerySet:
        """The ids of those already in another list of this kind awaiting approval: never in this list's template."""
        return (
            self.item_model._default_manager.filter(batch__kind=self.kind, batch__state="submitted")
            .exclude(batch=batch)
            .values(f"{self.target_field}_id")
        )

    def kind_label(self) -> str:
        """The kind's name (新生入学资格审查名单), from the batch kinds' choices."""
        return str(BatchKind(self.kind).label)

    def template_notes(self) -> list[str]:
        """The template's 填写说明: what each column takes and what each outcome needs (never read as data)."""
        labels = dict(self.outcomes.choices)
        notes = [
            _("%(list)s：填写说明") % {"list": self.kind_label()},
            _(
                "第一张表为数据表，每行一名学生；表中只有可以列入本名单的学生（已在其他待审批名单中的不在表中）。"
            ),
            _("“%(key)s”必填，请勿修改。") % {"key": self.key_label},
            _("“%(outcome)s”从下拉列表中选择：%(choices)s。")
            % {"outcome": self.outcome_label, "choices": "、".join(str(v) for v in labels.values())},
        ]
        if self.dated_outcomes:
            notes.append(
                _("“%(outcomes)s”须填写“%(column)s”（格式如2027-09-01）。")
                % {
                    "outcomes": "、".join(
                        str(labels[o]) for o in self.outcomes.values if o in self.dated_outcomes
                    ),
                    "column": self.end_date_label,
                }
            )
        if self.reasoned_outcomes:
            notes.append(
                _("“%(outcomes)s”须填写“%(column)s”。")
                % {
                    "outcomes": "、".join(
                        str(labels[o]) for o in self.outcomes.values if o in self.reasoned_outcomes
                    ),
                    "column": self.reason_label,
                }
            )
        notes.append(_("上传后，名单以本表为准：表中没有的学生将移出名单。本说明页不会被读入。"))
        return notes

    def template_sheet(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[Any]],
        title: str,
        *,
        outcome_column: int,
        choices: dict[int, Sequence[str]] | None = None,
    ) -> bytes:
        """The template as a sheet people fill: the outcome column (and ``choices``' columns) a drop-down,
        widths that fit, the notes on a sheet apart."""
        return xlsx(
            header,
            rows,
            title,
            choices={
                outcome_column: [str(label) for label in dict(self.outcomes.choices).values()],
                **(choices or {}),
            },
            notes=self.template_notes(),
            notes_title=_("填写说明"),
        )

    def default_end_date(self) -> datetime.date | None:
        """The end date the page offers for a dated outcome (the school's deferral period), if the kind has one."""
        return None

    def has_reason(self, item: ItemInput) -> bool:
        """Whether the item gives the reason its outcome needs (a kind may accept more, e.g. a coded reason)."""
        return bool(item.reason.strip())

    def as_input(self, item: Any) -> ItemInput:
        """A stored item as the input that would write it again: what a change of many items at once keeps."""
        return ItemInput(
            key=str(resolve(item, self.key_path)),
            outcome=getattr(item, self.outcome_field),
            end_date=getattr(item, self.end_date_field) if self.end_date_field else None,
            reason=getattr(item, "reason", "") or "",
        )

    def lookup(self, path: str) -> str:
        """An item attribute path (``record.exam_number``) as an ORM lookup (``record__exam_number``)."""
        return path.replace(".", "__")

    def items(self, batch: Batch) -> models.QuerySet:
        """The batch's items, with what the page shows of each."""
        paths = [self.key_path, *(column.path for column in self.columns)]
        related = {p.rsplit(".", 1)[0].replace(".", "__") for p in paths if "." in p}
        return (
            self.item_model._default_manager.filter(batch=batch)
            .select_related(*sorted(related))
            .order_by(self.lookup(self.key_path), "pk")
        )

    def search(self, items: models.QuerySet, text: str) -> models.QuerySet:
        """Items whose key (考生号, 学号) starts with ``text`` or whose name (the first column) holds it."""
        text = text.strip()
        if not text:
            return items
        condition = models.Q(**{f"{self.lookup(self.key_path)}__startswith": text})
        if self.columns:
            condition |= models.Q(**{f"{self.lookup(self.columns[0].path)}__contains": text})
        return items.filter(condition)

    def with_keys(self, items: models.QuerySet, keys: Sequence[str]) -> models.QuerySet:
        return items.filter(**{f"{self.lookup(self.key_path)}__in": list(keys)})

    def outcome_counts(self, batch: Batch) -> dict[str, int]:
        """How many items have each outcome (the page's and the notice's summary)."""
        counts = (
            self.item_model._default_manager.filter(batch=batch)
            .order_by()
            .values_list(self.outcome_field)
            .annotate(n=models.Count("pk"))
        )
        return dict(counts)

    def summary(self, batch: Batch) -> list[tuple[str, str, int]]:
        """(outcome, label, count) of the list, the exceptions first (取消, 放弃, 保留), then the others."""
        counts = self.outcome_counts(batch)
        labels = dict(self.outcomes.choices)
        order = [*self.exception_outcomes, *(v for v in labels if v not in self.exception_outcomes)]
        return [(value, str(labels[value]), counts[value]) for value in order if counts.get(value)]


def resolve(obj: object, dotted: str) -> object:
    """``record.major.name`` of an item; a method at the end (``get_state_display``) is called."""
    for name in dotted.split("."):
        obj = getattr(obj, name, None)
        if obj is None:
            return ""
    return obj() if callable(obj) else obj


_KINDS: dict[str, BatchItems] = {}


def register(items: BatchItems) -> BatchItems:
    """Make ``items`` the handler of its kind (call it from the app's ``AppConfig.ready``)."""
    _KINDS[items.kind] = items
    return items


def items_of(kind: str) -> BatchItems:
    """The registered handler of ``kind``; a kind no app provides is a programming error."""
    try:
        return _KINDS[kind]
    except KeyError:
        raise LookupError(f"no app registered batch kind {kind!r}") from None
