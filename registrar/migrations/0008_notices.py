# Notices (站内通知) for the decision notice of lists; the decision task moves from enrollment to the core.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD_TASK, NEW_TASK = "enrollment.tasks.batch_decided", "registrar.tasks.batch_decided"


def rename_waiting_tasks(apps, schema_editor):
    """Decision notices still waiting in the outbox are sent by the core's task."""
    apps.get_model("registrar", "OutboxMessage").objects.filter(task=OLD_TASK, sent_at=None).update(
        task=NEW_TASK
    )


def restore_waiting_tasks(apps, schema_editor):
    apps.get_model("registrar", "OutboxMessage").objects.filter(task=NEW_TASK, sent_at=None).update(
        task=OLD_TASK
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registrar", "0007_deadline_policy_one_enum"),
    ]

    operations = [
        migrations.CreateModel(
            name="Notice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=100, verbose_name="事件")),
                ("title", models.CharField(max_length=200, verbose_name="标题")),
                ("body", models.TextField(blank=True, verbose_name="内容")),
                ("link", models.CharField(blank=True, max_length=300, verbose_name="链接")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="时间")),
                ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="阅读时间")),
                (
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notices",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="收件人",
                    ),
                ),
            ],
            options={
                "verbose_name": "通知",
                "verbose_name_plural": "通知",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("read_at", None)),
                        fields=["recipient", "created_at"],
                        name="notice_unread",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("recipient", "key"), name="notice_once_per_event")
                ],
            },
        ),
        migrations.RunPython(rename_waiting_tasks, restore_waiting_tasks, elidable=True),
    ]
