"""The staff pages' admin site: unfold's, with the application list built only when a page shows it.

Django's ``each_context`` builds the list of every application and model the user may open
(``available_apps``) for every staff page, about a hundred URL reversals. Our pages navigate by
the per-role sidebar (``registrar.workbench``) and show that list nowhere but on pages that ask
for it, so here it is built lazily, once per request.

unfold's list pages also work out the column headers again for every row (each cell carries its
column's name for narrow screens): here they are worked out once per list.
"""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.contrib import admin
from django.contrib.admin import sites
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from unfold.sites import UnfoldAdminSite


class RegistrarAdminSite(UnfoldAdminSite):
    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> Any:
        """The applications this user may open, built on first use and kept for the request."""
        if app_label is not None:
            return super().get_app_list(request, app_label)
        cached = getattr(request, "_registrar_app_list", None)
        if cached is None:
            cached = SimpleLazyObject(lambda: UnfoldAdminSite.get_app_list(self, request))
            request._registrar_app_list = cached
        return cached


def _headers_once_per_list() -> None:
    """unfold's ``items_for_result`` calls ``result_headers(cl)`` for each row, to label its cells: 100 rows
    recomputed every header (sort links, the select-all checkbox's template) 100 times, a third of a list
    page's time. The headers depend on the list alone, so the first computation is kept on it."""
    from unfold.templatetags import unfold_list  # a template library: importable once the apps are

    compute = unfold_list.result_headers
    if getattr(compute, "once_per_list", False):
        return

    def result_headers(cl):
        headers = getattr(cl, "_registrar_headers", None)
        if headers is None:
            headers = cl._registrar_headers = list(compute(cl))
        return iter(headers)

    result_headers.once_per_list = True
    unfold_list.result_headers = result_headers


class UnfoldConfig(AppConfig):
    """unfold's own app, installing our site as ``admin.site`` before the admin modules register."""

    name = "unfold"
    label = "unfold"

    def ready(self) -> None:
        site = RegistrarAdminSite()
        admin.site = site
        sites.site = site
        _headers_once_per_list()
