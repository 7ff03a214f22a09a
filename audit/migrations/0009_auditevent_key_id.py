"""Events name the key their hash is keyed with; existing events keep an empty key id (plain SHA-256)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0008_deadline_policy_corrections")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=8, verbose_name="密钥编号"),
        ),
    ]
