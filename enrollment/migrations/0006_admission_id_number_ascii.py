"""ENR-6, ENR-9: admission id numbers only in their stored form, held by the database.

Existing rows that break the rule are listed and the migration stops, changing
nothing (see ``registrar.idcard_offenders`` for why).
"""

from django.db import migrations, models


def refuse_offenders(apps, schema_editor):
    from registrar.idcard_offenders import refuse_offenders

    refuse_offenders(apps.get_model("enrollment", "AdmissionRecord"), "exam_number")


class Migration(migrations.Migration):
    dependencies = [
        ("enrollment", "0005_lean_record_indexes_and_keys"),
        ("registrar", "0006_student_id_number_ascii"),
    ]

    operations = [
        migrations.RunPython(refuse_offenders, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="admissionrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("id_number__regex", "^[0-9]{17}[0-9X]$"), ("id_type__in", ["1", "2"])),
                    models.Q(
                        models.Q(("id_type__in", ["1", "2"]), _negated=True),
                        ("id_number__regex", "^[A-Z0-9]{5,30}$"),
                    ),
                    _connector="OR",
                ),
                name="admission_id_number_ascii",
                violation_error_message="证件号码只能由半角数字0-9和大写字母组成",
            ),
        ),
    ]
