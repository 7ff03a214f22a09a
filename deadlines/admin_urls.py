"""The deadline models' admin pages at their former address, /admin/audit/deadline…/: moved permanently.

Until issue 9 the models belonged to the audit app; bookmarks and links people
kept still point there. Mounted at ``admin/audit/`` ahead of the admin site.
"""

from collections.abc import Callable

from django.http import HttpResponse
from django.urls import path
from django.views.generic import RedirectView

from deadlines.apps import MOVED_FROM_AUDIT


def _moved(target: str) -> Callable[..., HttpResponse]:
    return RedirectView.as_view(url=target, permanent=True, query_string=True)


urlpatterns = [
    route
    for model in MOVED_FROM_AUDIT
    for route in (
        path(f"{model}/", _moved(f"/admin/deadlines/{model}/")),
        path(f"{model}/<path:url>", _moved(f"/admin/deadlines/{model}/%(url)s")),
    )
]
