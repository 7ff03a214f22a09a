"""The deadline models, taken over from the audit app with their tables (``audit_deadline…``) as they are.

State only (SEPARATE_DATABASE_AND_STATE): audit's migrations 0004-0008 created and
seeded the tables, and ``audit.0010`` removed the models from the audit app's state
without touching them. Nothing is created, copied or locked here.
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("audit", "0009_auditevent_key_id"),
        ("registrar", "0007_deadline_policy_one_enum"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DeadlineScan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('as_of', models.DateField(verbose_name='检查日期')),
                        ('started_at', models.DateTimeField(verbose_name='开始时间')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='结束时间')),
                        ('rules', models.PositiveIntegerField(default=0, verbose_name='检查规则数')),
                        ('opened', models.PositiveIntegerField(default=0, verbose_name='新增逾期')),
                        ('resolved', models.PositiveIntegerField(default=0, verbose_name='办结')),
                        ('reopened', models.PositiveIntegerField(default=0, verbose_name='重新打开')),
                        ('withdrawn', models.PositiveIntegerField(default=0, verbose_name='撤销')),
                        ('reminders', models.PositiveIntegerField(default=0, verbose_name='提醒')),
                    ],
                    options={
                        'verbose_name': '时限检查记录',
                        'verbose_name_plural': '时限检查记录',
                        'db_table': 'audit_deadlinescan',
                        'ordering': ['-id'],
                    },
                ),
                migrations.CreateModel(
                    name='DeadlineRule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(max_length=64, verbose_name='规则代码')),
                        ('name', models.CharField(max_length=100, verbose_name='规则名称')),
                        ('kind', models.CharField(max_length=64, verbose_name='监控对象种类')),
                        ('clock', models.CharField(choices=[('term_start', '开学日期'), ('decision_date', '学籍处理（发文）日期'), ('photo_capture', '图像采集日期'), ('graduation_date', '毕（结）业日期'), ('deferral_end', '保留入学资格期满日期')], max_length=32, verbose_name='起算事件')),
                        ('unit', models.CharField(choices=[('months', '自然月'), ('days', '自然日'), ('workdays', '工作日'), ('fixed_date', '每年固定日期')], max_length=16, verbose_name='时限单位')),
                        ('length', models.PositiveSmallIntegerField(default=0, verbose_name='时限长度')),
                        ('fixed_day', models.CharField(blank=True, max_length=5, validators=[django.core.validators.RegexValidator('^(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$', '请按“10-30”的格式填写')], verbose_name='固定日期（月-日）')),
                        ('enabled', models.BooleanField(default=True, verbose_name='启用')),
                        ('policy', models.CharField(choices=[('national', '国家规定（默认）'), ('jl', '吉林师范大学'), ('sh', '上海海洋大学'), ('dl', '大连科技学院')], default='national', max_length=16, verbose_name='依据')),
                        ('rule_ids', models.CharField(blank=True, help_text='如：ANN-2', max_length=50, verbose_name='政策条目')),
                        ('basis', models.CharField(blank=True, max_length=200, verbose_name='依据条文')),
                        ('school', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='deadline_rules', to='registrar.school', verbose_name='本校覆盖')),
                    ],
                    options={
                        'verbose_name': '时限规则',
                        'verbose_name_plural': '时限规则',
                        'db_table': 'audit_deadlinerule',
                        'ordering': ['code', 'policy'],
                    },
                ),
                migrations.CreateModel(
                    name='DeadlineNotice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_on', models.DateField(verbose_name='提醒日期')),
                        ('first_due_date', models.DateField(verbose_name='最早截止日期')),
                        ('subject_count', models.PositiveIntegerField(verbose_name='待办数量')),
                        ('provisional', models.BooleanField(default=False, verbose_name='含暂定截止日期')),
                        ('recipients', models.TextField(blank=True, verbose_name='邮件收件人')),
                        ('emailed_at', models.DateTimeField(blank=True, null=True, verbose_name='邮件发送时间')),
                        ('college', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deadline_notices', to='registrar.college', verbose_name='院系')),
                        ('rule', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='notices', to='deadlines.deadlinerule', verbose_name='时限规则')),
                        ('scan', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='notices', to='deadlines.deadlinescan', verbose_name='检查')),
                    ],
                    options={
                        'verbose_name': '时限提醒',
                        'verbose_name_plural': '时限提醒',
                        'db_table': 'audit_deadlinenotice',
                        'ordering': ['-created_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='DeadlineReminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('subject_type', models.CharField(max_length=64)),
                        ('subject_id', models.BigIntegerField()),
                        ('due_date', models.DateField()),
                        ('provisional', models.BooleanField(default=False)),
                        ('college', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registrar.college')),
                        ('notice', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='reminders', to='deadlines.deadlinenotice')),
                        ('rule', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='deadlines.deadlinerule')),
                        ('scan', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='deadlines.deadlinescan')),
                    ],
                    options={
                        'verbose_name': '时限提醒明细',
                        'verbose_name_plural': '时限提醒明细',
                        'db_table': 'audit_deadlinereminder',
                    },
                ),
                migrations.CreateModel(
                    name='DeadlineViolation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('subject_type', models.CharField(max_length=64, verbose_name='对象类型')),
                        ('subject_id', models.BigIntegerField(verbose_name='对象编号')),
                        ('clock_start', models.DateField(verbose_name='起算日期')),
                        ('due_date', models.DateField(verbose_name='截止日期')),
                        ('provisional', models.BooleanField(default=False, help_text='截止日期所在年度尚无法定节假日安排，录入后重新计算', verbose_name='暂定')),
                        ('done_on', models.DateField(blank=True, null=True, verbose_name='完成日期')),
                        ('days_late', models.IntegerField(default=0, verbose_name='逾期天数')),
                        ('state', models.CharField(choices=[('open', '逾期未办'), ('resolved', '逾期办结'), ('withdrawn', '已撤销')], max_length=16, verbose_name='状态')),
                        ('previous_state', models.CharField(blank=True, choices=[('open', '逾期未办'), ('resolved', '逾期办结'), ('withdrawn', '已撤销')], default='', max_length=16, verbose_name='上一状态')),
                        ('opened_on', models.DateField(verbose_name='发现日期')),
                        ('changed_on', models.DateField(verbose_name='状态变更日期')),
                        ('college', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='deadline_violations', to='registrar.college', verbose_name='责任院系')),
                        ('rule', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='violations', to='deadlines.deadlinerule', verbose_name='时限规则')),
                        ('scan', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='deadlines.deadlinescan', verbose_name='最近检查')),
                        ('student', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='deadline_violations', to='registrar.student', verbose_name='学生')),
                    ],
                    options={
                        'verbose_name': '逾期记录',
                        'verbose_name_plural': '逾期记录',
                        'db_table': 'audit_deadlineviolation',
                        'ordering': ['due_date', 'id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='deadlinerule',
                    constraint=models.UniqueConstraint(condition=models.Q(('school__isnull', True)), fields=('code', 'policy'), name='deadline_rule_one_per_policy'),
                ),
                migrations.AddConstraint(
                    model_name='deadlinerule',
                    constraint=models.UniqueConstraint(condition=models.Q(('school__isnull', False)), fields=('code', 'school'), name='deadline_rule_one_per_school'),
                ),
                migrations.AddConstraint(
                    model_name='deadlinereminder',
                    constraint=models.UniqueConstraint(fields=('rule', 'subject_type', 'subject_id', 'due_date'), name='deadline_reminder_once'),
                ),
                migrations.AddIndex(
                    model_name='deadlineviolation',
                    index=models.Index(fields=['state', 'college'], name='audit_deadl_state_e0d53f_idx'),
                ),
                migrations.AddIndex(
                    model_name='deadlineviolation',
                    index=models.Index(fields=['due_date'], name='audit_deadl_due_dat_2ef4cf_idx'),
                ),
                migrations.AddConstraint(
                    model_name='deadlineviolation',
                    constraint=models.UniqueConstraint(fields=('rule', 'subject_type', 'subject_id'), name='deadline_violation_one_per_subject'),
                ),
            ],
            database_operations=[],
        ),
    ]
