"""On PostgreSQL the database itself keeps registered certificates as they are (DIP-6).

A row in ``registered``, ``revoked`` or ``superseded`` may not be deleted, and
an UPDATE may change nothing of it, except the declared moves out of
``registered`` (注销, 由新版本取代), which set only their own fields. Annotations
and 证明书 records are append-only. The app's role (``manage.py db_app_role``)
owns neither the tables nor the triggers, so it cannot drop or disable them.
"""

from django.db import migrations

MOVABLE = "ARRAY['state', 'revoked_on', 'revocation_reason', 'revocation_document_number', 'superseded_at']"

CREATE = f"""
CREATE OR REPLACE FUNCTION diploma_certificate_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.state NOT IN ('registered', 'revoked', 'superseded') THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'registered certificate %: DELETE refused (DIP-6)', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.state = 'registered' AND NEW.state IN ('revoked', 'superseded') THEN
        IF (to_jsonb(NEW) - {MOVABLE}) IS DISTINCT FROM (to_jsonb(OLD) - {MOVABLE}) THEN
            RAISE EXCEPTION 'registered certificate %: only its state may move (DIP-6)', OLD.id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSIF to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD) THEN
        RAISE EXCEPTION 'registered certificate %: UPDATE refused (DIP-6)', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS diploma_certificate_frozen ON diploma_certificate;
CREATE TRIGGER diploma_certificate_frozen
    BEFORE UPDATE OR DELETE ON diploma_certificate
    FOR EACH ROW EXECUTE FUNCTION diploma_certificate_frozen();

CREATE OR REPLACE FUNCTION diploma_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '%: % refused, the record is append-only (DIP-6)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS diploma_annotation_append_only ON diploma_certificateannotation;
CREATE TRIGGER diploma_annotation_append_only
    BEFORE UPDATE OR DELETE ON diploma_certificateannotation
    FOR EACH ROW EXECUTE FUNCTION diploma_append_only();
DROP TRIGGER IF EXISTS diploma_attestation_append_only ON diploma_replacementattestation;
CREATE TRIGGER diploma_attestation_append_only
    BEFORE UPDATE OR DELETE ON diploma_replacementattestation
    FOR EACH ROW EXECUTE FUNCTION diploma_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS diploma_certificate_frozen ON diploma_certificate;
DROP TRIGGER IF EXISTS diploma_annotation_append_only ON diploma_certificateannotation;
DROP TRIGGER IF EXISTS diploma_attestation_append_only ON diploma_replacementattestation;
DROP FUNCTION IF EXISTS diploma_certificate_frozen();
DROP FUNCTION IF EXISTS diploma_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("diploma", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
