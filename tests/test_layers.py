"""The layers of the house (issue 9, item 7): the audit trail below the core, the deadline engine above both.

    domain apps (enrollment, annual_registration, diploma)
        → deadlines (the deadline engine)
            → registrar (the core) → audit (the audit trail) → a few infrastructure modules of the core

Read from the source with ``ast``: every import, also one inside a function, and every
``import_module`` / ``import_string`` / ``include`` of a literal module name. A forbidden
import fails here before it can make a cycle at run time.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_APPS = ("enrollment", "annual_registration", "diploma")
LOADERS = {"import_module", "import_string", "include"}

# All the audit trail uses of the core: infrastructure that leads back to neither the audit trail nor a domain app
# (see test_what_the_audit_trail_uses_of_the_core_never_leads_back_to_it).
AUDIT_USES_OF_CORE = {
    "registrar.admin_base",  # ScopedAdmin, for the events' admin
    "registrar.celery",  # the Celery app, to queue a checkpoint after a bulk write
    "registrar.idcard",  # masking id numbers in the events' before/after
    "registrar.scoping",  # scoped_queryset and placement_of: which college and student an event belongs to
    "registrar.sql",  # advisory locks, pausing the cyclic collector during bulk writes
}
# The deadline tables' history stays in audit's migrations (the engine lived there until issue 9): these two
# seeded and corrected the rules from the defaults, which are plain data and now live in the deadlines app.
AUDIT_HISTORY = {
    "audit/migrations/0005_seed_deadline_rules.py": {"deadlines.defaults"},
    "audit/migrations/0008_deadline_policy_corrections.py": {"deadlines.defaults"},
}
# Known and accepted: ScopedAdmin writes through the core's services, imported inside save_model/delete_model;
# the events' admin is read-only (editable = False) and never takes that path.
NOT_FOLLOWED = {"registrar.admin_base": {"registrar.services"}}
# The modules of the core that assemble the project, and so name every app.
CORE_ASSEMBLY = {"registrar/settings.py", "registrar/urls.py", "registrar/celery.py", "registrar/demo.py"}


def _module_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports_of(path: Path) -> set[str]:
    """The modules ``path`` imports, by their full names (``from registrar import sql`` is ``registrar.sql``)."""
    package = _module_of(path) if path.name == "__init__.py" else _module_of(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if _is_module(f"{base}.{alias.name}") else base)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in LOADERS and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return found


def sources(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts)


def _top(module: str) -> str:
    return module.partition(".")[0]


def _offences(package: str, forbidden, allowed: dict[str, set[str]] | None = None) -> list[str]:
    """``file: module`` for each import of a module of ``package`` that ``forbidden(module)`` refuses."""
    offences = []
    for path in sources(package):
        name = str(path.relative_to(ROOT))
        excused = (allowed or {}).get(name, set())
        offences += [f"{name}: {m}" for m in sorted(imports_of(path)) if forbidden(m) and m not in excused]
    return offences


def test_the_audit_trail_imports_no_app_above_it_and_of_the_core_only_its_infrastructure():
    def forbidden(module: str) -> bool:
        if _top(module) == "registrar":
            return module not in AUDIT_USES_OF_CORE
        return _top(module) in ("deadlines", *DOMAIN_APPS)

    assert _offences("audit", forbidden, AUDIT_HISTORY) == []


def test_what_the_audit_trail_uses_of_the_core_never_leads_back_to_it():
    """No cycle core → audit → core: the core's modules that audit reaches, however far, import no app above."""
    reached, queue = set(), sorted(AUDIT_USES_OF_CORE)
    while queue:
        module = queue.pop()
        if module in reached or not _is_module(module):
            continue
        reached.add(module)
        path = ROOT.joinpath(*module.split("."))
        path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        imported = imports_of(path)
        assert not {m for m in imported if _top(m) in ("audit", "deadlines", *DOMAIN_APPS)}, module
        queue += [m for m in imported - NOT_FOLLOWED.get(module, set()) if _top(m) == "registrar"]
    assert reached >= AUDIT_USES_OF_CORE


def test_the_core_imports_neither_the_deadline_engine_nor_a_domain_app():
    def forbidden(module: str) -> bool:
        return _top(module) in ("deadlines", *DOMAIN_APPS)

    offences = _offences("registrar", forbidden)
    assert [o for o in offences if o.partition(":")[0] not in CORE_ASSEMBLY] == []


def test_the_deadline_engine_uses_the_core_and_the_audit_trail_and_no_domain_app():
    """Domain apps register their kinds with the engine (``enrollment/deadlines.py``), never the reverse."""
    assert _offences("deadlines", lambda module: _top(module) in DOMAIN_APPS) == []
    used = set().union(*(imports_of(path) for path in sources("deadlines")))
    assert {"audit.services", "registrar.models"} <= used


def test_enrollment_registers_its_kinds_with_the_deadline_app():
    imported = imports_of(ROOT / "enrollment" / "deadlines.py")
    assert {"deadlines.registry", "deadlines.models"} <= imported
    assert not {m for m in imported if m.startswith("audit.")}
