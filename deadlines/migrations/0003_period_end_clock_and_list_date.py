"""Status changes' clocks (issue 11, items 4 and 5): the end of a 休学 or 保留学籍, and DL's list date on a kind of its own.

- a clock ``period_end`` and its national rule (a period settled by its end, ANN-3);
- DL's end-of-September rule (ANN-2) counts the colleges' lists handed in, so it watches the kind
  ``annual_registration.deferral_list`` rather than the registration itself.

Only seeded rows (no school) are touched, each found by its old values; rules the registrar
wrote for the school stay as they are.
"""

from django.db import migrations, models

from deadlines.defaults import ANNUAL_REGISTRATION, DEFAULT_RULES, DEFERRAL_LIST

NEW_CODES = {"period_end"}


def forwards(apps, schema_editor):
    seeds = apps.get_model("deadlines", "DeadlineRule").objects.filter(school__isnull=True)
    seeds.filter(code="deferral_lists", kind=ANNUAL_REGISTRATION).update(kind=DEFERRAL_LIST)
    existing = set(seeds.values_list("code", "policy"))
    seeds.model.objects.bulk_create(
        seeds.model(**values)
        for values in DEFAULT_RULES
        if values["code"] in NEW_CODES and (values["code"], values["policy"]) not in existing
    )


def backwards(apps, schema_editor):
    seeds = apps.get_model("deadlines", "DeadlineRule").objects.filter(school__isnull=True)
    seeds.filter(code="deferral_lists", kind=DEFERRAL_LIST).update(kind=ANNUAL_REGISTRATION)


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0002_moved_from_audit")]

    operations = [
        migrations.AlterField(
            model_name="deadlinerule",
            name="clock",
            field=models.CharField(
                choices=[
                    ("term_start", "开学日期"),
                    ("decision_date", "学籍处理（发文）日期"),
                    ("photo_capture", "图像采集日期"),
                    ("graduation_date", "毕（结）业日期"),
                    ("deferral_end", "保留入学资格期满日期"),
                    ("period_end", "休学（保留学籍）期满日期"),
                ],
                max_length=32,
                verbose_name="起算事件",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
