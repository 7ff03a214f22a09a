"""ENR-6: id numbers only in their stored form (ASCII digits and letters), held by the database.

Existing rows that break the rule are listed and the migration stops, changing
nothing (see ``registrar.idcard_offenders`` for why).
"""

from django.db import migrations, models


def refuse_offenders(apps, schema_editor):
    from registrar.idcard_offenders import refuse_offenders

    refuse_offenders(apps.get_model("registrar", "Student"), "student_number")


class Migration(migrations.Migration):
    dependencies = [
        ("registrar", "0005_outbox_and_lockouts"),
    ]

    operations = [
        migrations.RunPython(refuse_offenders, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="student",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("id_number__regex", "^[0-9]{17}[0-9X]$"), ("id_type__in", ["1", "2"])),
                    models.Q(
                        models.Q(("id_type__in", ["1", "2"]), _negated=True),
                        ("id_number__regex", "^[A-Z0-9]{5,30}$"),
                    ),
                    _connector="OR",
                ),
                name="student_id_number_ascii",
                violation_error_message="证件号码只能由半角数字0-9和大写字母组成",
            ),
        ),
    ]
