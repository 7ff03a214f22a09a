"""Every file of personal data a signed-in user downloads is logged (issue 10, item 6; SEC-3, SEC-5).

One place for every export, present and future: a response that is an attachment is recorded in
the audit trail with who, which file (its name, the address it came from, its size) and when. A
download without personal data (a blank template, a statistics table) says so with
``download(..., personal=False)`` and is not logged.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from audit.services import audit_record
from registrar.models.exports import EXPORT_ACTION

PATH_KEPT = 500


def is_personal_export(request: HttpRequest, response: HttpResponse) -> bool:
    user = getattr(request, "user", None)
    return bool(
        user is not None
        and user.is_authenticated
        and response.status_code == 200
        and response.get("Content-Disposition", "").startswith("attachment")
        and getattr(response, "personal_data", True)
    )


def export_record(request: HttpRequest, response: HttpResponse) -> None:
    """One audit event for this download: the actor, the file's name, where it came from and its size."""
    name = getattr(response, "export_name", "") or response.get("Content-Disposition", "")
    size = len(response.content) if not response.streaming else None
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action=EXPORT_ACTION,
            subject=("registrar.user", request.user.pk),
            after={"file": name, "path": request.get_full_path()[:PATH_KEPT], "bytes": size},
        )


class ExportLogMiddleware:
    """Records every download of personal data after its view answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_personal_export(request, response):
            export_record(request, response)
        return response
