"""Deploy checks of the audit chain's key (``manage.py check --deploy``; SEC-3)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

# Whoever holds the database holds every event's content and HMAC: a short key falls to guessing offline.
MIN_KEY_LENGTH = 32


@register(Tags.security, deploy=True)
def check_audit_chain_key(app_configs=None, **kwargs) -> list[CheckMessage]:
    key = settings.AUDIT_CHAIN_KEY
    problems = []
    if len(key) < MIN_KEY_LENGTH or len(set(key)) < 8:
        problems.append(
            Warning(
                f"AUDIT_CHAIN_KEY is short or repetitive: use at least {MIN_KEY_LENGTH} random characters.",
                hint="python -c 'import secrets; print(secrets.token_hex(32))'",
                id="audit.W001",
            )
        )
    if key == settings.SECRET_KEY:
        problems.append(
            Warning(
                "AUDIT_CHAIN_KEY is the SECRET_KEY: give the audit chain a key of its own.",
                id="audit.W002",
            )
        )
    return problems
