"""The world of tests/security/world.py, built once per module for the tests that share it."""

from collections.abc import Iterator

import pytest
from django.template.base import Template

from tests.scopes import rolled_back_at_the_end
from tests.security.world import World, build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built once for every role; rolled back at the end. Each test runs in its own savepoint.

    The tests that use it change nothing they do not roll back, so each role meets the same world.
    """
    with rolled_back_at_the_end(django_db_blocker):
        yield build_world()


@pytest.fixture(autouse=True)
def pages_rendered_without_capture(monkeypatch) -> None:
    """These tests read what a response says, never which templates made it or their context.

    The test environment sends a signal and copies the context for every template rendered (a
    staff page renders about a hundred), a third of each page's time here; the page itself is the same.
    """
    monkeypatch.setattr(Template, "_render", lambda self, context: self.nodelist.render(context))
