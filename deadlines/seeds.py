"""The deadline rules a data migration seeds, put back where a flush emptied them.

``manage.py flush``, and a transactional test's teardown, empty every table and
then send ``post_migrate``: an empty table of rules gets the defaults of
``deadlines.defaults`` again, as the migration wrote them (no audit event:
nobody decided anything). A table with rows is the registrar's and stays as it is.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps

from deadlines.defaults import DEFAULT_RULES


def rules_put_back(sender: Any, *, using: str = "default", apps: Any = global_apps, **kwargs: Any) -> None:
    """post_migrate: the seeded rules into an empty ``DeadlineRule`` table (after a flush)."""
    try:
        model = apps.get_model("deadlines", "DeadlineRule")
    except LookupError:  # migrated back to before the rules moved into this app
        return
    if model.objects.using(using).exists():
        return
    model.objects.using(using).bulk_create(model(**values) for values in DEFAULT_RULES)
