"""Upload progress: the server's side of the progress bar that upload pages poll (``enrollment:progress``)."""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _


def progress_key(user_id: int, token: str) -> str:
    """Where an upload's progress is kept: per user, so nobody reads another's."""
    return f"enrollment:progress:{user_id}:{token}"


class UploadProgress:
    """The server's side of an upload's progress bar: the page polls ``enrollment:progress``.

    ``percent`` runs over the server's work only (the page maps it onto the
    second half of the bar, after the bytes sent); ``phase`` is what the page shows.
    """

    def __init__(self, request: HttpRequest) -> None:
        token = request.POST.get("token") or secrets.token_urlsafe(12)
        self.key = progress_key(request.user.pk, token)

    def show(self, phase: str, percent: int) -> None:
        cache.set(self.key, {"phase": phase, "percent": percent}, 600)

    def reading(self) -> None:
        self.show(_("读取与校验"), 10)

    def done(self) -> None:
        self.show(_("完成"), 100)

    def service_report(self, done: int, total: int, phase: str) -> None:
        """A service's progress callback (done, total, phase): checking up to 60 %, writing up to 95 %."""
        self.show(phase, 60 + round(35 * done / total) if total else 60)
