"""停学 (code 13, ANN-4) enabled: it suspends the student for a period, as 休学 does, and 复学 ends it.

Only the seeded row is touched, found by its seeded values (disabled, no transition):
a row the registrar has edited stays as it is.
"""

from django.db import migrations


def enable(apps, schema_editor):
    ChangeKindSetting = apps.get_model("annual_registration", "ChangeKindSetting")
    ChangeKindSetting.objects.filter(kind="13", enabled=False, transition="").update(
        enabled=True, transition="suspend", in_school=False, needs_period=True
    )


def disable(apps, schema_editor):
    ChangeKindSetting = apps.get_model("annual_registration", "ChangeKindSetting")
    ChangeKindSetting.objects.filter(kind="13", enabled=True, transition="suspend").update(
        enabled=False, transition=""
    )


class Migration(migrations.Migration):
    dependencies = [("annual_registration", "0005_roll_without_redundant_indexes")]

    operations = [migrations.RunPython(enable, disable)]
