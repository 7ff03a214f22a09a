# ENR-5: 学籍状态 保留入学资格（不具有学籍）, for a freshman who takes 保留入学资格 after registration.

import django_fsm
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("registrar", "0008_notices"),
    ]

    operations = [
        migrations.AlterField(
            model_name="student",
            name="student_status",
            field=django_fsm.FSMField(
                choices=[
                    ("in_school", "在籍"),
                    ("suspended", "休学"),
                    ("retained", "保留学籍"),
                    ("deregistered", "已注销学籍"),
                    ("graduated", "毕业"),
                    ("completed", "结业"),
                    ("deferred", "保留入学资格（不具有学籍）"),
                ],
                default="in_school",
                max_length=16,
                protected=True,
                verbose_name="学籍状态",
            ),
        ),
    ]
