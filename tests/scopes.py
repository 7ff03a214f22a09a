"""Data built once for many tests: a module-scoped fixture's writes, rolled back after its last test."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction


@contextmanager
def rolled_back_at_the_end(django_db_blocker) -> Iterator[None]:
    """Inside: one transaction, rolled back on leaving. Each test that uses ``db`` meanwhile runs
    in a savepoint of it, so it sees what was built and its own writes go with its savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
