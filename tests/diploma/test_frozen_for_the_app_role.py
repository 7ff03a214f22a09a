"""The app's database role registers certificates but can neither change a registered one nor unguard it (DIP-6)."""

import datetime
import os

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from diploma.services.annotations import minor_annotate

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.rule("DIP-6")]


@pytest.fixture
def as_app(registered_a, registrar):
    """Statements from here on run as a role granted by ``db_app_role`` (rolled back with the test)."""
    minor_annotate(
        actor=registrar,
        certificate_id=registered_a.pk,
        minor_major="金融学",
        annotated_on=datetime.date(2026, 7, 5),
    )
    role = f"diploma_app_test_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
        call_command("db_app_role", "--role", role)
        cursor.execute(f'SET ROLE "{role}"')
        yield cursor
        cursor.execute("RESET ROLE")


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("UPDATE diploma_certificate SET name = '改名' WHERE state = 'registered'", "DIP-6"),
        ("DELETE FROM diploma_certificate WHERE state = 'registered'", "DIP-6"),
        ("UPDATE diploma_certificateannotation SET text = 'x'", "append-only"),
        ("TRUNCATE diploma_certificate", "permission denied"),
        ("ALTER TABLE diploma_certificate DISABLE TRIGGER diploma_certificate_frozen", "must be owner"),
        ("DROP TRIGGER diploma_certificate_frozen ON diploma_certificate", "must be owner"),
    ],
)
def test_the_app_role_cannot_change_delete_or_unguard_a_registered_certificate(as_app, statement, refusal):
    with pytest.raises(DatabaseError, match=refusal), transaction.atomic():
        as_app.execute(statement)


def test_the_app_role_may_still_revoke_a_registered_certificate(as_app):
    as_app.execute(
        "UPDATE diploma_certificate SET state = 'revoked', revocation_reason = '违规录取' WHERE state = 'registered'"
    )
    assert as_app.rowcount == 3
