"""The world of tests/security/world.py, built once per module for the tests that share it."""

from collections.abc import Iterator

import pytest
from django.db import transaction

from tests.security.world import World, build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built once for every role; rolled back at the end. Each test runs in its own savepoint.

    The tests that use it change nothing they do not roll back, so each role meets the same world.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
