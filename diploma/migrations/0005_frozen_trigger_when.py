"""The freezing trigger fires only for rows already registered, revoked or superseded (DIP-6).

The function itself is unchanged; the trigger's ``WHEN`` lets PostgreSQL skip
the PL/pgSQL call for drafts and pre-checked rows, which registration moves by
the ten thousand.
"""

from django.db import migrations

FROZEN_STATES = "('registered', 'revoked', 'superseded')"

CREATE = f"""
DROP TRIGGER IF EXISTS diploma_certificate_frozen ON diploma_certificate;
CREATE TRIGGER diploma_certificate_frozen
    BEFORE UPDATE OR DELETE ON diploma_certificate
    FOR EACH ROW WHEN (OLD.state IN {FROZEN_STATES})
    EXECUTE FUNCTION diploma_certificate_frozen();
"""

RESTORE = """
DROP TRIGGER IF EXISTS diploma_certificate_frozen ON diploma_certificate;
CREATE TRIGGER diploma_certificate_frozen
    BEFORE UPDATE OR DELETE ON diploma_certificate
    FOR EACH ROW EXECUTE FUNCTION diploma_certificate_frozen();
"""


def _run(sql: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("diploma", "0004_leaner_certificate_indexes")]

    operations = [migrations.RunPython(_run(CREATE), _run(RESTORE))]
