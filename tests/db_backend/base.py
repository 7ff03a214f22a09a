"""PostgreSQL for the test suite: Django's backend, with a cheaper flush after transactional tests.

Django empties the database after each transactional test (``transaction=True``, the live
server) with one ``TRUNCATE`` of every table. On PostgreSQL that gives each table and index a
new file and took about half a second per test, most of it on tables the test never wrote.
Here the same tables are emptied with ``DELETE``, foreign keys and triggers (the audit table's
append-only trigger) paused for the flush's own transaction: ``session_replication_role`` is
set with ``SET LOCAL`` and ends with it. That setting needs a superuser, as the test database's
owner is locally and in CI; any other role gets Django's ``TRUNCATE``.

Nothing a test runs goes through this: only the cleanup between tests.
"""

from django.db.backends.postgresql import base


class DatabaseOperations(base.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or not self._may_pause_triggers():
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [
            "SET LOCAL session_replication_role = replica;",
            *(f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(t))};" for t in tables),
        ]

    def _may_pause_triggers(self) -> bool:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('is_superuser') = 'on'")
            return cursor.fetchone()[0]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
