"""Benchmarks share the suite's fixtures, and each starts from a clean, vacuumed database."""

import psycopg2
import pytest
from django.db import connection

from tests.conftest import *  # noqa: F403


@pytest.fixture(autouse=True)
def vacuumed_database(django_db_setup, django_db_blocker):
    """VACUUM ANALYZE the test database before each benchmark (outside any transaction).

    Rows a previous benchmark rolled back leave dead tuples and stale statistics
    behind; without this, one figure swung from 2,700 to 12,000 rows/s depending
    on what ran before it.
    """
    with django_db_blocker.unblock():
        settings = connection.settings_dict
        if connection.vendor == "postgresql":
            raw = psycopg2.connect(
                dbname=settings["NAME"],
                user=settings["USER"],
                password=settings.get("PASSWORD") or None,
                host=settings.get("HOST") or "127.0.0.1",
                port=settings.get("PORT") or 5432,
            )
            try:
                raw.autocommit = True
                with raw.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
            finally:
                raw.close()
    yield
