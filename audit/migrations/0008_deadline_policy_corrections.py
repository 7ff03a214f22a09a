"""Seeded deadline rules corrected against the policy texts (POLICY.md ANN-2, ANN-12, DIP-9, DIP-11).

Only the seeded rows (no school) are touched, each found by its old values, so
the migration is a no-op on a database seeded with the corrected defaults and
leaves rules the registrar wrote for the school alone. Rows are renamed rather
than deleted: violations and notices may point at them.
"""

from django.db import migrations

from deadlines.defaults import ANNUAL_STATISTICS_REPORT, DEFAULT_RULES


def _default(code: str, policy: str) -> dict:
    return next(rule for rule in DEFAULT_RULES if (rule["code"], rule["policy"]) == (code, policy))


def _fields(values: dict) -> dict:
    return {
        key: values[key]
        for key in ("code", "name", "kind", "unit", "length", "fixed_day", "enabled", "basis")
    }


def correct(apps, schema_editor):
    seeds = apps.get_model("audit", "DeadlineRule").objects.filter(school__isnull=True)
    # ANN-2: JL's two months is looser than the national month; it stays only as an internal target.
    seeds.filter(code="annual_registration", policy="jl").update(
        **_fields(_default("annual_registration_internal", "jl"))
    )
    # ANN-2: DL's end of September is for the colleges' 暂缓注册 lists, not the registration itself.
    seeds.filter(code="annual_registration", policy="dl").update(**_fields(_default("deferral_lists", "dl")))
    # ANN-12: one school-level report a year, not a clock per student.
    seeds.filter(code="annual_registration_report").update(kind=ANNUAL_STATISTICS_REPORT)
    # DIP-9: day 40 opens the photo check; no text sets its end.
    photo = _default("photo_check", "national")
    seeds.filter(code="photo_check", policy="national", enabled=True, length=40).update(**_fields(photo))
    # DIP-11: exchanging 结业 for 毕业 at the end of October is SH's rule.
    if not seeds.filter(code="completion_exchange", policy="sh").exists():
        seeds.filter(code="completion_exchange", policy="national").update(policy="sh")


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_auditevent_ids_without_db_constraints")]

    operations = [migrations.RunPython(correct, migrations.RunPython.noop)]
