"""The kinds a data migration seeds, put back where a flush emptied them (ANN-4, ANN-5).

``manage.py flush``, and a transactional test's teardown, empty every table, the
seeded ones too, and then send ``post_migrate`` as ``migrate`` does (that is how
Django puts back content types and permissions). On that signal an empty table of
kinds gets the migration's defaults again; a table with rows is the registrar's
and stays as it is. Like the migration, no audit event: nobody decided anything.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps

from annual_registration.change_kinds import DEFAULT_KIND_SETTINGS


def kinds_put_back(sender: Any, *, using: str = "default", apps: Any = global_apps, **kwargs: Any) -> None:
    """post_migrate: the default kinds into an empty ``ChangeKindSetting`` table (after a flush)."""
    try:
        model = apps.get_model("annual_registration", "ChangeKindSetting")
    except LookupError:  # migrated back to before the kinds existed
        return
    if model.objects.using(using).exists():
        return
    model.objects.using(using).bulk_create(model(**values) for values in DEFAULT_KIND_SETTINGS)
