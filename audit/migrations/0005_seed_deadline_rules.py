"""The national deadline rules and the JL, SH and DL variants, as data (see deadlines.defaults).

The deadline tables' history (0004, 0005, 0008) stays in the audit app, where the engine lived
until it became the ``deadlines`` app (its 0001 takes the tables over)."""

from django.db import migrations

# A frozen copy would drift from the seed service; the defaults module is plain data, safe to import.
from deadlines.defaults import DEFAULT_RULES


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("audit", "DeadlineRule")
    existing = set(DeadlineRule.objects.filter(school__isnull=True).values_list("code", "policy"))
    DeadlineRule.objects.bulk_create(
        DeadlineRule(**values) for values in DEFAULT_RULES if (values["code"], values["policy"]) not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_deadlines")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
