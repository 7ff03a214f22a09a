"""Migrate once, copy per worker: the test databases on PostgreSQL come from one migrated template.

Every pytest-xdist worker used to run all migrations into its own database
(about 10 s of a quiet 2-core machine each, 40 s under load). Now the first
worker to arrive migrates a template database named after a hash of the
project's code (migrations and what they import) and of the installed packages,
under a file lock; every worker
then copies it with ``CREATE DATABASE … TEMPLATE`` (well under a second).
A template is built under a temporary name and renamed when complete, so a
run stopped half-way never leaves a half-migrated template behind; templates
of other hashes are dropped. On a developer's machine the next run reuses the
template and migrates nothing; any change to the code makes a new one (a change
to the tests alone does not).
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.metadata
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


SOURCE_DIRS_LEFT_OUT = {"tests", "benchmarks", "var", "test-artifacts", "node_modules"}


def migrations_hash() -> str:
    """Every Python file of the project outside the tests, and every installed package's version.

    Not the migration files alone: data migrations import code tables and seeds from the apps, and a
    changed seed must give a new template.
    """
    digest = hashlib.sha256()
    tops = [p for p in ROOT.iterdir() if p.is_dir() and p.name not in SOURCE_DIRS_LEFT_OUT]
    sources = [p for top in tops if not top.name.startswith(".") for p in top.rglob("*.py")]
    for path in sorted(sources):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    packages = sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions())
    digest.update("\n".join(packages).encode())
    return digest.hexdigest()[:12]


@contextmanager
def file_lock(name: str) -> Iterator[None]:
    with open(Path(tempfile.gettempdir()) / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _server(sql: str, params: tuple = ()) -> list[tuple]:
    """One statement on the server's maintenance database (CREATE/DROP/ALTER DATABASE run outside a transaction)."""
    with connection._nodb_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def _exists(name: str) -> bool:
    return bool(_server("SELECT 1 FROM pg_database WHERE datname = %s", (name,)))


def _drop(name: str) -> None:
    _server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _build_template(name: str) -> None:
    """Migrate a new database under a temporary name, then give it the template's name."""
    from django.test.utils import setup_databases

    building = f"{name}_building"
    test_settings = connection.settings_dict.setdefault("TEST", {})
    worker_name, original_name = test_settings.get("NAME"), connection.settings_dict["NAME"]
    test_settings["NAME"] = building
    try:
        _drop(building)
        setup_databases(verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set())
    finally:
        connection.close()
        test_settings["NAME"], connection.settings_dict["NAME"] = worker_name, original_name
    _server(f'ALTER DATABASE "{building}" RENAME TO "{name}"')


def database_from_template() -> str:
    """Give this worker a copy of the migrated template; returns the copy's name."""
    base = connection.settings_dict["NAME"]
    worker = connection.settings_dict.get("TEST", {}).get("NAME") or f"test_{base}"
    prefix = f"test_{base}_tpl_"
    template = f"{prefix}{migrations_hash()}"
    with file_lock(prefix):
        stale = _server(
            "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
            (prefix.replace("_", r"\_") + "%", template),
        )
        for (name,) in stale:
            _drop(name)
        if not _exists(template):
            _build_template(template)
        _drop(worker)
        _server(f'CREATE DATABASE "{worker}" TEMPLATE "{template}"')
    connection.close()
    connection.settings_dict["NAME"] = worker
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = worker
    return worker


def drop_database(name: str, original: str) -> None:
    connection.close()
    connection.settings_dict["NAME"] = original
    _drop(name)


def database_url() -> str:
    """The URL of the test database this process uses, for a child process (``DATABASE_URL``).

    The host may be a socket directory (``/var/run/postgresql``), which a URL carries percent-encoded.
    """
    db = connection.settings_dict
    auth = quote(db["USER"], safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else "")
    host = quote(db["HOST"] or "127.0.0.1", safe="")
    return f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
