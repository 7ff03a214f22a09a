"""Chinese names of audit actions (SEC-3): a registry each app fills from its ``AppConfig.ready()``.

The audit trail stores an action as an English code (``enrollment.review.register``);
people read it as 教务处审批通过名单：注册学籍. The audit app names no domain app:
each app registers the actions it records, once, in one of three ways::

    register_actions({"enrollment.admission.import": _("录取数据导入")})  # exact names
    register_transitions("enrollment.review", AdmissionRecord, context=_("教务处审批通过名单"))
    register_model_writes({"create": _("新增"), "update": _("修改"), "delete": _("删除")})

A transition's label is its declaration's ``custom={"label": …}`` (the same text
as its button), so no label is written twice. ``register_model_writes`` names
``<app>.<model>.<verb>`` for any installed model by its verbose name (修改院系).
An exact name wins over a prefix, a longer prefix over a shorter one. An action
nobody registered (an old event's) reads as a generic label, never an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from audit.subject_types import current_subject_type

Label = str | Promise

_EXACT: dict[str, Label] = {}
_PREFIXES: dict[str, Callable[[str], str | None]] = {}  # "<prefix>." → suffix → label or None
_VERBS: dict[str, Label] = {}


@dataclass(frozen=True)
class TransitionFamily:
    """Actions ``<prefix>.<transition>`` recorded by the transition engine for one model's FSM field."""

    model: type[models.Model]
    field: str
    context: Label | None

    def label(self, name: str) -> str | None:
        """The declaration's label of transition ``name``; None when it declares none."""
        # Read through django-fsm's public API, as the core's transition engine reads them: the audit
        # trail sits below the core and imports no part of it above its infrastructure.
        for transition in self.model._meta.get_field(self.field).get_all_transitions(self.model):
            if transition.name == name and "label" in transition.custom:
                label = str(transition.custom["label"])
                if self.context is None:
                    return label
                return _("%(context)s：%(label)s") % {"context": self.context, "label": label}
        return None


_FAMILIES: dict[str, TransitionFamily] = {}  # prefix → the transitions it names


def register_actions(labels: Mapping[str, Label]) -> None:
    """Name actions exactly: ``{"enrollment.admission.import": _("录取数据导入")}``."""
    _EXACT.update(labels)


def register_transitions(
    prefix: str, model: type[models.Model], field: str = "state", *, context: Label | None = None
) -> TransitionFamily:
    """Name ``<prefix>.<transition>`` by ``model``'s declared transitions on ``field``, after ``context`` if given."""
    family = _FAMILIES[prefix] = TransitionFamily(model, field, context)
    _PREFIXES[f"{prefix}."] = family.label
    return family


def register_prefix(prefix: str, label: Label) -> None:
    """Name every ``<prefix>.<anything>`` alike, where the suffix adds nothing a reader needs."""
    _PREFIXES[f"{prefix}."] = lambda _suffix: str(label)


def register_model_writes(verbs: Mapping[str, Label]) -> None:
    """Name ``<app>.<model>.<verb>`` for every installed model: the verb, then the model's verbose name."""
    _VERBS.update(verbs)


def _registered(action: str) -> str | None:
    if action in _EXACT:
        return str(_EXACT[action])
    head = action.rpartition(".")[0]
    while head:
        resolve = _PREFIXES.get(f"{head}.")
        if resolve is not None:
            found = resolve(action[len(head) + 1 :])
            if found is not None:
                return found
        head = head.rpartition(".")[0]
    return _model_write(action)


def _model_write(action: str) -> str | None:
    parts = action.split(".")
    if len(parts) != 3 or parts[2] not in _VERBS:
        return None
    try:
        model = apps.get_model(current_subject_type(f"{parts[0]}.{parts[1]}"))
    except (LookupError, ValueError):
        return None
    return _("%(verb)s%(model)s") % {"verb": _VERBS[parts[2]], "model": model._meta.verbose_name}


def is_labelled(action: str) -> bool:
    """Whether some app registered a label for ``action``."""
    return _registered(action) is not None


def has_prefix(prefix: str) -> bool:
    """Whether some app registered the family ``<prefix>.…``."""
    return f"{prefix}." in _PREFIXES


def transition_families() -> dict[str, TransitionFamily]:
    """The registered ``register_transitions`` families by prefix (for the check that every action is named)."""
    return dict(_FAMILIES)


def action_label(action: str) -> str:
    """The action as people read it, in the active language; an unregistered one gets a generic label."""
    return _registered(action) or _("其他操作（%(action)s）") % {"action": action}


def action_choices(actions: list[str]) -> list[tuple[str, str]]:
    """(code, label) for each of ``actions``, sorted by label: a filter's options."""
    return sorted(((a, action_label(a)) for a in actions), key=lambda pair: (pair[1], pair[0]))


# ---------------------------------------------------------------- recorded keys that are no plain field

ChangeText = Callable[[Any], str]


@dataclass(frozen=True)
class ChangeKey:
    """How one recorded key of one subject type reads: its label and, when not plain, its values' names."""

    label: Label
    text: ChangeText | None = None


_CHANGE_KEYS: dict[tuple[str, str], ChangeKey] = {}


def register_change_keys(
    model: type[models.Model], keys: Mapping[str, tuple[Label, ChangeText | Mapping[Any, Label] | None]]
) -> None:
    """Name the keys an app records on ``model``'s events that are not, or not plainly, its fields::

        register_change_keys(Student, {"fee_status": (_("缴费情况"), dict(FeeStatus.choices))})
        register_change_keys(DeadlineViolation, {"rule": (_("时限规则"), rule_name_of_code)})

    A mapping names the values (codes shown as names); a function turns a value into text.
    """
    for key, (label, names) in keys.items():
        if isinstance(names, Mapping):
            table = dict(names)
            text: ChangeText | None = lambda value, table=table: str(table.get(value, value))  # noqa: E731
        else:
            text = names
        _CHANGE_KEYS[(model._meta.label_lower, key)] = ChangeKey(label, text)


def change_key(model: type[models.Model] | None, key: str) -> ChangeKey | None:
    """The registered reading of ``key`` on ``model``'s events, or ``None`` (then the field's own)."""
    return _CHANGE_KEYS.get((model._meta.label_lower, key)) if model is not None else None
