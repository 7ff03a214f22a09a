"""A decision's typed-in fields as services store them: trimmed text within its limit, a date not in the future.

Each refusal is a ``DomainError`` naming the field in Chinese, so that a page shows
it next to the form and the API answers it as a 400 (``registrar.api_errors``).
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from registrar.errors import DomainError


def clean_text(value: str | None, label: str, limit: int, *, required: bool = True) -> str:
    """``value`` trimmed; refused when required and empty, or longer than ``limit`` characters."""
    text = (value or "").strip()
    if required and not text:
        raise DomainError(_("请填写%(field)s") % {"field": label})
    if len(text) > limit:
        raise DomainError(_("%(field)s不能超过%(limit)d个字符") % {"field": label, "limit": limit})
    return text


def past_date(value: datetime.date | None, label: str) -> datetime.date:
    """A decision's date: given, and not after today."""
    if value is None:
        raise DomainError(_("请填写%(field)s") % {"field": label})
    if value > timezone.localdate():
        raise DomainError(_("%(field)s不能晚于今天") % {"field": label})
    return value
