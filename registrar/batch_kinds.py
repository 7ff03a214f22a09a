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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.utils.functional import Promise

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
    # Outcomes that need an end date (a deferral) and outcomes that need a reason.
    dated_outcomes: ClassVar[frozenset[str]] = frozenset()
    reasoned_outcomes: ClassVar[frozenset[str]] = frozenset()
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

    def outcome_counts(self, batch: Batch) -> dict[str, int]:
        """How many items have each outcome (the page's and the notice's summary)."""
        counts = (
            self.item_model._default_manager.filter(batch=batch)
            .order_by()
            .values_list("outcome")
            .annotate(n=models.Count("pk"))
        )
        return dict(counts)


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
