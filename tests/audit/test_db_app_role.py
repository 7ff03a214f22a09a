"""The app's database role owns nothing: it may append audit events but never erase or rewrite them (SEC-3)."""

import os

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from audit.models import AuditEvent
from audit.services import EventSpec, audit_record_many

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.rule("SEC-3")]


@pytest.fixture
def app_role():
    """A role like registrar_app, granted by the command; the test's transaction rolls it all back."""
    role = f"audit_app_test_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
    call_command("db_app_role", "--role", role)
    return role


@pytest.fixture
def as_app(app_role):
    """Statements from here on run as the app role (superuser switches back after the test)."""
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{app_role}"')
        yield cursor
        cursor.execute("RESET ROLE")


def test_the_app_role_records_events_and_reads_them(as_app):
    with transaction.atomic():
        audit_record_many([EventSpec(action="test.event", subject=("test.thing", 1))])
    as_app.execute("SELECT count(*) FROM audit_auditevent")
    assert as_app.fetchone() == (1,)


@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE audit_auditevent",
        "DELETE FROM audit_auditevent",
        "UPDATE audit_auditevent SET reason = 'x'",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only",
        "DROP TRIGGER audit_event_append_only ON audit_auditevent",
        "DROP TABLE audit_auditevent",
        "SET session_replication_role = replica",
        "CREATE TABLE app_owned (id int)",
    ],
)
def test_the_app_role_cannot_erase_rewrite_or_unguard_the_events(as_app, statement):
    with pytest.raises(DatabaseError, match=r"permission denied|must be owner"), transaction.atomic():
        as_app.execute(statement)


def test_the_app_role_keeps_full_row_rights_on_other_tables_even_later_ones(app_role):
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE later_table (id serial PRIMARY KEY, name text)"
        )  # as a later migration would
        cursor.execute(f'SET ROLE "{app_role}"')
        cursor.execute("INSERT INTO later_table (name) VALUES ('a')")
        cursor.execute("UPDATE later_table SET name = 'b'")
        cursor.execute("DELETE FROM later_table")
        cursor.execute("UPDATE registrar_college SET name = name")
        cursor.execute("RESET ROLE")


def test_granting_twice_changes_nothing(app_role):
    call_command("db_app_role", "--role", app_role)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants"
            " WHERE grantee = %s AND table_name = %s ORDER BY 1",
            [app_role, AuditEvent._meta.db_table],
        )
        assert [row[0] for row in cursor.fetchall()] == ["INSERT", "SELECT"]


def test_a_superuser_is_refused_as_the_app_role():
    with pytest.raises(CommandError, match="superuser or the owner"):
        call_command("db_app_role", "--role", connection.get_connection_params().get("user") or "postgres")


def test_a_role_name_that_is_not_a_plain_identifier_is_refused():
    with pytest.raises(CommandError, match="plain lower-case identifier"):
        call_command("db_app_role", "--role", 'x"; DROP TABLE audit_auditevent; --')
