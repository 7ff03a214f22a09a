"""The app's database role: it owns nothing and may only read and write rows (SEC-3).

Migrations run as the tables' owner; the web, worker and beat processes
connect as a role that has DML rights only. On the audit events it may only
SELECT and INSERT: no UPDATE, DELETE or TRUNCATE, and since it owns neither
the table nor its trigger it cannot drop or disable the append-only trigger.
"""

from __future__ import annotations

import re

from django.db import connection, transaction

from audit.models import AuditEvent

# Plain lower-case identifiers only: they are written into the statements, which take no parameters.
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RoleError(Exception):
    """The role cannot serve as the app's role (it does not exist, is a superuser or owns the tables)."""


def app_role_grant(*, role: str, schema: str = "public") -> None:
    """授予应用数据库账号权限 (SEC-3): grant ``role`` DML rights on every table, now and later; idempotent.

    Run as the tables' owner (the account migrations use). ``ALTER DEFAULT
    PRIVILEGES`` covers tables later migrations create; the audit events then
    lose UPDATE and DELETE again here, so run it after every ``migrate``.
    """
    if connection.vendor != "postgresql":
        raise RoleError("database roles need PostgreSQL")
    if not (ROLE_NAME.match(role) and ROLE_NAME.match(schema)):
        raise RoleError(f"{role!r} or {schema!r} is not a plain lower-case identifier")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolname = current_user FROM pg_roles WHERE rolname = %s",
            [role],
        )
        found = cursor.fetchone()
        if found is None:
            raise RoleError(f"role {role} does not exist: create it first (CREATE ROLE … LOGIN PASSWORD …)")
        if found[0] or found[1]:
            raise RoleError(
                f"role {role} is a superuser or the owner itself: the app needs a role that owns nothing"
            )
        quote = connection.ops.quote_name
        names = {"role": quote(role), "schema": quote(schema), "events": quote(AuditEvent._meta.db_table)}
        for statement in (
            "GRANT USAGE ON SCHEMA {schema} TO {role}",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
            "GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE ON SEQUENCES TO {role}",
            "REVOKE CREATE ON SCHEMA {schema} FROM {role}",
            "REVOKE ALL ON {events} FROM {role}",
            "GRANT SELECT, INSERT ON {events} TO {role}",
        ):
            cursor.execute(statement.format(**names))
