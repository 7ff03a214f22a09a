"""``check --deploy`` warns about a weak audit chain key (SEC-3)."""

import pytest

from audit.checks import check_audit_chain_key

pytestmark = pytest.mark.rule("SEC-3")


def test_a_short_chain_key_is_warned_about(settings):
    settings.AUDIT_CHAIN_KEY = "registrar2026"
    assert [m.id for m in check_audit_chain_key()] == ["audit.W001"]


def test_a_chain_key_that_is_the_secret_key_is_warned_about(settings):
    settings.AUDIT_CHAIN_KEY = settings.SECRET_KEY = "f3a9c1d7e5b2" * 4
    assert [m.id for m in check_audit_chain_key()] == ["audit.W002"]


def test_a_long_random_chain_key_passes(settings):
    settings.AUDIT_CHAIN_KEY = "5d0f6b8e2a4c91737e1f0b3d5a7c9e2f4b6d8a0c1e3f5a7b"
    assert check_audit_chain_key() == []
