"""The deadline models leave the audit app's state; their tables stay, and belong to the deadlines app.

State only (SEPARATE_DATABASE_AND_STATE): no table is dropped. ``deadlines.0001_initial``
takes the same tables over, also without touching the database; ``deadlines.0002``
moves the content types, so permissions granted on the models keep working.
The audit app does not depend on the deadlines app, here either.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("audit", "0009_auditevent_key_id")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='deadlinereminder',
                    name='notice',
                ),
                migrations.RemoveField(
                    model_name='deadlinereminder',
                    name='college',
                ),
                migrations.RemoveField(
                    model_name='deadlinereminder',
                    name='rule',
                ),
                migrations.RemoveField(
                    model_name='deadlinereminder',
                    name='scan',
                ),
                migrations.RemoveField(
                    model_name='deadlinerule',
                    name='school',
                ),
                migrations.RemoveField(
                    model_name='deadlineviolation',
                    name='rule',
                ),
                migrations.RemoveField(
                    model_name='deadlineviolation',
                    name='scan',
                ),
                migrations.RemoveField(
                    model_name='deadlineviolation',
                    name='college',
                ),
                migrations.RemoveField(
                    model_name='deadlineviolation',
                    name='student',
                ),
                migrations.DeleteModel(
                    name='DeadlineNotice',
                ),
                migrations.DeleteModel(
                    name='DeadlineReminder',
                ),
                migrations.DeleteModel(
                    name='DeadlineRule',
                ),
                migrations.DeleteModel(
                    name='DeadlineScan',
                ),
                migrations.DeleteModel(
                    name='DeadlineViolation',
                ),
            ],
            database_operations=[],
        ),
    ]
