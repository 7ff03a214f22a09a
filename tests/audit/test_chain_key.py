"""The chain key lives in the environment, never in the database, and production cannot run without it (SEC-3)."""

import pytest

from tests.registrar.test_settings import run_django

pytestmark = pytest.mark.rule("SEC-3")


def test_production_refuses_to_start_without_an_audit_chain_key():
    result = run_django({"DEBUG": "0", "SECRET_KEY": "x" * 60, "AUDIT_CHAIN_KEY": ""}, "pass")
    assert result.returncode != 0
    assert "AUDIT_CHAIN_KEY must be set when DEBUG is off" in result.stderr


def test_production_keys_the_chain_with_the_key_it_is_given():
    code = "from audit.chain_keys import current_key, key_id_of; print(current_key() == (key_id_of(b'k' * 40), b'k' * 40))"
    result = run_django({"DEBUG": "0", "SECRET_KEY": "x" * 60, "AUDIT_CHAIN_KEY": "k" * 40}, code)
    assert result.stdout.split() == ["True"], result.stderr
