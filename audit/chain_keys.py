"""The secret keys of the audit chain: read from settings (the environment), never from the database (SEC-3)."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def key_id_of(key: bytes) -> str:
    """A short public name of a chain key, stored with each event it keys; it reveals nothing of the key."""
    return hmac.new(key, b"audit-chain key id", hashlib.sha256).hexdigest()[:8]


def chain_keys() -> dict[str, bytes]:
    """The keys that verify events and checkpoints, by key id: ``AUDIT_CHAIN_KEY`` and the retired ones."""
    texts = [settings.AUDIT_CHAIN_KEY, *settings.AUDIT_CHAIN_PREVIOUS_KEYS]
    return {key_id_of(key): key for key in (text.encode() for text in texts if text)}


def current_key() -> tuple[str, bytes]:
    """The key id and key that new events and checkpoints are signed with."""
    key = settings.AUDIT_CHAIN_KEY.encode()
    return key_id_of(key), key
