"""The API's router: JSON only, so no ".json" suffix routes, and any id segment reaches the view."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter


class ApiRouter(DefaultRouter):
    """DRF's ``DefaultRouter`` without format suffixes.

    Actions take no ``format`` argument, so ``…/items.json`` answered 500; and with no
    suffixes an id may hold a dot: ``/batches/1.5/`` reaches the view and is a JSON 404
    rather than Django's HTML page.
    """

    include_format_suffixes = False

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._default_value_pattern = "[^/]+"
