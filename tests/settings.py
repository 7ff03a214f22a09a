"""Test settings: the production settings with a fast password hasher.

Most of the suite's time went into hashing the named users' passwords. The one
test that needs the real hasher (the initial student password, hashed with
PBKDF2 at a fixed cost) still gets it: PBKDF2 stays in the list, so accounts
hashed with it verify.
"""

import os
import time

from registrar.settings import *  # noqa: F403

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Redis outlives the test database: every run counts its rate limits, progress and lockouts afresh.
_PREFIX = f"test-{os.getpid()}-{time.time_ns()}"
CACHES = {name: {**cache, "KEY_PREFIX": _PREFIX} for name, cache in CACHES.items()}  # noqa: F405

# The suite's many POSTs (multipart by default in the test client) would spend the per-user upload
# budget, and on SQLite user ids repeat across tests; the rate-limit tests set their own tight limits.
RATE_LIMITS = {"upload": "100000/10m", "export": "100000/10m"}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # Django's backend with a cheaper flush after transactional tests (see tests/db_backend/base.py).
    DATABASES["default"]["ENGINE"] = "tests.db_backend"  # noqa: F405
