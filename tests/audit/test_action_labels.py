"""Every action the code records has a Chinese name (SEC-3): people read 教务处审批通过名单, not a code.

The source of every installed app of this project is read with ``ast`` for what
it passes as an audit action: ``action="…"`` literals (and the module-level
tables they are looked up in), ``action=f"registrar.batch.{transition}"``
families, ``action=f"{instance._meta.label_lower}.…"`` model writes, and the
transition engine's ``<action_prefix>.<transition>`` (``action_prefix=`` and
each ``Machine``). Each must resolve in ``audit.labels``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation

from audit.labels import action_label, has_prefix, is_labelled, transition_families
from registrar.transitions import declared_names

ACTION = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")
VERB = re.compile(r"^\.?([a-z_]+)$")


@dataclass
class Recorded:
    literals: set[str] = field(default_factory=set)
    families: set[str] = field(default_factory=set)  # "<prefix>" of "<prefix>.<something>"
    model_verbs: set[str] = field(default_factory=set)  # "create" of f"{…label_lower}.create"
    machines: set[tuple[str, str | None]] = field(default_factory=set)  # (model class name, action_prefix)
    class_prefixes: set[str] = field(default_factory=set)  # ``action_prefix = "…"`` of a class (a batch kind)
    suffixes: set[str] = field(default_factory=set)  # "items_save" of f"{self.action_prefix}.items_save"


def project_sources() -> list[Path]:
    """The modules of this project's installed apps, without migrations."""
    base = Path(settings.BASE_DIR).resolve()
    roots = [Path(c.path).resolve() for c in apps.get_app_configs()]
    return sorted(
        path
        for root in roots
        if base in root.parents
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
    )


def _constants(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


class Collector(ast.NodeVisitor):
    def __init__(self, tree: ast.Module, found: Recorded) -> None:
        self.found = found
        # Module-level tables an action is looked up in (``ACTIONS.get(…)``).
        self.tables = {
            target.id: node.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
            for target in node.targets
            if isinstance(target, ast.Name)
        }

    def visit_Call(self, node: ast.Call) -> None:
        for keyword in node.keywords:
            if keyword.arg == "action":
                self.action(keyword.value)
            elif keyword.arg == "action_prefix":
                self.found.families.update(c for c in _constants(keyword.value) if ACTION.match(c))
        name = getattr(node.func, "id", getattr(node.func, "attr", None))
        if name == "Machine":
            keywords = {k.arg: k.value for k in node.keywords}
            model = getattr(keywords.get("model"), "id", None)
            prefix = keywords.get("action_prefix")
            self.found.machines.add((model, prefix.value if isinstance(prefix, ast.Constant) else None))
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for statement in node.body:
            targets = getattr(statement, "targets", [getattr(statement, "target", None)])
            value = getattr(statement, "value", None)
            named = any(getattr(t, "id", None) == "action_prefix" for t in targets)
            if named and isinstance(value, ast.Constant) and ACTION.match(str(value.value)):
                self.found.class_prefixes.add(value.value)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        arguments = [*node.args.args, *node.args.kwonlyargs]
        defaults = [*node.args.defaults, *node.args.kw_defaults]
        for argument, default in zip(arguments[len(arguments) - len(defaults) :], defaults, strict=True):
            if argument.arg == "action_prefix" and isinstance(default, ast.Constant) and default.value:
                self.found.families.add(default.value)
        self.generic_visit(node)

    def action(self, value: ast.AST) -> None:
        for node in ast.walk(value):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and ACTION.match(node.value):
                self.found.literals.add(node.value)
            elif isinstance(node, ast.Name) and node.id in self.tables:
                self.found.literals.update(c for c in _constants(self.tables[node.id]) if ACTION.match(c))
            elif isinstance(node, ast.JoinedStr):
                self.template(node)

    def template(self, node: ast.JoinedStr) -> None:
        first = node.values[0]
        if isinstance(first, ast.Constant):  # f"registrar.batch.{transition}"
            self.found.families.add(first.value.rstrip("."))
        elif "label_lower" in ast.unparse(first):
            # f"{instance._meta.label_lower}.{'create' if creating else 'update'}"
            for rest in node.values[1:]:
                self.found.model_verbs.update(m[1] for c in _constants(rest) if (m := VERB.match(c)))
        elif ast.unparse(first.value).endswith("action_prefix") and len(node.values) == 2:
            # f"{handler.action_prefix}.items_save": the suffix, under every class's ``action_prefix``
            self.found.suffixes.add(node.values[1].value.lstrip("."))
        # Otherwise the engine's own f"{prefix}.{transition}", whose prefixes are collected above.


@pytest.fixture(scope="module")
def recorded() -> Recorded:
    found = Recorded()
    for path in project_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        Collector(tree, found).visit(tree)
    return found


def test_the_source_is_read_for_every_way_an_action_is_named(recorded):
    assert {"enrollment.admission.confirm", "deadline.violation.reopen"} <= recorded.literals
    assert {"registrar.batch", "enrollment.review", "enrollment.correction"} <= recorded.families
    assert {"create", "update", "delete"} <= recorded.model_verbs
    assert ("AdmissionRecord", "enrollment.admission") in recorded.machines
    assert "enrollment.review" in recorded.class_prefixes and "items_save" in recorded.suffixes


def test_every_literal_action_has_a_label(recorded):
    assert sorted(a for a in recorded.literals if not is_labelled(a)) == []


def test_every_family_of_actions_is_registered(recorded):
    prefixes = recorded.families | {prefix for _model, prefix in recorded.machines if prefix}
    assert sorted(p for p in prefixes if not has_prefix(p)) == []


def test_every_action_a_class_names_under_its_action_prefix_has_a_label(recorded):
    unlabelled = [
        f"{prefix}.{suffix}"
        for prefix in recorded.class_prefixes
        for suffix in recorded.suffixes
        if not is_labelled(f"{prefix}.{suffix}")
    ]
    assert unlabelled == []


def test_every_machine_names_its_transitions_under_its_own_model(recorded):
    models = {m.__name__: m for m in apps.get_models()}
    families = transition_families()
    for name, prefix in recorded.machines:
        model = models[name]
        assert families[prefix or model._meta.label_lower].model is model


def test_every_declared_transition_of_a_family_has_a_label():
    unlabelled = [
        f"{prefix}.{name}"
        for prefix, family in transition_families().items()
        for name in declared_names(family.model, family.field)
        if not is_labelled(f"{prefix}.{name}")
    ]
    assert unlabelled == []


def test_a_write_of_any_model_has_a_label(recorded):
    unlabelled = [
        f"{m._meta.label_lower}.{verb}"
        for m in apps.get_models()
        for verb in recorded.model_verbs
        if not is_labelled(f"{m._meta.label_lower}.{verb}")
    ]
    assert unlabelled == []


def test_a_transition_is_named_by_its_declaration_after_its_context():
    assert action_label("enrollment.review.register") == "教务处审批通过名单：注册学籍"
    assert action_label("enrollment.admission.defer") == "保留入学资格"
    assert action_label("registrar.college.update") == "修改二级学院"


def test_an_exact_name_wins_over_its_family():
    assert action_label("enrollment.correction.create") == "申请更正录取数据"


def test_an_action_nobody_registered_reads_as_a_generic_label():
    assert action_label("enrollment.admission.teleport") == "其他操作（enrollment.admission.teleport）"
    assert action_label("") == "其他操作（）"


def test_labels_follow_the_active_language():
    with translation.override("en"):
        assert action_label("enrollment.review.register") != "教务处审批通过名单：注册学籍"
