import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_django(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    full_env.update(env, DJANGO_SETTINGS_MODULE="registrar.settings")
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django({"DEBUG": "0"}, "pass")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_turns_on_secure_cookies_and_hsts():
    code = "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"
    result = run_django({"DEBUG": "0", "SECRET_KEY": "x" * 60, "AUDIT_CHAIN_KEY": "y" * 60}, code)
    assert result.stdout.split() == ["True", "True"]


def test_the_default_language_is_simplified_chinese_in_shanghai_time():
    from django.conf import settings

    assert (settings.LANGUAGE_CODE, settings.TIME_ZONE, settings.USE_TZ) == ("zh-hans", "Asia/Shanghai", True)


def test_production_settings_keep_django_s_strong_password_hasher():
    """Only the test settings swap in a fast hasher; production hashes with PBKDF2 (SEC-1)."""
    import registrar.settings as production

    assert not hasattr(production, "PASSWORD_HASHERS")
