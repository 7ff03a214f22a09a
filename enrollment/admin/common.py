"""What the staff pages of freshman registration share."""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from enrollment import exports
from enrollment.imports import raw_rows
from registrar.services import DomainError

REFUSALS = (DomainError, PermissionDenied)


def remember_errors(request: HttpRequest, content: bytes, file_name: str, errors) -> str:
    token = secrets.token_urlsafe(12)
    cache.set(
        f"enrollment:errors:{request.user.pk}:{token}",
        exports.error_sheet(raw_rows(content, file_name), errors),
        3600,
    )
    return token
